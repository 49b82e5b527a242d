// When the CLI's client commands send a request again (issue 17, item 5): while the hub's store
// is unreachable the hub answers 503 with Retry-After, and while a hub node restarts the
// connection fails before any answer. HubClient (client_flags.h) asks RetryDelay() after each
// failed attempt and waits what it says. The rules (docs/records-cli.md, "Retries"):
//   - a 503 is retried for every request: the hub committed nothing of it; the wait is the
//     answer's Retry-After (1 s when absent or unreadable), capped at kMaxWait;
//   - a connection that failed before the request went out (connect_failed, handshake_failed)
//     is retried for every request, with a doubling backoff from kFirstBackoff;
//   - a connection lost after the request went out (write_failed, read_failed) is retried only
//     for requests that are safe to replay: reads, and writes the hub answers once per
//     Idempotency-Key (see ReplaySafe());
//   - nothing else, and nothing once the total wait would pass the budget.
// A small random jitter, given by the caller, is added to each wait so that many clients that
// failed together do not come back together.
//
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ncbnet::apps {

inline constexpr std::chrono::milliseconds kDefaultRetryBudget{30'000};
inline constexpr std::chrono::milliseconds kMaxWait{5'000};
inline constexpr std::chrono::milliseconds kFirstBackoff{500};
inline constexpr std::chrono::milliseconds kMaxJitter{250};

// One failed attempt: either an answer (`http_status` > 0) or a transport failure (`reason`,
// as HttpsClient's kUnavailable reasons).
struct FailedAttempt {
  int http_status = 0;
  std::string retry_after;  // the answer's Retry-After header, if any
  std::string reason;       // transport failure: "connect_failed", "read_failed"...
  int retries_so_far = 0;   // attempts already repeated
};

// False for writes the hub may have done without keeping an answer to replay: a check or a
// search records hits, sign-in has no caller to keep a key for, and completing an attachment
// upload consumes the upload, outside the Idempotency-Key's transaction. A lost answer to these is
// reported, not resent.
bool ReplaySafe(std::string_view method, std::string_view target);

// The wait before sending `method target` again, or nullopt to stop and report the failure.
// `spent` is the time waited so far; `jitter` is added to the wait (0 to kMaxJitter).
std::optional<std::chrono::milliseconds> RetryDelay(const FailedAttempt& failed,
                                                    std::string_view method,
                                                    std::string_view target,
                                                    std::chrono::milliseconds budget,
                                                    std::chrono::milliseconds spent,
                                                    std::chrono::milliseconds jitter);

// The line shown on stderr before a wait, without the "ncbnet: " prefix, e.g.
// "hub unavailable (store_unavailable), retrying in 1.2 s" or
// "hub unreachable (connect_failed: Connection refused), retrying in 0.5 s".
std::string RetryNotice(const FailedAttempt& failed, std::string_view detail,
                        std::chrono::milliseconds wait);

}  // namespace ncbnet::apps
