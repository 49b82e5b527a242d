#include "core/time_format.h"

#include <chrono>
#include <cstdio>

namespace ncbnet {
namespace {

bool ParseDigits(std::string_view text, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > text.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    v = v * 10 + (text[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::string FormatIsoMillis(std::int64_t millis) {
  using namespace std::chrono;
  const sys_time<milliseconds> tp{milliseconds{millis}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld.%03ldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()), static_cast<long>(hms.seconds().count()),
                static_cast<long>(hms.subseconds().count()));
  return buf;
}

std::string FormatIsoDate(std::int64_t millis) { return FormatIsoMillis(millis).substr(0, 10); }

Result<std::int64_t> ParseIsoMillis(std::string_view text) {
  using namespace std::chrono;
  const Status bad = Status::InvalidArgument(
      "invalid_timestamp", "expected an ISO 8601 UTC time such as 2026-01-31T12:00:00Z");
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  if (text.size() != 20 && text.size() != 24) return bad;
  if (!ParseDigits(text, 0, 4, y) || text[4] != '-' || !ParseDigits(text, 5, 2, mo) ||
      text[7] != '-' || !ParseDigits(text, 8, 2, d) || text[10] != 'T' ||
      !ParseDigits(text, 11, 2, h) || text[13] != ':' || !ParseDigits(text, 14, 2, mi) ||
      text[16] != ':' || !ParseDigits(text, 17, 2, s)) {
    return bad;
  }
  if (text.size() == 24) {
    if (text[19] != '.' || !ParseDigits(text, 20, 3, ms) || text[23] != 'Z') return bad;
  } else if (text[19] != 'Z') {
    return bad;
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return bad;
  const auto tp = sys_days{ymd} + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms};
  return static_cast<std::int64_t>(tp.time_since_epoch().count());
}

}  // namespace ncbnet
