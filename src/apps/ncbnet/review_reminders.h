// Review reminders for the hub process (hits/reminders.h): hub_runner.cc runs
// SendAllReviewReminders every hour on a PeriodicTask, beside the HTTPS server.
#pragma once

#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "crypto/sign.h"
#include "messaging/message_service.h"
#include "store/store.h"

namespace ncbnet::apps {

// Sends review reminders (hits::SendReviewReminders, 30 days ahead) until none is due, in
// write transactions of at most 20 messages each, each batch audited ("record.review_remind",
// user "hub"). Returns the number of messages sent, or the first error.
Result<int> SendAllReviewReminders(store::Store& store, const crypto::SigningKey& audit_key,
                                   const messaging::DataKey& data_key,
                                   const crypto::SigningKey& hub_message_key, const Clock& clock);

}  // namespace ncbnet::apps
