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
