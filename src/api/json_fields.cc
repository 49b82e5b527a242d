#include "api/json_fields.h"

#include "core/time_format.h"

namespace ncbnet::api {
namespace {

Status Invalid(const char* field, const std::string& what) {
  return Status::InvalidArgument("invalid_request", std::string("'") + field + "' " + what);
}

bool HasControlCharacters(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

}  // namespace

Result<std::optional<std::string>> OptionalString(const nlohmann::json& body, const char* field,
                                                  std::size_t max_bytes) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return Invalid(field, "must be a string");
  std::string value = it->get<std::string>();  // nlohmann validated the UTF-8 when parsing
  if (value.empty() || value.size() > max_bytes) {
    return Invalid(field, "must be 1 to " + std::to_string(max_bytes) + " bytes");
  }
  if (HasControlCharacters(value)) return Invalid(field, "must not hold control characters");
  return std::optional<std::string>(std::move(value));
}

Result<std::string> RequiredString(const nlohmann::json& body, const char* field,
                                   std::size_t max_bytes) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalString(body, field, max_bytes));
  if (!value) return Invalid(field, "is required");
  return std::move(*value);
}

Result<std::optional<std::int64_t>> OptionalTime(const nlohmann::json& body, const char* field) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<std::string> text, OptionalString(body, field, 40));
  if (!text) return std::optional<std::int64_t>();
  auto ms = ParseIsoMillis(*text);
  if (!ms.ok()) return Invalid(field, "must be an ISO 8601 UTC time like 2027-01-31T12:00:00Z");
  return std::optional<std::int64_t>(*ms);
}

Result<std::int64_t> OptionalInt(const nlohmann::json& body, const char* field,
                                 std::int64_t fallback, std::int64_t lo, std::int64_t hi) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || it->get<std::int64_t>() < lo || it->get<std::int64_t>() > hi) {
    return Invalid(
        field, "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  return it->get<std::int64_t>();
}

nlohmann::json TimeOrNull(const std::optional<std::int64_t>& ms) {
  if (!ms) return nullptr;
  return FormatIsoMillis(*ms);
}

}  // namespace ncbnet::api
