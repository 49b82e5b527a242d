#include "store/day_counts.h"

#include <algorithm>

namespace ncbnet::store {

Result<std::vector<DayCount>> CountPerDay(Transaction& tx, std::string_view sql,
                                          const std::vector<Value>& params) {
  NCBNET_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(sql, params));
  std::vector<DayCount> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    if (row.size() != 2) return Status::Internal("internal", "a day count is (day, count)");
    out.push_back({row[0].AsInt(), row[1].AsInt()});
  }
  std::sort(out.begin(), out.end(),
            [](const DayCount& a, const DayCount& b) { return a.day < b.day; });
  return out;
}

}  // namespace ncbnet::store
