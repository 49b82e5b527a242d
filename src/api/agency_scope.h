// The caller's branch of the agency tree, as the agency, user and certificate endpoints see
// it: an agency outside the branch looks exactly like one that does not exist.
#pragma once

#include <string>

#include "access/agencies.h"
#include "api/request_context.h"
#include "core/status.h"
#include "store/store.h"

namespace ncbnet::api {

// The agency `id` if it lies in the caller's branch (the caller's own agency included).
// Errors: kNotFound "agency_not_found".
Result<access::Agency> VisibleAgency(store::Transaction& tx, const RequestContext& ctx,
                                     const std::string& id);

// As VisibleAgency(), and the agency must be enabled: kFailedPrecondition "agency_disabled".
Result<access::Agency> ManageableAgency(store::Transaction& tx, const RequestContext& ctx,
                                        const std::string& id);

}  // namespace ncbnet::api
