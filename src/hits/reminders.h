// Review reminders (issue 4, item 2): the owner NCB is told, through a hub message, of its
// active records whose review date is near, once per review period. The hub runs
// SendReviewReminders periodically beside the message purge (apps/ncbnet/purge.h).
//
// Thread safety: plain functions on a caller's store transaction.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "crypto/sign.h"
#include "messaging/message_service.h"
#include "store/store.h"

namespace ncbnet::hits {

inline constexpr std::int64_t kDefaultReminderWindowMs = std::int64_t{30} * 24 * 3600 * 1000;
inline constexpr int kMaxRecordsPerReminder = 200;

struct ReminderResult {
  int messages = 0;  // messages sent
  int records = 0;   // records reminded of
};

// For active records whose review date falls before now_ms + within_ms and that were not
// reminded since their last change (records.reminded_ms null or older than updated_ms, so a
// review, which makes a new version, re-arms the reminder), sends one
// message per owner NCB listing at most kMaxRecordsPerReminder of them (database, id, external
// id, review date; oldest date first) and sets their reminded_ms to now_ms. At most
// `max_messages` messages per call; call again while it returns that many. Needs a write
// transaction. Errors: the store's, and SendHubMessage's.
Result<ReminderResult> SendReviewReminders(store::Transaction& tx,
                                           const messaging::DataKey& data_key,
                                           const crypto::SigningKey& hub_key, std::int64_t now_ms,
                                           std::int64_t within_ms = kDefaultReminderWindowMs,
                                           int max_messages = 20);

}  // namespace ncbnet::hits
