// Reading fields of a request's JSON body with precise errors: kInvalidArgument
// "invalid_request" naming the field and what was expected.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace ncbnet::api {

// A string of 1 to `max_bytes` bytes of valid UTF-8 without control characters.
Result<std::string> RequiredString(const nlohmann::json& body, const char* field,
                                   std::size_t max_bytes = 256);
Result<std::optional<std::string>> OptionalString(const nlohmann::json& body, const char* field,
                                                  std::size_t max_bytes = 256);
// An optional ISO 8601 UTC timestamp, as milliseconds.
Result<std::optional<std::int64_t>> OptionalTime(const nlohmann::json& body, const char* field);
// An optional integer in [lo, hi]; `fallback` when absent or null.
Result<std::int64_t> OptionalInt(const nlohmann::json& body, const char* field,
                                 std::int64_t fallback, std::int64_t lo, std::int64_t hi);

// null, or the ISO 8601 form of `ms`.
nlohmann::json TimeOrNull(const std::optional<std::int64_t>& ms);

}  // namespace ncbnet::api
