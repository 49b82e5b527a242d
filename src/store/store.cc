#include "store/store.h"

#include <cstdint>

namespace ncbnet::store {

const std::string& Value::AsText() const {
  static const std::string* const kEmpty = new std::string();
  if (is_text()) return std::get<std::string>(v_);
  if (is_blob()) return std::get<Blob>(v_).bytes;
  return *kEmpty;
}

namespace {

// True if `s` is well-formed UTF-8 (no overlong forms, no surrogates) without NUL.
bool IsStorableText(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    int n = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(n) >= s.size()) return false;  // cut short
    for (int k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += static_cast<std::size_t>(n) + 1;
  }
  return true;
}

}  // namespace

Status CheckTextParams(const std::vector<Value>& params) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (params[i].is_text() && !IsStorableText(params[i].AsText())) {
      return Status::InvalidArgument(
          "invalid_text", "parameter " + std::to_string(i + 1) + " is not UTF-8 text without NUL");
    }
  }
  return Status::Ok();
}

Result<std::optional<Row>> Transaction::QueryOne(std::string_view sql, Params params) {
  NCBNET_ASSIGN_OR_RETURN(std::vector<Row> rows, Query(sql, std::vector<Value>(params)));
  if (rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows.front()));
}

}  // namespace ncbnet::store
