// The hub messages that tell the parties of a notice's change (notices.h; their form in
// docs/notices.md). Not part of the module's public surface.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"
#include "notices/notices.h"
#include "store/store.h"

namespace ncbnet::notices::internal {

enum class Audience {
  kRequester,   // the requesting NCB (and the requesting agency if it is not the NCB)
  kAll,         // every NCB (the requester among them)
  kRecipients,  // a diffusion's recipients (every NCB if sent to all) and the requester
};

// Sends one message about `n` after the change recorded as history row `seq`: `what` is the
// change in words ("published", "returned for more information"), `note` the reasons.
// Adds the agencies it went to to n.told.
Status Tell(store::Transaction& tx, const Keys& keys, Notice& n, std::int64_t seq,
            std::string_view what, std::string_view note, Audience audience, std::int64_t now_ms);

}  // namespace ncbnet::notices::internal
