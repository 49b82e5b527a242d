#include "audit/accesses.h"

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

}  // namespace ncbnet::audit
