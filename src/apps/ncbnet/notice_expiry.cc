#include "apps/ncbnet/notice_expiry.h"

#include "apps/ncbnet/network_setup.h"

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
      return AuditLocalAs(tx, audit_key, now, "hub", "expire", "notice.expire",
                          std::to_string(expired) + " notices");
    }));
    total += expired;
    if (expired < kBatch) break;
  }
  if (total > 0) NCBNET_RETURN_IF_ERROR(indexes.CatchUp(store));
  return total;
}

}  // namespace ncbnet::apps
