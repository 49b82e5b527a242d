#include "core/rate_limiter.h"

#include <gtest/gtest.h>

namespace ncbnet {
namespace {

TEST(RateLimiterTest, AllowsTheBurstThenRefusesWithTheWait) {
  RateLimiter limiter({.per_minute = 60, .burst = 3});
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.Acquire("10.0.0.1", 1000).has_value()) << i;
  const auto wait = limiter.Acquire("10.0.0.1", 1000);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(wait->retry_after_s, 1);  // one request per second
  EXPECT_TRUE(wait->first);
  const auto again = limiter.Acquire("10.0.0.1", 1000);
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(again->first);
  EXPECT_EQ(limiter.refused_total(), 2);
  // Once a request passes, the next refusal is a first one again.
  EXPECT_FALSE(limiter.Acquire("10.0.0.1", 2000).has_value());
  const auto later = limiter.Acquire("10.0.0.1", 2000);
  ASSERT_TRUE(later.has_value());
  EXPECT_TRUE(later->first);
}

TEST(RateLimiterTest, KeysAreIndependent) {
  RateLimiter limiter({.per_minute = 1, .burst = 1});
  EXPECT_FALSE(limiter.Acquire("a", 0).has_value());
  EXPECT_TRUE(limiter.Acquire("a", 0).has_value());
  EXPECT_FALSE(limiter.Acquire("b", 0).has_value());
}

TEST(RateLimiterTest, RefillsEvenlyAndNeverPastTheBurst) {
  RateLimiter limiter({.per_minute = 6, .burst = 2});  // one every 10 s
  EXPECT_FALSE(limiter.Acquire("a", 0).has_value());
  EXPECT_FALSE(limiter.Acquire("a", 0).has_value());
  const auto wait = limiter.Acquire("a", 0);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(wait->retry_after_s, 10);
  EXPECT_TRUE(limiter.Acquire("a", 9'000).has_value());
  EXPECT_FALSE(limiter.Acquire("a", 10'000).has_value());
  // A long pause refills only up to the burst.
  EXPECT_FALSE(limiter.Acquire("a", 10'000'000).has_value());
  EXPECT_FALSE(limiter.Acquire("a", 10'000'000).has_value());
  EXPECT_TRUE(limiter.Acquire("a", 10'000'000).has_value());
}

TEST(RateLimiterTest, ATimeGoingBackwardsGivesNothingBack) {
  RateLimiter limiter({.per_minute = 60, .burst = 1});
  EXPECT_FALSE(limiter.Acquire("a", 50'000).has_value());
  EXPECT_TRUE(limiter.Acquire("a", 1'000).has_value());
}

TEST(RateLimiterTest, AFloodOfKeysIsBounded) {
  RateLimiter limiter({.per_minute = 60, .burst = 1, .max_keys = 2});
  EXPECT_FALSE(limiter.Acquire("a", 0).has_value());
  EXPECT_FALSE(limiter.Acquire("b", 0).has_value());
  // Both buckets are spent: a third key is refused rather than growing the map.
  EXPECT_TRUE(limiter.Acquire("c", 0).has_value());
  // Once "a" has refilled it is dropped, and a new key fits.
  EXPECT_FALSE(limiter.Acquire("c", 1'000).has_value());
}

}  // namespace
}  // namespace ncbnet
