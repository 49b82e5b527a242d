#include "messaging/activity.h"

#include <string>

namespace ncbnet::messaging {

Result<std::vector<store::DayCount>> MessagesSentPerDay(store::Transaction& tx,
                                                        std::string_view agency_id,
                                                        std::int64_t since_ms) {
  // messages_sender (sender_agency, accepted_ms) bounds the scan to the window.
  return store::CountPerDay(tx,
                            "SELECT accepted_ms / 86400000 AS day, count(*) FROM messages"
                            " WHERE sender_agency = ? AND accepted_ms >= ? GROUP BY day",
                            {std::string(agency_id), since_ms});
}

Result<std::vector<store::DayCount>> MessagesReceivedPerDay(store::Transaction& tx,
                                                            std::string_view agency_id,
                                                            std::int64_t since_ms) {
  return store::CountPerDay(tx,
                            "SELECT queued_ms / 86400000 AS day, count(*) FROM message_recipients"
                            " WHERE agency_id = ? AND queued_ms >= ? GROUP BY day",
                            {std::string(agency_id), since_ms});
}

}  // namespace ncbnet::messaging
