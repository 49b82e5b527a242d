#include "apps/ncbnet/client_retry.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace ncbnet::apps {
namespace {

using std::chrono::milliseconds;

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Retry-After in seconds (RFC 9110 also allows an HTTP date, which the hub never sends: such a
// value counts as 1 s, as an absent one).
milliseconds RetryAfter(std::string_view value) {
  unsigned seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
    return milliseconds(1000);
  }
  return std::min<milliseconds>(std::chrono::seconds(seconds), kMaxWait);
}

// The request never reached the hub: resending it cannot do anything twice.
bool NotSent(std::string_view reason) {
  return reason == "connect_failed" || reason == "handshake_failed";
}

bool LostAfterSending(std::string_view reason) {
  return reason == "write_failed" || reason == "read_failed";
}

milliseconds Backoff(int retries_so_far) {
  milliseconds wait = kFirstBackoff;
  for (int i = 0; i < retries_so_far && wait < kMaxWait; ++i) wait *= 2;
  return std::min(wait, kMaxWait);
}

}  // namespace

bool ReplaySafe(std::string_view method, std::string_view target) {
  if (method == "GET" || method == "HEAD") return true;
  const std::string_view path = target.substr(0, target.find('?'));
  if (StartsWith(path, "/v1/checks/") || path == "/v1/border-checks" ||
      StartsWith(path, "/v1/search/") || path == "/v1/screening" || StartsWith(path, "/v1/auth/")) {
    return false;
  }
  return !(StartsWith(path, "/v1/attachments/uploads/") && EndsWith(path, "/complete"));
}

std::optional<milliseconds> RetryDelay(const FailedAttempt& failed, std::string_view method,
                                       std::string_view target, milliseconds budget,
                                       milliseconds spent, milliseconds jitter) {
  milliseconds wait{0};
  if (failed.http_status == 503) {
    wait = RetryAfter(failed.retry_after);
  } else if (failed.http_status == 0 &&
             (NotSent(failed.reason) ||
              (LostAfterSending(failed.reason) && ReplaySafe(method, target)))) {
    wait = Backoff(failed.retries_so_far);
  } else {
    return std::nullopt;
  }
  wait += std::clamp(jitter, milliseconds(0), kMaxJitter);
  if (spent + wait > budget) return std::nullopt;
  return wait;
}

std::string RetryNotice(const FailedAttempt& failed, std::string_view detail, milliseconds wait) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", static_cast<double>(wait.count()) / 1000);
  std::string_view shown(seconds);
  if (EndsWith(shown, ".0")) shown.remove_suffix(2);  // "1 s", not "1.0 s"
  return std::string(failed.http_status > 0 ? "hub unavailable (" : "hub unreachable (") +
         std::string(detail) + "), retrying in " + std::string(shown) + " s";
}

}  // namespace ncbnet::apps
