#include "core/rate_limiter.h"

#include <string>
#include <utility>
#include <vector>

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

// Two hub nodes: what one allowed, told to the other, counts against the same budget there.
TEST(RateLimiterTest, SpendingOnAnotherNodeCountsHere) {
  RateLimiter a({.per_minute = 60, .burst = 4});
  RateLimiter b({.per_minute = 60, .burst = 4});
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(a.Acquire("10.0.0.1", 1000).has_value()) << i;
  EXPECT_FALSE(a.Acquire("10.0.0.2", 1000).has_value());
  const auto spent = a.TakeSpent(10);
  ASSERT_EQ(spent.size(), 2U);
  EXPECT_EQ(spent[0], (std::pair<std::string, int>{"10.0.0.1", 3}));  // the largest first
  EXPECT_EQ(spent[1], (std::pair<std::string, int>{"10.0.0.2", 1}));
  EXPECT_TRUE(a.TakeSpent(10).empty());  // taken once
  for (const auto& [key, count] : spent) b.SpendElsewhere(key, count, 1000);
  EXPECT_FALSE(b.Acquire("10.0.0.1", 1000).has_value());  // 4 - 3 = 1 left
  const auto refused = b.Acquire("10.0.0.1", 1000);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->retry_after_s, 1);
  // What was spent elsewhere is not told again: b's tally holds only its own request.
  EXPECT_EQ(b.TakeSpent(10), (std::vector<std::pair<std::string, int>>{{"10.0.0.1", 1}}));
}

TEST(RateLimiterTest, SpendingElsewhereOwesAtMostOneMinute) {
  RateLimiter limiter({.per_minute = 6, .burst = 2});  // one every 10 s
  limiter.SpendElsewhere("a", 1'000'000, 0);           // a flood on other nodes
  const auto wait = limiter.Acquire("a", 0);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(wait->retry_after_s, 70);  // from -6 tokens back to 1: 7 tokens, 10 s each
  EXPECT_FALSE(limiter.Acquire("a", 70'000).has_value());
  limiter.SpendElsewhere("b", 0, 0);
  limiter.SpendElsewhere("b", -5, 0);  // nothing, not a gift
  EXPECT_FALSE(limiter.Acquire("b", 0).has_value());
  EXPECT_FALSE(limiter.Acquire("b", 0).has_value());
  EXPECT_TRUE(limiter.Acquire("b", 0).has_value());
}

TEST(RateLimiterTest, TakeSpentKeepsTheLargestWithinTheBound) {
  RateLimiter limiter({.per_minute = 600, .burst = 100});
  for (int k = 1; k <= 5; ++k) {
    for (int i = 0; i < k; ++i) ASSERT_FALSE(limiter.Acquire(std::to_string(k), 0).has_value());
  }
  EXPECT_EQ(limiter.TakeSpent(2), (std::vector<std::pair<std::string, int>>{{"5", 5}, {"4", 4}}));
  EXPECT_TRUE(limiter.TakeSpent(2).empty());  // the rest is forgotten, not kept for later
}

}  // namespace
}  // namespace ncbnet
