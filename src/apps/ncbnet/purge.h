// Message retention for the hub process (messaging/retention.h): `PurgeAllExpired` runs batches
// until none is left, used once by `ncbnet msg purge` and every minute by `PurgeTimer`, which
// `serve` and `demo` run beside the HTTPS server (hub_runner.cc).
//
// Thread safety: PurgeTimer runs on a PeriodicTask (periodic_task.h); the store and key must
// outlive it.
#pragma once

#include <chrono>

#include "apps/ncbnet/periodic_task.h"
#include "core/clock.h"
#include "core/status.h"
#include "crypto/sign.h"
#include "store/store.h"

namespace ncbnet::apps {

inline constexpr int kPurgeBatch = 500;

// Purges every message expired at `clock`'s now, in write transactions of at most
// kPurgeBatch messages each (each purge audited in its batch's transaction). Returns the
// number purged, or the first error (batches committed before it stay committed).
Result<int> PurgeAllExpired(store::Store& store, const crypto::SigningKey& audit_key,
                            const Clock& clock);

// Deletes Idempotency-Keys older than api::kIdempotencyKeepMs, in batches. Returns how many.
Result<int> PurgeOldIdempotencyKeys(store::Store& store, const Clock& clock);

// Purges expired messages (PurgeAllExpired) and old Idempotency-Keys every `period`, logging
// what it did.
class PurgeTimer {
 public:
  PurgeTimer(store::Store& store, const crypto::SigningKey& audit_key, const Clock& clock,
             std::chrono::milliseconds period = std::chrono::minutes(1));

 private:
  PeriodicTask task_;
};

}  // namespace ncbnet::apps
