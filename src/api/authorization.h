// Step 3 of the dispatcher (dispatcher.h): whether the authenticated principal may call the
// route at all, from the route's capability, then its Caller (router.h says what each means).
// The route's Scope is the handler's, object by object.
#pragma once

#include <map>
#include <string>

#include "access/principal.h"
#include "api/router.h"
#include "core/status.h"

namespace ncbnet::api {

// Errors: kPermissionDenied "missing_capability", "gs_only", "replica_needs_certificate",
// "managed_database"; kInvalidArgument "session_required"; kNotFound "unknown_database" for a
// {db} that the catalogue does not have.
Status Authorize(const access::Principal& principal, const Route& route,
                 const std::map<std::string, std::string>& params);

}  // namespace ncbnet::api
