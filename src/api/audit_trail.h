// Turns a request into its audit entry (audit/audit_log.h): time, user, agency, source
// address, action ("POST /v1/grants"), object, outcome ("ok", "denied:<code>",
// "error:<code>").
#pragma once

#include <string>

#include "api/http_types.h"
#include "api/hub_services.h"
#include "api/request_context.h"
#include "audit/accesses.h"
#include "audit/audit_log.h"
#include "core/status.h"
#include "store/store.h"

namespace ncbnet::api {

// The audit entry `ctx` stands for, with `outcome`, not yet appended (no seq, no hashes).
audit::AuditEntry RequestEntry(const RequestContext& ctx, const std::string& outcome);

// Appends, after `request` (already appended in `tx`), the access entries of `accesses`
// (audit/accesses.h), reading the id of each hidden match's record first.
Status AppendAccessEntries(store::Transaction& tx, const crypto::SigningKey& key,
                           const audit::AuditEntry& request, std::vector<audit::Access> accesses);

// Appends `ctx`'s entry inside `tx`.
Status AppendRequestAudit(store::Transaction& tx, const RequestContext& ctx,
                          const std::string& outcome);

// Appends `ctx`'s entry in a transaction of its own (reads and refusals).
Status AppendRequestAuditNow(RequestContext& ctx, const std::string& outcome);

// The outcome text for an answered status: "ok" below 400, else "denied:<code>" for 401/403/
// 429, "error:<code>" otherwise.
std::string OutcomeFor(int http_status, const std::string& code);

}  // namespace ncbnet::api
