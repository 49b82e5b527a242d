// The texts of the hub's messages about MLA requests (docs/mla.md, "Messages"): one per state
// change, and the deadline reminders. Not part of the module's public surface.
#pragma once

#include "messaging/hub_messages.h"
#include "mla/mla.h"

namespace ncbnet::mla::internal {

// The message telling the parties about step `e` of `r` (r as it is after the step); the
// "sent" step carries the request's whole text. The caller sets recipients and files.
messaging::HubMessage StepMessage(const Request& r, const Event& e);

enum class ReminderKind { kDueSoon, kOverdue };

// The reminder to the requested side that `r`'s deadline is near or past.
messaging::HubMessage ReminderMessage(const Request& r, ReminderKind kind, std::int64_t now_ms);

}  // namespace ncbnet::mla::internal
