// One step of a notice's life, as every transition ends: the notice saved, its history row,
// and the message to the parties. Not part of the module's public surface.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"
#include "notices/internal/messages.h"
#include "notices/kinds.h"
#include "notices/notices.h"
#include "store/store.h"

namespace ncbnet::notices::internal {

struct Step {
  std::string_view action;  // the history's action: submit, approve, cancel...
  std::string_view what;    // the change in words, for the message: "submitted for review"
  Audience audience = Audience::kRequester;
};

// Saves `n` (its version checked and incremented), appends the history row and sends the
// message.
Status Commit(store::Transaction& tx, const Keys& keys, Notice& n, const Actor& actor,
              const Step& step, std::string_view note, std::int64_t now_ms);

// The kind of a stored notice. kDataLoss if the stored kind is unknown.
Result<const Kind*> KindOf(const Notice& n);

// A note or reasons: at most 4,000 bytes of UTF-8 without control characters but newlines;
// `required` refuses an empty one. Error: kInvalidArgument "invalid_notice".
Status CheckNote(std::string_view note, bool required);

}  // namespace ncbnet::notices::internal
