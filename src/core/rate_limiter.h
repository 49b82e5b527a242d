// A token bucket per key (a source address): each key may spend `burst` requests at once,
// then `per_minute`, refilled evenly. Used by the public, unauthenticated endpoints so that no
// one source can flood them (api/public_notice_handlers.cc).
//
// State is in memory and bounded: past `max_keys` keys, the buckets that have refilled are
// dropped (they are indistinguishable from new ones); if none has, the new key is refused
// until one does, so a flood of addresses cannot grow the map without bound.
//
// Hub nodes on one store share one budget per key: each node takes what it allowed since it
// last looked (TakeSpent) and tells the others, which spend it from their own buckets
// (SpendElsewhere). Within the time between two tellings a key may spend its burst on each
// node; after it, the key's requests on every node count against one budget.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ncbnet {

struct RateLimit {
  int per_minute = 60;
  int burst = 20;
  std::size_t max_keys = 100'000;
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimit limit) : limit_(limit) {}

  struct Refusal {
    std::int64_t retry_after_s = 1;  // whole seconds (at least 1) until a request would pass
    bool first = true;               // the key's first refusal since its last allowed request
  };

  // Spends one request of `key` at `now_ms`: nullopt if allowed, else why not.
  std::optional<Refusal> Acquire(std::string_view key, std::int64_t now_ms);

  std::int64_t refused_total() const;

  // Requests allowed here per key since the last call, at most `max_keys` of them, the
  // largest counts first (the rest are forgotten, so that a flood of addresses costs the other
  // nodes a bounded message).
  std::vector<std::pair<std::string, int>> TakeSpent(std::size_t max_keys);
  // Spends `count` requests of `key` allowed by another node, as if allowed here at `now_ms`.
  // A bucket may go below zero (the key then waits until the whole budget is repaid), but not
  // below one minute's worth.
  void SpendElsewhere(std::string_view key, int count, std::int64_t now_ms);

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t updated_ms = 0;
    bool refused = false;  // refused since the last allowed request
  };
  double Refill(Bucket& b, std::int64_t now_ms) const;
  void Prune(std::int64_t now_ms);

  const RateLimit limit_;
  mutable std::mutex mu_;
  std::map<std::string, Bucket, std::less<>> buckets_;  // guarded by mu_
  std::map<std::string, int, std::less<>> spent_;       // guarded by mu_; since TakeSpent
  std::int64_t refused_total_ = 0;                      // guarded by mu_
};

}  // namespace ncbnet
