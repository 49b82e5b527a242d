#include "access/login_throttle.h"

#include <gtest/gtest.h>

namespace ncbnet::access {
namespace {

TEST(LoginThrottle, LocksAccountAfterMaxFailuresThenReleases) {
  LoginThrottle t({3, 100, 60'000});
  std::int64_t now = 1'000'000;
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(t.RetryAfterSeconds("alice", "10.0.0.1", now));
    t.RecordFailure("alice", "10.0.0.1", now);
  }
  const auto wait = t.RetryAfterSeconds("alice", "10.0.0.2", now);
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 60);
  EXPECT_FALSE(t.RetryAfterSeconds("bob", "10.0.0.1", now));
  EXPECT_FALSE(t.RetryAfterSeconds("alice", "10.0.0.1", now + 60'000));
}

TEST(LoginThrottle, LocksSourceAcrossAccounts) {
  LoginThrottle t({100, 4, 60'000});
  for (int i = 0; i < 4; ++i) t.RecordFailure("user" + std::to_string(i), "10.0.0.9", 0);
  EXPECT_TRUE(t.RetryAfterSeconds("someone", "10.0.0.9", 1000));
  EXPECT_FALSE(t.RetryAfterSeconds("someone", "10.0.0.8", 1000));
  EXPECT_EQ(t.failures_total(), 4);
}

TEST(LoginThrottle, SuccessClearsAccountCount) {
  LoginThrottle t({2, 100, 60'000});
  t.RecordFailure("alice", "s", 0);
  t.RecordSuccess("alice");
  t.RecordFailure("alice", "s", 1);
  EXPECT_FALSE(t.RetryAfterSeconds("alice", "s", 2));
}

TEST(LoginThrottle, FailuresFarApartDoNotAccumulate) {
  LoginThrottle t({2, 100, 1000});
  t.RecordFailure("alice", "s", 0);
  t.RecordFailure("alice", "s", 5000);
  EXPECT_FALSE(t.RetryAfterSeconds("alice", "s", 5001));
}

}  // namespace
}  // namespace ncbnet::access

namespace ncbnet::access {
namespace {

// Two nodes wired to each other as the hub wires them through the store.
TEST(LoginThrottle, NodesShareTheirCountsThroughForwardedEvents) {
  const ThrottleOptions options{
      .max_failures_per_account = 4, .max_failures_per_source = 100, .lockout_ms = 60'000};
  LoginThrottle a(options);
  LoginThrottle b(options);
  a.SetForwarder([&](std::string_view event) { b.ApplyFromElsewhere(event, 1000); });
  b.SetForwarder([&](std::string_view event) { a.ApplyFromElsewhere(event, 1000); });
  // Two guesses on each node: four in all, the account is locked on both.
  const std::string account = "gs.admin\twith a tab";
  a.RecordFailure(account, "10.0.0.1", 1000);
  b.RecordFailure(account, "10.0.0.2", 1000);
  a.RecordFailure(account, "10.0.0.1", 1000);
  EXPECT_FALSE(a.RetryAfterSeconds(account, "10.0.0.9", 1000));
  b.RecordFailure(account, "10.0.0.2", 1000);
  EXPECT_TRUE(a.RetryAfterSeconds(account, "10.0.0.9", 1000));
  EXPECT_TRUE(b.RetryAfterSeconds(account, "10.0.0.9", 1000));
  // A success on one node clears the account on both.
  b.RecordSuccess(account);
  EXPECT_FALSE(a.RetryAfterSeconds(account, "10.0.0.9", 1000));
  EXPECT_FALSE(b.RetryAfterSeconds(account, "10.0.0.9", 1000));
}

TEST(LoginThrottle, EventsFromElsewhereAreNotForwardedAgainAndJunkIsIgnored) {
  LoginThrottle a(ThrottleOptions{});
  int forwarded = 0;
  a.SetForwarder([&](std::string_view) { ++forwarded; });
  a.ApplyFromElsewhere("fail\t10.0.0.1\tbob", 1000);
  a.ApplyFromElsewhere("ok\tbob", 1000);
  for (const char* junk : {"", "fail", "fail\t", "failure\tx\ty", "ok", "\t\t"}) {
    a.ApplyFromElsewhere(junk, 1000);
  }
  EXPECT_EQ(forwarded, 0);
  EXPECT_EQ(a.failures_total(), 1);
  a.RecordFailure("bob", "10.0.0.1", 1000);
  EXPECT_EQ(forwarded, 1);
}

}  // namespace
}  // namespace ncbnet::access
