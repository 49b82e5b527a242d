// Counts per UTC day, for the dashboards' charts (GET /v1/stats/activity): each module asks
// its own table with a query that yields (day, count) rows, day being whole days since
// 1970-01-01 UTC (`<time_ms column> / 86400000`, integer division on both back ends).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace ncbnet::store {

inline constexpr std::int64_t kMillisPerDay = 86'400'000;

struct DayCount {
  std::int64_t day = 0;  // days since 1970-01-01 UTC
  std::int64_t count = 0;

  friend bool operator==(const DayCount&, const DayCount&) = default;
};

// Runs `sql`, which must select (day, count) grouped by day, and returns its rows in day order.
Result<std::vector<DayCount>> CountPerDay(Transaction& tx, std::string_view sql,
                                          const std::vector<Value>& params);

}  // namespace ncbnet::store
