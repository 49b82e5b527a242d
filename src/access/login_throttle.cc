#include "access/login_throttle.h"

#include <algorithm>
#include <string>
#include <utility>

namespace ncbnet::access {
namespace {

// Bounds memory under a spray of distinct names or addresses.
constexpr std::size_t kPruneAbove = 100'000;

// The events nodes tell each other (SetForwarder, ApplyFromElsewhere).
constexpr std::string_view kFailEvent = "fail\t";
constexpr std::string_view kSuccessEvent = "ok\t";

}  // namespace

std::optional<std::int64_t> LoginThrottle::LockedFor(const Map& map, std::string_view key, int max,
                                                     std::int64_t now_ms) const {
  const auto it = map.find(key);
  if (it == map.end() || it->second.failures < max) return std::nullopt;
  const std::int64_t until = it->second.last_failure_ms + options_.lockout_ms;
  if (until <= now_ms) return std::nullopt;
  return std::max<std::int64_t>(1, (until - now_ms + 999) / 1000);
}

std::optional<std::int64_t> LoginThrottle::RetryAfterSeconds(std::string_view account,
                                                             std::string_view source,
                                                             std::int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto a = LockedFor(accounts_, account, options_.max_failures_per_account, now_ms);
  const auto s = LockedFor(sources_, source, options_.max_failures_per_source, now_ms);
  if (!a && !s) return std::nullopt;
  return std::max(a.value_or(0), s.value_or(0));
}

void LoginThrottle::Bump(Map& map, std::string_view key, std::int64_t now_ms) {
  auto it = map.find(key);
  if (it == map.end()) it = map.emplace(std::string(key), Entry{}).first;
  Entry& e = it->second;
  // Failures further apart than the lockout window start a new count.
  if (e.failures > 0 && now_ms - e.last_failure_ms > options_.lockout_ms) e.failures = 0;
  ++e.failures;
  e.last_failure_ms = now_ms;
}

void LoginThrottle::PruneIfLarge(Map& map, std::int64_t now_ms) {
  if (map.size() <= kPruneAbove) return;
  for (auto it = map.begin(); it != map.end();) {
    it =
        (now_ms - it->second.last_failure_ms > options_.lockout_ms) ? map.erase(it) : std::next(it);
  }
}

void LoginThrottle::RecordFailure(std::string_view account, std::string_view source,
                                  std::int64_t now_ms) {
  Fail(account, source, now_ms);
  // "fail <TAB> source <TAB> account": the account last, since it is whatever was typed.
  if (forward_)
    forward_(std::string(kFailEvent) + std::string(source) + "\t" + std::string(account));
}

void LoginThrottle::RecordSuccess(std::string_view account) {
  Succeed(account);
  if (forward_) forward_(std::string(kSuccessEvent) + std::string(account));
}

void LoginThrottle::SetForwarder(std::function<void(std::string_view event)> forward) {
  forward_ = std::move(forward);
}

void LoginThrottle::ApplyFromElsewhere(std::string_view event, std::int64_t now_ms) {
  if (event.starts_with(kFailEvent)) {
    const std::string_view rest = event.substr(kFailEvent.size());
    const std::size_t tab = rest.find('\t');
    if (tab != std::string_view::npos) Fail(rest.substr(tab + 1), rest.substr(0, tab), now_ms);
  } else if (event.starts_with(kSuccessEvent)) {
    Succeed(event.substr(kSuccessEvent.size()));
  }
}

void LoginThrottle::Fail(std::string_view account, std::string_view source, std::int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  Bump(accounts_, account, now_ms);
  Bump(sources_, source, now_ms);
  ++failures_total_;
  PruneIfLarge(accounts_, now_ms);
  PruneIfLarge(sources_, now_ms);
}

void LoginThrottle::Succeed(std::string_view account) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = accounts_.find(account);
  if (it != accounts_.end()) accounts_.erase(it);
}

std::int64_t LoginThrottle::failures_total() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_total_;
}

}  // namespace ncbnet::access
