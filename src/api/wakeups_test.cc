#include "api/wakeups.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace ncbnet::api {
namespace {

TEST(WakeupsTest, VersionCountsNotifications) {
  Wakeups wakeups;
  EXPECT_EQ(wakeups.Version("a"), 0U);
  wakeups.Notify("a");
  wakeups.Notify("a");
  EXPECT_EQ(wakeups.Version("a"), 2U);
  EXPECT_EQ(wakeups.Version("b"), 0U);
}

TEST(WakeupsTest, AWatcherIsCalledOnceOnItsTopicOnly) {
  Wakeups wakeups;
  int calls = 0;
  EXPECT_NE(wakeups.WatchOnce("a", 0, [&] { ++calls; }), 0U);
  EXPECT_EQ(wakeups.waiting(), 1U);
  wakeups.Notify("b");
  EXPECT_EQ(calls, 0);
  wakeups.Notify("a");
  EXPECT_EQ(calls, 1);
  wakeups.Notify("a");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(wakeups.waiting(), 0U);
}

TEST(WakeupsTest, AChangeBeforeTheWatchIsNotMissed) {
  Wakeups wakeups;
  const std::uint64_t seen = wakeups.Version("a");
  wakeups.Notify("a");  // between the look and the watch
  int calls = 0;
  EXPECT_EQ(wakeups.WatchOnce("a", seen, [&] { ++calls; }), 0U);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(wakeups.waiting(), 0U);
}

TEST(WakeupsTest, ACancelledWatcherIsNotCalled) {
  Wakeups wakeups;
  int calls = 0;
  const Wakeups::Token token = wakeups.WatchOnce("a", 0, [&] { ++calls; });
  wakeups.Cancel(token);
  wakeups.Cancel(token);      // twice is harmless
  wakeups.Cancel(token + 7);  // so is an unknown token
  wakeups.Notify("a");
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(wakeups.waiting(), 0U);
}

TEST(WakeupsTest, ConcurrentWatchersAndNotifiersLoseNoWakeup) {
  Wakeups wakeups;
  constexpr int kWatchers = 8;
  constexpr int kRounds = 200;
  std::atomic<int> called{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWatchers; ++w) {
    threads.emplace_back([&] {
      for (int i = 0; i < kRounds; ++i) {
        std::atomic<bool> fired{false};
        const std::uint64_t seen = wakeups.Version("t");
        wakeups.WatchOnce("t", seen, [&] { fired = true; });
        // Every round ends with a notification of its own, so each watch fires.
        wakeups.Notify("t");
        while (!fired) std::this_thread::yield();
        ++called;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(called.load(), kWatchers * kRounds);
  EXPECT_EQ(wakeups.waiting(), 0U);
}

}  // namespace
}  // namespace ncbnet::api
