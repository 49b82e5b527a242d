// Checks of the texts and files of MLA requests and their steps, with the module's error codes
// (mla.h). Not part of the module's public surface.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "messaging/message.h"

namespace ncbnet::mla::internal {

// kInvalidArgument "invalid_mla_request": "'<field>' <what>".
Status Invalid(std::string_view field, std::string_view what);

// A text of at most `max_bytes` (else "text_too_long"), clean UTF-8 (single-line unless
// `multiline`), not empty if `required` (else "invalid_mla_request").
Status CheckText(std::string_view field, std::string_view text, std::size_t max_bytes,
                 bool required, bool multiline = false);

// `min_items`..kMaxItems single-line texts, each 1..max_bytes.
Status CheckLines(std::string_view field, const std::vector<std::string>& items,
                  std::size_t max_bytes, std::size_t min_items);

// Well-formed file references (messaging::ValidateAttachmentRefs), as "invalid_mla_request";
// possession is checked when the message that carries them is sent ("unknown_attachment").
Status CheckFiles(const std::vector<messaging::AttachmentRef>& files);

}  // namespace ncbnet::mla::internal
