#include "apps/ncbnet/purge.h"

#include <spdlog/spdlog.h>

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

PurgeTimer::PurgeTimer(store::Store& store, const crypto::SigningKey& audit_key, const Clock& clock,
                       std::chrono::milliseconds period)
    : store_(store), audit_key_(audit_key), clock_(clock), period_(period) {
  thread_ = std::thread([this] { Run(); });
}

PurgeTimer::~PurgeTimer() {
  {
    const std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PurgeTimer::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    // The first run waits one period too: a hub that restarts often (or is killed) does not
    // add a purge to every start.
    if (wake_.wait_for(lock, period_, [this] { return stop_; })) return;
    lock.unlock();
    const Result<int> purged = PurgeAllExpired(store_, audit_key_, clock_);
    if (!purged.ok()) {
      spdlog::error("message purge failed: {}", purged.status().ToString());
    } else if (*purged > 0) {
      spdlog::info("purged {} expired message(s)", *purged);
    }
    lock.lock();
  }
}

}  // namespace ncbnet::apps
