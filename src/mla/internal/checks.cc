#include "mla/internal/checks.h"

#include "mla/mla.h"

namespace ncbnet::mla::internal {

Status Invalid(std::string_view field, std::string_view what) {
  return Status::InvalidArgument("invalid_mla_request",
                                 "'" + std::string(field) + "' " + std::string(what));
}

Status CheckText(std::string_view field, std::string_view text, std::size_t max_bytes,
                 bool required, bool multiline) {
  if (text.size() > max_bytes) {
    return Status::InvalidArgument("text_too_long", "'" + std::string(field) + "' exceeds " +
                                                        std::to_string(max_bytes) + " bytes");
  }
  if (required && text.empty()) return Invalid(field, "is required");
  if (!messaging::IsCleanText(text, multiline)) {
    return Invalid(field, multiline
                              ? "must be UTF-8 without control characters but tab and newlines"
                              : "must be one line of UTF-8 without control characters");
  }
  return Status::Ok();
}

Status CheckLines(std::string_view field, const std::vector<std::string>& items,
                  std::size_t max_bytes, std::size_t min_items) {
  if (items.size() < min_items || items.size() > kMaxItems) {
    return Invalid(field, "must hold " + std::to_string(min_items) + " to " +
                              std::to_string(kMaxItems) + " items");
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    NCBNET_RETURN_IF_ERROR(
        CheckText(std::string(field) + "[" + std::to_string(i) + "]", items[i], max_bytes, true));
  }
  return Status::Ok();
}

Status CheckFiles(const std::vector<messaging::AttachmentRef>& files) {
  const Status s = messaging::ValidateAttachmentRefs(files);
  if (s.ok()) return s;
  return Status::InvalidArgument("invalid_mla_request", s.message());
}

}  // namespace ncbnet::mla::internal
