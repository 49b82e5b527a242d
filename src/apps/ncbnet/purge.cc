#include "apps/ncbnet/purge.h"

#include <spdlog/spdlog.h>

#include "api/idempotency.h"
#include "messaging/retention.h"

namespace ncbnet::apps {

Result<int> PurgeAllExpired(store::Store& store, const crypto::SigningKey& audit_key,
                            const Clock& clock) {
  int total = 0;
  for (;;) {
    int purged = 0;
    NCBNET_RETURN_IF_ERROR(store.Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(
          purged, messaging::PurgeExpired(tx, audit_key, clock.NowMillis(), kPurgeBatch));
      return Status::Ok();
    }));
    total += purged;
    if (purged < kPurgeBatch) return total;
  }
}

Result<int> PurgeOldIdempotencyKeys(store::Store& store, const Clock& clock) {
  int total = 0;
  for (;;) {
    int purged = 0;
    NCBNET_RETURN_IF_ERROR(store.Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(
          purged,
          api::PurgeIdempotencyKeys(tx, clock.NowMillis() - api::kIdempotencyKeepMs, kPurgeBatch));
      return Status::Ok();
    }));
    total += purged;
    if (purged < kPurgeBatch) return total;
  }
}

PurgeTimer::PurgeTimer(store::Store& store, const crypto::SigningKey& audit_key, const Clock& clock,
                       std::chrono::milliseconds period)
    : task_(period, [&store, &audit_key, &clock] {
        const Result<int> purged = PurgeAllExpired(store, audit_key, clock);
        if (!purged.ok()) {
          spdlog::error("message purge failed: {}", purged.status().ToString());
        } else if (*purged > 0) {
          spdlog::info("purged {} expired message(s)", *purged);
        }
        if (const Result<int> keys = PurgeOldIdempotencyKeys(store, clock); !keys.ok()) {
          spdlog::error("idempotency key purge failed: {}", keys.status().ToString());
        }
      }) {}

}  // namespace ncbnet::apps
