// A token bucket per key (a source address): each key may spend `burst` requests at once,
// then `per_minute`, refilled evenly. Used by the public, unauthenticated endpoints so that no
// one source can flood them (api/public_notice_handlers.cc).
//
// State is in memory and bounded: past `max_keys` keys, the buckets that have refilled are
// dropped (they are indistinguishable from new ones); if none has, the new key is refused
// until one does, so a flood of addresses cannot grow the map without bound.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

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
  std::int64_t refused_total_ = 0;                      // guarded by mu_
};

}  // namespace ncbnet
