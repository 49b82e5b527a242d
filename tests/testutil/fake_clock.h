// A Clock that tests move by hand.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "core/clock.h"

namespace ncbnet::testutil {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t start_ms = 1'790'000'000'000) : now_ms_(start_ms) {}

  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(now_ms_.load()));
  }
  void Advance(std::chrono::milliseconds d) { now_ms_ += d.count(); }
  void SetMillis(std::int64_t ms) { now_ms_ = ms; }

 private:
  std::atomic<std::int64_t> now_ms_;
};

}  // namespace ncbnet::testutil
