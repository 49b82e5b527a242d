// Resolving a message's addressing to agencies, and the rules of who may send to whom
// (messaging/message_service.h, issue 3). Not part of the module's public surface.
#pragma once

#include <string>
#include <vector>

#include "access/agencies.h"
#include "core/status.h"
#include "messaging/message.h"
#include "store/store.h"

namespace ncbnet::messaging::internal {

// The agencies `to` names, deduplicated and sorted, without the sender. Errors: kNotFound
// "unknown_recipient" (an absent or disabled agency, a country without an NCB, a group that
// does not exist);
// kPermissionDenied "recipient_not_allowed" (the rules of message_service.h);
// kInvalidArgument "invalid_message" when the sender is the only recipient. Each names the
// recipient at fault.
Result<std::vector<std::string>> ResolveRecipients(store::Transaction& tx,
                                                   const access::Agency& sender,
                                                   const Addressing& to);

}  // namespace ncbnet::messaging::internal
