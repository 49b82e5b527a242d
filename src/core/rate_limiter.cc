#include "core/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace ncbnet {

double RateLimiter::Refill(Bucket& b, std::int64_t now_ms) const {
  const double per_ms = limit_.per_minute / 60'000.0;
  const std::int64_t elapsed = std::max<std::int64_t>(0, now_ms - b.updated_ms);
  b.tokens = std::min<double>(limit_.burst, b.tokens + static_cast<double>(elapsed) * per_ms);
  b.updated_ms = std::max(b.updated_ms, now_ms);
  return b.tokens;
}

void RateLimiter::Prune(std::int64_t now_ms) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (Refill(it->second, now_ms) >= limit_.burst) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
}

std::optional<RateLimiter::Refusal> RateLimiter::Acquire(std::string_view key,
                                                         std::int64_t now_ms) {
  const std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= limit_.max_keys) Prune(now_ms);
    if (buckets_.size() >= limit_.max_keys) {
      ++refused_total_;
      return Refusal{};
    }
    it = buckets_.emplace(std::string(key), Bucket{double(limit_.burst), now_ms}).first;
  }
  Bucket& b = it->second;
  if (Refill(b, now_ms) >= 1.0) {
    b.tokens -= 1.0;
    b.refused = false;
    if (spent_.size() < limit_.max_keys || spent_.contains(key)) ++spent_[it->first];
    return std::nullopt;
  }
  ++refused_total_;
  const double per_ms = limit_.per_minute / 60'000.0;
  const double wait_ms = (1.0 - b.tokens) / per_ms;
  Refusal refusal{std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait_ms / 1000.0))),
                  !b.refused};
  b.refused = true;
  return refusal;
}

std::vector<std::pair<std::string, int>> RateLimiter::TakeSpent(std::size_t max_keys) {
  std::map<std::string, int, std::less<>> spent;
  {
    const std::lock_guard<std::mutex> lock(mu_);
    spent.swap(spent_);
  }
  std::vector<std::pair<std::string, int>> out(std::make_move_iterator(spent.begin()),
                                               std::make_move_iterator(spent.end()));
  const auto larger = [](const auto& a, const auto& b) { return a.second > b.second; };
  if (out.size() > max_keys) {
    std::nth_element(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(max_keys), out.end(),
                     larger);
    out.resize(max_keys);
  }
  std::sort(out.begin(), out.end(), larger);
  return out;
}

void RateLimiter::SpendElsewhere(std::string_view key, int count, std::int64_t now_ms) {
  if (count <= 0) return;
  const std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= limit_.max_keys) Prune(now_ms);
    if (buckets_.size() >= limit_.max_keys) return;
    it = buckets_.emplace(std::string(key), Bucket{double(limit_.burst), now_ms}).first;
  }
  Bucket& b = it->second;
  Refill(b, now_ms);
  b.tokens = std::max<double>(b.tokens - count, -double(limit_.per_minute));
}

std::int64_t RateLimiter::refused_total() const {
  const std::lock_guard<std::mutex> lock(mu_);
  return refused_total_;
}

}  // namespace ncbnet
