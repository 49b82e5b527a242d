// Turns a request into its audit entry (audit/audit_log.h): time, user, agency, source
// address, action ("POST /v1/grants"), object, outcome ("ok", "denied:<code>",
// "error:<code>").
#pragma once

#include <string>

#include "api/http_types.h"
#include "api/hub_services.h"
#include "api/request_context.h"
#include "core/status.h"
#include "store/store.h"

namespace ncbnet::api {

// Appends `ctx`'s entry inside `tx`.
Status AppendRequestAudit(store::Transaction& tx, const RequestContext& ctx,
                          const std::string& outcome);

// Appends `ctx`'s entry in a transaction of its own (reads and refusals).
Status AppendRequestAuditNow(RequestContext& ctx, const std::string& outcome);

// The outcome text for an answered status: "ok" below 400, else "denied:<code>" for 401/403/
// 429, "error:<code>" otherwise.
std::string OutcomeFor(int http_status, const std::string& code);

}  // namespace ncbnet::api
