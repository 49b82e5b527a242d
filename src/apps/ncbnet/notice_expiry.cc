#include "apps/ncbnet/notice_expiry.h"

#include "audit/audit_log.h"
#include "crypto/random.h"

namespace ncbnet::apps {

Result<int> ExpireAllNotices(store::Store& store, const crypto::SigningKey& audit_key,
                             const notices::Keys& keys, records::RecordIndexes& indexes,
                             const Clock& clock) {
  constexpr int kBatch = 20;
  int total = 0;
  for (;;) {
    int expired = 0;
    NCBNET_RETURN_IF_ERROR(store.Write([&](store::Transaction& tx) -> Status {
      const std::int64_t now = clock.NowMillis();
      NCBNET_ASSIGN_OR_RETURN(expired, notices::ExpireDue(tx, keys, now, kBatch));
      if (expired == 0) return Status::Ok();
      audit::AuditEntry e;
      e.time_ms = now;
      e.request_id = crypto::NewId("expire");
      e.user_id = "hub";
      e.agency_id = "gs";
      e.source = "local";
      e.action = "notice.expire";
      e.object = std::to_string(expired) + " notices";
      e.outcome = "ok";
      return audit::Append(tx, audit_key, e).status();
    }));
    total += expired;
    if (expired < kBatch) break;
  }
  if (total > 0) NCBNET_RETURN_IF_ERROR(indexes.CatchUp(store));
  return total;
}

}  // namespace ncbnet::apps
