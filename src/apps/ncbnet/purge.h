// The hub's housekeeping (hub_runner.cc runs it beside the HTTPS server for `serve` and
// `demo`): message retention (messaging/retention.h): `PurgeAllExpired` runs batches until none
// is left, used once by `ncbnet msg purge` and every minute by `PurgeTimer`; and review
// reminders (hits/reminders.h): `SendAllReviewReminders`, every hour by a `PeriodicTask`.
//
// Thread safety: a PeriodicTask's (and PurgeTimer's) constructor starts its thread and its
// destructor stops and joins it; what its function uses must outlive it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "core/status.h"
#include "crypto/sign.h"
#include "messaging/message_service.h"
#include "store/store.h"

namespace ncbnet::apps {

inline constexpr int kPurgeBatch = 500;

// Purges every message expired at `clock`'s now, in write transactions of at most
// kPurgeBatch messages each (each purge audited in its batch's transaction). Returns the
// number purged, or the first error (batches committed before it stay committed).
Result<int> PurgeAllExpired(store::Store& store, const crypto::SigningKey& audit_key,
                            const Clock& clock);

// Runs `run` every `period` on a thread of its own, first one period after it starts (a hub
// that restarts often, or is killed, does not add a run to every start).
class PeriodicTask {
 public:
  PeriodicTask(std::chrono::milliseconds period, std::function<void()> run);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  void Loop();

  const std::chrono::milliseconds period_;
  const std::function<void()> run_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

// PurgeAllExpired every `period`, its failures logged.
class PurgeTimer {
 public:
  PurgeTimer(store::Store& store, const crypto::SigningKey& audit_key, const Clock& clock,
             std::chrono::milliseconds period = std::chrono::minutes(1));

 private:
  PeriodicTask task_;
};

// Sends review reminders (hits::SendReviewReminders, 30 days ahead) until none is due, in
// write transactions of at most 20 messages each, each batch audited ("record.review_remind",
// user "hub"). Returns the number of messages sent, or the first error.
Result<int> SendAllReviewReminders(store::Store& store, const crypto::SigningKey& audit_key,
                                   const messaging::DataKey& data_key,
                                   const crypto::SigningKey& hub_message_key, const Clock& clock);

}  // namespace ncbnet::apps
