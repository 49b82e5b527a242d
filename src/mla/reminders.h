// Deadline reminders of MLA requests (mla/mla.h): the requested side (its NCB and the agency
// the request is assigned to) is told through a hub message when an open request's deadline is
// near, and again when it has passed, each once per request. The hub runs
// SendDeadlineReminders periodically (apps/ncbnet/mla_reminders.h); `ncbnet mla remind` runs it
// once.
//
// Thread safety: plain functions on a caller's store transaction.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "mla/mla.h"
#include "store/store.h"

namespace ncbnet::mla {

inline constexpr std::int64_t kDueSoonWindowMs = std::int64_t{3} * 24 * 3600 * 1000;

struct ReminderResult {
  int due_soon = 0;  // "answer due by" reminders sent
  int overdue = 0;   // "overdue" reminders sent
};

// For open requests (sent, received, in_progress) whose deadline has passed and that were not
// reminded of it, sends an overdue reminder; for those due within `within_ms` and not reminded
// yet, a due-soon reminder (an overdue one replaces it if the deadline passed unreminded).
// Marks each (mla_requests.due_reminded_ms, overdue_reminded_ms). At most `max_messages` per
// call, earliest deadline first; call again while it sends that many. Needs a write
// transaction. Errors: the store's, SendHubMessage's, kDataLoss "mla_text_damaged".
Result<ReminderResult> SendDeadlineReminders(store::Transaction& tx, const Keys& keys,
                                             std::int64_t now_ms,
                                             std::int64_t within_ms = kDueSoonWindowMs,
                                             int max_messages = 50);

}  // namespace ncbnet::mla
