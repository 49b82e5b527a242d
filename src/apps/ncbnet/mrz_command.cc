// ncbnet mrz parse: reads an MRZ on standard input and prints the verdict and every field as
// JSON (mrz::ToJson, the view the API shares), offline: no hub, no data directory. For
// integrators testing their document readers (docs/mrz.md).
//
// Exit status: 0 for a valid MRZ; 1 for an invalid one (the JSON still says what is wrong);
// 2 for a usage error (unknown arguments, a bad --today, unreadable standard input).
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/output.h"
#include "core/clock.h"
#include "mrz/mrz.h"

namespace ncbnet::apps {
namespace {

constexpr int kUsageError = 2;

struct MrzFlags {
  bool compact = false;
  std::string today;  // YYYY-MM-DD; empty for the system clock's date
};

int UsageError(const std::string& message) {
  std::cerr << "ncbnet: invalid_flags: " << message << "\n";
  return kUsageError;
}

// Strictly YYYY-MM-DD, a real calendar day.
std::optional<std::chrono::sys_days> ParseDay(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int fields[3] = {0, 0, 0};
  const std::pair<std::size_t, std::size_t> spans[3] = {{0, 4}, {5, 2}, {8, 2}};
  for (int i = 0; i < 3; ++i) {
    for (std::size_t k = 0; k < spans[i].second; ++k) {
      const char c = text[spans[i].first + k];
      if (c < '0' || c > '9') return std::nullopt;
      fields[i] = fields[i] * 10 + (c - '0');
    }
  }
  const std::chrono::year_month_day day{std::chrono::year(fields[0]),
                                        std::chrono::month(static_cast<unsigned>(fields[1])),
                                        std::chrono::day(static_cast<unsigned>(fields[2]))};
  if (!day.ok()) return std::nullopt;
  return std::chrono::sys_days(day);
}

// At most one byte more than an MRZ may have, so that a huge input is refused as too large
// without being read whole.
bool ReadInput(std::string& out) {
  out.resize(mrz::kMaxInputBytes + 1);
  std::cin.read(out.data(), static_cast<std::streamsize>(out.size()));
  out.resize(static_cast<std::size_t>(std::cin.gcount()));
  return !std::cin.bad();
}

int RunParse(const CLI::App& cmd, const MrzFlags& f) {
  if (!cmd.remaining().empty()) {
    return UsageError("unexpected argument '" + Printable(cmd.remaining().front()) +
                      "'; the MRZ is read from standard input");
  }
  std::chrono::sys_days today = std::chrono::floor<std::chrono::days>(SystemClock().Now());
  if (!f.today.empty()) {
    const std::optional<std::chrono::sys_days> day = ParseDay(f.today);
    if (!day) return UsageError("--today must be a date YYYY-MM-DD");
    today = *day;
  }
  std::string input;
  if (!ReadInput(input)) return UsageError("cannot read standard input");
  const mrz::Verdict verdict = mrz::Read(input, today);
  const nlohmann::json j = mrz::ToJson(verdict);
  if (f.compact) {
    std::cout << j.dump() << std::endl;
  } else {
    PrintJson(j);
  }
  return verdict.valid() ? 0 : 1;
}

}  // namespace

void RegisterMrz(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<MrzFlags>();
  CLI::App* mrz = app.add_subcommand("mrz", "ICAO Doc 9303 machine readable zones, offline");
  mrz->footer("Usage: ncbnet mrz parse [--compact] [--today YYYY-MM-DD] < mrz.txt");
  CLI::App* parse = mrz->add_subcommand(
      "parse", "Read MRZ lines on standard input; print the verdict and every field as JSON");
  parse->add_flag("--compact", f->compact, "One line of JSON instead of indented JSON");
  parse->add_option("--today", f->today,
                    "Resolve two-digit years as if today were this date (YYYY-MM-DD)");
  // Unknown arguments are refused here with exit status 2, not by CLI11's own exit codes.
  parse->allow_extras();
  parse->callback([parse, f, &exit_code] { exit_code = RunParse(*parse, *f); });
  mrz->allow_extras();
  mrz->callback([mrz, &exit_code] {
    if (mrz->get_subcommands().empty() || !mrz->remaining().empty()) {
      exit_code = UsageError("give a subcommand: mrz parse (MRZ lines on standard input)");
    }
  });
}

}  // namespace ncbnet::apps
