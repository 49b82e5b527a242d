// The only way code under src/ learns the time. Production passes SystemClock(); tests pass
// testutil::FakeClock and move time by hand.
//
// Thread safety: Now() may be called concurrently.
#pragma once

#include <chrono>
#include <cstdint>

namespace ncbnet {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;

  // Milliseconds since the Unix epoch, the unit timestamps are stored in.
  std::int64_t NowMillis() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Now().time_since_epoch()).count();
  }
};

// A process-wide real clock. Never null; never deleted.
const Clock& SystemClock();

}  // namespace ncbnet
