// Throttles failed logins per account name and per source address, so that a password cannot
// be guessed online. The account key is the name as submitted, whether or not such a user
// exists, so the throttle does not reveal which names exist.
//
// After `max_failures` failures within `lockout` of each other, the key is locked until
// `lockout` after the last failure; while locked, every attempt (even a right password) is
// refused. A success clears the account's count (not the source's).
//
// State is in memory: a restart clears it (docs/architecture.md notes this). Hub nodes on one
// store share their counts: what a node records is forwarded as an event (SetForwarder), which
// the hub publishes to the other nodes, and applies theirs (ApplyFromElsewhere), so that
// guesses spread over several nodes count as if made on one (docs/deployment.md).
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace ncbnet::access {

struct ThrottleOptions {
  int max_failures_per_account = 5;
  int max_failures_per_source = 20;
  std::int64_t lockout_ms = 300'000;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(ThrottleOptions options) : options_(options) {}

  // Seconds the caller must wait, or nullopt when an attempt may proceed.
  std::optional<std::int64_t> RetryAfterSeconds(std::string_view account, std::string_view source,
                                                std::int64_t now_ms);
  void RecordFailure(std::string_view account, std::string_view source, std::int64_t now_ms);
  void RecordSuccess(std::string_view account);

  std::int64_t failures_total() const;

  // `forward` is called with an event for every failure and success recorded here (not those
  // applied from elsewhere). Set once, before use.
  void SetForwarder(std::function<void(std::string_view event)> forward);
  // Applies another node's event as if recorded here at `now_ms`; an event this class did not
  // make is ignored.
  void ApplyFromElsewhere(std::string_view event, std::int64_t now_ms);

 private:
  struct Entry {
    int failures = 0;
    std::int64_t last_failure_ms = 0;
  };
  using Map = std::map<std::string, Entry, std::less<>>;

  std::optional<std::int64_t> LockedFor(const Map& map, std::string_view key, int max,
                                        std::int64_t now_ms) const;
  void Bump(Map& map, std::string_view key, std::int64_t now_ms);
  void PruneIfLarge(Map& map, std::int64_t now_ms);

  void Fail(std::string_view account, std::string_view source, std::int64_t now_ms);
  void Succeed(std::string_view account);

  const ThrottleOptions options_;
  std::function<void(std::string_view event)> forward_;  // set before use, then only read
  mutable std::mutex mu_;
  Map accounts_;                     // guarded by mu_
  Map sources_;                      // guarded by mu_
  std::int64_t failures_total_ = 0;  // guarded by mu_
};

}  // namespace ncbnet::access
