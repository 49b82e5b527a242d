// MRZ dates: YYMMDD with unknown parts, and the century rule (docs/mrz.md, "Dates").
#include <cstdio>
#include <optional>

#include "mrz/internal/fields.h"
#include "mrz/mrz.h"

namespace ncbnet::mrz {

namespace internal {

namespace {

constexpr const char* kPartNames[3] = {"year", "month", "day"};

bool IsUnknownPair(std::string_view pair) { return pair == "<<" || pair == "XX"; }

bool IsDigitPair(std::string_view pair) {
  return pair[0] >= '0' && pair[0] <= '9' && pair[1] >= '0' && pair[1] <= '9';
}

// The latest year ending in `yy` that is not after `latest`.
int LatestYearEndingIn(int yy, int latest) { return latest - ((latest % 100 - yy + 100) % 100); }

// Birth: never in the future, as far as the date is known. Expiry: within
// [this year - 80, this year + 19].
int ResolveCentury(int yy, const PartialDate& date, std::chrono::year_month_day today,
                   bool is_birth) {
  const int this_year = static_cast<int>(today.year());
  if (!is_birth) return LatestYearEndingIn(yy, this_year + 19);
  int year = LatestYearEndingIn(yy, this_year);
  if (year == this_year && date.month) {
    const int month = static_cast<int>(static_cast<unsigned>(today.month()));
    const int day = static_cast<int>(static_cast<unsigned>(today.day()));
    if (*date.month > month || (*date.month == month && date.day && *date.day > day)) year -= 100;
  }
  return year;
}

int DaysInMonth(std::optional<int> year, int month) {
  static constexpr int kDays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && year && !std::chrono::year(*year).is_leap()) return 28;
  return kDays[month - 1];
}

}  // namespace

PartialDate FieldReader::ReadDate(std::string_view field, Span span,
                                  std::chrono::year_month_day today, bool is_birth) {
  const std::string what = is_birth ? "date of birth" : "date of expiry";
  PartialDate date;
  date.raw = std::string(At(span));
  // A document that does not expire prints no date at all; its check digit, over six fillers,
  // is 0 (Moldovan identity cards of persons over a certain age, among others).
  if (!is_birth && date.raw == "<<<<<<") return date;
  std::optional<int> parts[3];
  for (int i = 0; i < 3; ++i) {
    const std::string_view pair =
        std::string_view(date.raw).substr(static_cast<std::size_t>(2 * i), 2);
    const Span where{span.line, span.column + 2 * i, 2};
    if (IsDigitPair(pair)) {
      parts[i] = (pair[0] - '0') * 10 + (pair[1] - '0');
    } else if (!IsUnknownPair(pair)) {
      Report("mrz_bad_date", std::string(field), where,
             "the " + std::string(kPartNames[i]) + " of the " + what + " is '" + std::string(pair) +
                 "'; it must be two digits" + (is_birth ? " or unknown (<< or XX)" : ""),
             "", std::string(pair));
    } else if (!is_birth) {
      Report("mrz_bad_date", std::string(field), where,
             "the " + std::string(kPartNames[i]) + " of the " + what + " is unknown ('" +
                 std::string(pair) +
                 "'); only a date of birth may have unknown parts (a document without an expiry "
                 "date has <<<<<<)",
             "", std::string(pair));
    }
  }
  if (parts[1] && (*parts[1] < 1 || *parts[1] > 12)) {
    Report("mrz_bad_date", std::string(field), {span.line, span.column + 2, 2},
           "the month of the " + what + " is " + std::to_string(*parts[1]), "01..12",
           date.raw.substr(2, 2));
    parts[1].reset();
  }
  date.month = parts[1];
  if (parts[2]) date.day = parts[2];
  if (parts[0]) date.year = ResolveCentury(*parts[0], date, today, is_birth);
  if (date.day) {
    const int max = date.month ? DaysInMonth(date.year, *date.month) : 31;
    if (*date.day < 1 || *date.day > max) {
      Report("mrz_bad_date", std::string(field), {span.line, span.column + 4, 2},
             "the day of the " + what + " is " + std::to_string(*date.day),
             "01.." + std::to_string(max), date.raw.substr(4, 2));
      date.day.reset();
    }
  }
  return date;
}

}  // namespace internal

std::string PartialDate::ToIso() const {
  if (!year) return "";
  char buf[16];
  if (!month) {
    std::snprintf(buf, sizeof buf, "%04d", *year);
  } else if (!day) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", *year, *month);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", *year, *month, *day);
  }
  return buf;
}

}  // namespace ncbnet::mrz
