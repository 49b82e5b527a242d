#include "apps/ncbnet/clock_check.h"

#include <cstdlib>
#include <optional>
#include <string>

namespace ncbnet::apps {

Status CheckClockSkew(const Clock& clock, store::Store& store, std::int64_t tolerance_ms) {
  const std::int64_t before = clock.NowMillis();
  NCBNET_ASSIGN_OR_RETURN(const std::optional<std::int64_t> server, store.ServerTimeMillis());
  if (!server) return Status::Ok();
  const std::int64_t after = clock.NowMillis();
  // The server read its clock somewhere between `before` and `after`.
  const std::int64_t skew = *server - (before + (after - before) / 2);
  if (std::llabs(skew) <= tolerance_ms + (after - before) / 2) return Status::Ok();
  return Status::FailedPrecondition(
      "clock_skew", "the store server's clock is " + std::to_string(skew) +
                        " ms ahead of this node's (a negative number: behind); the tolerance"
                        " is " +
                        std::to_string(tolerance_ms) +
                        " ms (max_clock_skew_ms): synchronise the clocks (NTP) before serving");
}

}  // namespace ncbnet::apps
