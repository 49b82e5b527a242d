// MLA deadline reminders for the hub process (mla/reminders.h): hub_runner.cc runs
// SendAllMlaReminders every hour on a PeriodicTask, and `ncbnet mla remind --data-dir` once.
#pragma once

#include "core/clock.h"
#include "core/status.h"
#include "crypto/sign.h"
#include "messaging/message_service.h"
#include "mla/reminders.h"
#include "store/store.h"

namespace ncbnet::apps {

// Sends deadline reminders (mla::SendDeadlineReminders) until none is due, in write
// transactions of at most 50 messages each, each batch audited ("mla.remind", user "hub").
// Returns what was sent, or the first error (batches committed before it stay committed).
Result<mla::ReminderResult> SendAllMlaReminders(store::Store& store,
                                                const crypto::SigningKey& audit_key,
                                                const messaging::DataKey& data_key,
                                                const crypto::SigningKey& hub_message_key,
                                                const Clock& clock);

}  // namespace ncbnet::apps
