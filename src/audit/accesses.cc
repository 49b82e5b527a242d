#include "audit/accesses.h"

#include <algorithm>

#include "audit/audit_rows.h"

namespace ncbnet::audit {

Status AppendAccesses(store::Transaction& tx, const crypto::SigningKey& key,
                      const AuditEntry& request, const std::vector<Access>& accesses) {
  for (const Access& a : accesses) {
    AuditEntry e;
    e.time_ms = request.time_ms;
    e.request_id = request.request_id;
    e.user_id = request.user_id;
    e.agency_id = a.owner_agency;
    e.source = request.source;
    e.action = std::string(kAccessActionPrefix) + std::string(a.kind);
    e.object = a.database + " " + a.what + "; by " + request.agency_id;
    e.outcome = a.hidden ? "hidden" : "shown";
    NCBNET_RETURN_IF_ERROR(Append(tx, key, std::move(e)).status());
  }
  return Status::Ok();
}

Result<std::vector<AuditEntry>> ListAccesses(store::Transaction& tx,
                                             const std::vector<std::string>& owner_agencies,
                                             std::int64_t after_seq, int limit) {
  if (limit < 1 || limit > kMaxListLimit || owner_agencies.size() > kMaxListAgencies) {
    return Status::InvalidArgument("invalid_filter",
                                   "limit must be 1.." + std::to_string(kMaxListLimit) +
                                       " and agencies at most " + std::to_string(kMaxListAgencies));
  }
  std::vector<AuditEntry> out;
  for (const std::string& agency : owner_agencies) {
    for (std::string_view kind : {kAccessCheck, kAccessRead, kAccessExport, kAccessReplica}) {
      NCBNET_ASSIGN_OR_RETURN(
          std::vector<store::Row> rows,
          tx.Query(
              "SELECT " + std::string(internal::kEntryColumns) +
                  " FROM audit_log WHERE agency_id = ? AND action = ? AND seq > ?"
                  " ORDER BY seq LIMIT ?",
              {agency, std::string(kAccessActionPrefix) + std::string(kind), after_seq, limit}));
      NCBNET_RETURN_IF_ERROR(internal::AppendEntriesFromRows(rows, out));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const AuditEntry& a, const AuditEntry& b) { return a.seq < b.seq; });
  if (out.size() > static_cast<std::size_t>(limit)) out.resize(static_cast<std::size_t>(limit));
  return out;
}

}  // namespace ncbnet::audit
