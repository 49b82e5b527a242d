#include "apps/ncbnet/purge.h"

#include <spdlog/spdlog.h>

#include "audit/audit_log.h"
#include "crypto/random.h"
#include "hits/reminders.h"
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

PeriodicTask::PeriodicTask(std::chrono::milliseconds period, std::function<void()> run)
    : period_(period), run_(std::move(run)) {
  thread_ = std::thread([this] { Loop(); });
}

PeriodicTask::~PeriodicTask() {
  {
    const std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PeriodicTask::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (wake_.wait_for(lock, period_, [this] { return stop_; })) return;
    lock.unlock();
    run_();
    lock.lock();
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
      }) {}

Result<int> SendAllReviewReminders(store::Store& store, const crypto::SigningKey& audit_key,
                                   const messaging::DataKey& data_key,
                                   const crypto::SigningKey& hub_message_key, const Clock& clock) {
  constexpr int kBatch = 20;
  int total = 0;
  for (;;) {
    hits::ReminderResult sent;
    NCBNET_RETURN_IF_ERROR(store.Write([&](store::Transaction& tx) -> Status {
      const std::int64_t now = clock.NowMillis();
      NCBNET_ASSIGN_OR_RETURN(sent,
                              hits::SendReviewReminders(tx, data_key, hub_message_key, now,
                                                        hits::kDefaultReminderWindowMs, kBatch));
      if (sent.messages == 0) return Status::Ok();
      audit::AuditEntry e;
      e.time_ms = now;
      e.request_id = crypto::NewId("remind");
      e.user_id = "hub";
      e.agency_id = "gs";
      e.source = "local";
      e.action = "record.review_remind";
      e.object = std::to_string(sent.records) + " records";
      e.outcome = "ok";
      return audit::Append(tx, audit_key, e).status();
    }));
    total += sent.messages;
    if (sent.messages < kBatch) return total;
  }
}

}  // namespace ncbnet::apps
