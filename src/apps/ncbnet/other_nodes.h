// Hub nodes on one store (PostgreSQL, docs/deployment.md) keep each other's in-memory state
// right: what the other nodes commit reaches this node's record indexes, what they notify its
// mailbox waiters, their failed logins its throttle, and what the public endpoints allowed
// its public rate limit; what this node does goes to theirs. On SQLite, one process alone,
// the store hears nothing and tells no one.
//
// Thread safety: the constructor and destructor run on the hub's main thread; the store calls
// the subscription on a thread of its own, and the public rate limit is told every
// kShareEvery on a thread of this class's.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "access/login_throttle.h"
#include "api/wakeups.h"
#include "apps/ncbnet/periodic_task.h"
#include "core/rate_limiter.h"
#include "records/record_indexes.h"
#include "store/store.h"

namespace ncbnet::apps {

class OtherNodes {
 public:
  // How often this node tells the others what its public endpoints allowed, and at most how
  // many source addresses per telling (the busiest first).
  static constexpr std::chrono::milliseconds kShareEvery{250};
  static constexpr std::size_t kMaxSharedSources = 2000;

  OtherNodes(store::Store& store, records::RecordIndexes& indexes, api::Wakeups& wakeups,
             access::LoginThrottle& throttle, RateLimiter& public_limiter);
  ~OtherNodes();
  OtherNodes(const OtherNodes&) = delete;
  OtherNodes& operator=(const OtherNodes&) = delete;

 private:
  void Heard(const std::string& topic);
  void SharePublicSpending();

  store::Store& store_;
  records::RecordIndexes& indexes_;
  api::Wakeups& wakeups_;
  access::LoginThrottle& throttle_;
  RateLimiter& public_limiter_;
  int id_ = 0;
  std::optional<PeriodicTask> share_;  // declared last: stopped first
};

// The rate-limit topics' payload, "count source;count source;...", in pieces of at most
// `max_bytes` (a notification's payload is bounded); and back. A malformed piece is skipped.
std::vector<std::string> EncodeSpending(const std::vector<std::pair<std::string, int>>& spent,
                                        std::size_t max_bytes);
std::vector<std::pair<std::string, int>> DecodeSpending(std::string_view payload);

}  // namespace ncbnet::apps
