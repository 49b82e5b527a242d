#include "apps/ncbnet/client_retry.h"

#include <gtest/gtest.h>

namespace ncbnet::apps {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kBudget{30'000};
constexpr milliseconds kNone{0};

std::optional<milliseconds> Delay(const FailedAttempt& f, std::string_view method = "GET",
                                  std::string_view target = "/v1/mailbox",
                                  milliseconds spent = kNone, milliseconds jitter = kNone) {
  return RetryDelay(f, method, target, kBudget, spent, jitter);
}

TEST(ClientRetry, WaitsRetryAfterOn503ForEveryRequest) {
  const FailedAttempt busy{.http_status = 503, .retry_after = "1"};
  EXPECT_EQ(Delay(busy), milliseconds(1000));
  EXPECT_EQ(Delay(busy, "POST", "/v1/messages"), milliseconds(1000));
  EXPECT_EQ(Delay(busy, "POST", "/v1/checks/SLTD"), milliseconds(1000));  // nothing committed
}

TEST(ClientRetry, CapsRetryAfterAndReadsAbsentOrDatesAsOneSecond) {
  EXPECT_EQ(Delay({.http_status = 503, .retry_after = "3600"}), kMaxWait);
  EXPECT_EQ(Delay({.http_status = 503}), milliseconds(1000));
  EXPECT_EQ(Delay({.http_status = 503, .retry_after = "Wed, 21 Oct 2026 07:28:00 GMT"}),
            milliseconds(1000));
}

TEST(ClientRetry, AddsTheJitterGivenUpToItsBound) {
  const FailedAttempt busy{.http_status = 503, .retry_after = "2"};
  EXPECT_EQ(Delay(busy, "GET", "/v1/hits", kNone, milliseconds(120)), milliseconds(2120));
  EXPECT_EQ(Delay(busy, "GET", "/v1/hits", kNone, milliseconds(99'000)),
            milliseconds(2000) + kMaxJitter);
}

TEST(ClientRetry, StopsWhenTheWaitWouldPassTheBudget) {
  const FailedAttempt busy{.http_status = 503, .retry_after = "1"};
  EXPECT_EQ(Delay(busy, "GET", "/v1/hits", milliseconds(29'000)), milliseconds(1000));
  EXPECT_EQ(Delay(busy, "GET", "/v1/hits", milliseconds(29'001)), std::nullopt);
  EXPECT_EQ(RetryDelay(busy, "GET", "/v1/hits", kNone, kNone, kNone), std::nullopt);  // disabled
}

TEST(ClientRetry, NeverRetriesOtherAnswers) {
  for (const int status : {400, 401, 403, 404, 409, 429, 500, 502}) {
    EXPECT_EQ(Delay({.http_status = status, .retry_after = "1"}), std::nullopt) << status;
  }
}

TEST(ClientRetry, RetriesARequestThatNeverWentOutWithDoublingBackoff) {
  EXPECT_EQ(Delay({.reason = "connect_failed"}, "POST", "/v1/checks/SLTD"), kFirstBackoff);
  EXPECT_EQ(Delay({.reason = "handshake_failed", .retries_so_far = 2}), kFirstBackoff * 4);
  EXPECT_EQ(Delay({.reason = "connect_failed", .retries_so_far = 40}), kMaxWait);
  EXPECT_EQ(Delay({.reason = "resolve_failed"}), std::nullopt);  // a wrong host name stays wrong
}

TEST(ClientRetry, ResendsAfterALostAnswerOnlyWhatTheHubReplays) {
  const FailedAttempt lost{.reason = "read_failed"};
  EXPECT_EQ(Delay(lost, "GET", "/v1/checks/SLTD?id=X"), kFirstBackoff);
  EXPECT_EQ(Delay(lost, "POST", "/v1/messages"), kFirstBackoff);
  EXPECT_EQ(Delay({.reason = "write_failed"}, "PUT", "/v1/attachments/uploads/u1?offset=0"),
            kFirstBackoff);
  EXPECT_EQ(Delay(lost, "POST", "/v1/checks/SLTD"), std::nullopt);
  EXPECT_EQ(Delay(lost, "POST", "/v1/border-checks"), std::nullopt);
  EXPECT_EQ(Delay(lost, "POST", "/v1/screening"), std::nullopt);
  EXPECT_EQ(Delay(lost, "POST", "/v1/search/NOMINAL"), std::nullopt);
  EXPECT_EQ(Delay(lost, "POST", "/v1/attachments/uploads/u1/complete"), std::nullopt);
  EXPECT_EQ(Delay(lost, "POST", "/v1/auth/login"), std::nullopt);
}

TEST(ClientRetry, SaysWhatFailedAndHowLongItWaits) {
  EXPECT_EQ(RetryNotice({.http_status = 503}, "store_unavailable", milliseconds(1000)),
            "hub unavailable (store_unavailable), retrying in 1 s");
  EXPECT_EQ(RetryNotice({.reason = "connect_failed"}, "connect_failed: Connection refused",
                        milliseconds(1240)),
            "hub unreachable (connect_failed: Connection refused), retrying in 1.2 s");
}

}  // namespace
}  // namespace ncbnet::apps
