// How many messages an agency sent and received per UTC day (the console's dashboard,
// GET /v1/stats/activity). A message to several agencies counts once for its sender and once
// for each recipient.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "store/day_counts.h"

namespace ncbnet::messaging {

Result<std::vector<store::DayCount>> MessagesSentPerDay(store::Transaction& tx,
                                                        std::string_view agency_id,
                                                        std::int64_t since_ms);
Result<std::vector<store::DayCount>> MessagesReceivedPerDay(store::Transaction& tx,
                                                            std::string_view agency_id,
                                                            std::int64_t since_ms);

}  // namespace ncbnet::messaging
