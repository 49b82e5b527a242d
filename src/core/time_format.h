// ISO 8601 UTC timestamps ("2026-11-28T09:24:17.123Z") to and from milliseconds since the epoch.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ncbnet {

std::string FormatIsoMillis(std::int64_t millis);
// The UTC date of `millis`: "2026-11-18".
std::string FormatIsoDate(std::int64_t millis);

// Accepts "YYYY-MM-DDTHH:MM:SSZ" and "YYYY-MM-DDTHH:MM:SS.mmmZ". Anything else is
// kInvalidArgument "invalid_timestamp".
Result<std::int64_t> ParseIsoMillis(std::string_view text);

}  // namespace ncbnet
