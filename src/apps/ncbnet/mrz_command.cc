// ncbnet mrz parse: reads an MRZ on standard input and prints the verdict and every field as
// JSON (mrz::ToJson, the view the API shares), offline: no hub, no data directory. For
// integrators testing their document readers (docs/mrz.md).
//
// Exit status: 0 for a valid MRZ; 1 for an invalid one (the JSON still says what is wrong);
// 2 for a usage error (unknown arguments, a bad --today, unreadable standard input).
#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/output.h"
#include "core/clock.h"
#include "mrz/mrz.h"

namespace ncbnet::apps {
namespace {

constexpr int kUsageError = 2;

struct MrzFlags {
  bool compact = false;
  bool offer_correction = false;               // with OCR confusions, add the corrected reading
  std::optional<std::chrono::sys_days> today;  // absent: the system clock's date
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

// CLI11 would end a bad flag with its own exit codes (104, 109, 114); `mrz parse` promises 2, so
// it reads its few arguments itself from what CLI11 leaves over.
std::optional<std::string> ReadArgs(const std::vector<std::string>& args, MrzFlags& f) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--compact" || arg == "--offer-correction") {
      (arg == "--compact" ? f.compact : f.offer_correction) = true;
      continue;
    }
    std::string value;
    if (arg == "--today" && i + 1 < args.size()) {
      value = args[++i];
    } else if (arg.rfind("--today=", 0) == 0) {
      value = arg.substr(8);
    } else if (arg == "--today") {
      return "--today needs a date YYYY-MM-DD";
    } else {
      return "unexpected argument '" + Printable(arg) + "'; the MRZ is read from standard input";
    }
    if (f.today) return "--today is given twice";
    f.today = ParseDay(value);
    if (!f.today) return "--today must be a date YYYY-MM-DD, not '" + Printable(value) + "'";
  }
  return std::nullopt;
}

int RunParse(const CLI::App& cmd) {
  MrzFlags f;
  if (const std::optional<std::string> error = ReadArgs(cmd.remaining(), f)) {
    return UsageError(*error);
  }
  const std::chrono::sys_days today =
      f.today ? *f.today : std::chrono::floor<std::chrono::days>(SystemClock().Now());
  std::string input;
  if (!ReadInput(input)) return UsageError("cannot read standard input");
  const mrz::Verdict verdict = mrz::Read(input, today, {.offer_correction = f.offer_correction});
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
  CLI::App* mrz = app.add_subcommand("mrz", "ICAO Doc 9303 machine readable zones, offline");
  mrz->footer(
      "Usage: ncbnet mrz parse [--compact] [--offer-correction] [--today YYYY-MM-DD] < mrz.txt");
  CLI::App* parse = mrz->add_subcommand(
      "parse", "Read MRZ lines on standard input; print the verdict and every field as JSON");
  parse->footer(
      "Options:\n"
      "  --compact             one line of JSON instead of indented JSON\n"
      "  --offer-correction    with OCR confusions (O for 0...), add the corrected reading\n"
      "  --today YYYY-MM-DD    resolve two-digit years as if today were this date\n"
      "Exit status: 0 valid MRZ, 1 invalid MRZ (the JSON says why), 2 usage error.");
  parse->allow_extras();  // the options above, read by ReadArgs()
  parse->callback([parse, &exit_code] { exit_code = RunParse(*parse); });
  mrz->allow_extras();
  mrz->callback([mrz, &exit_code] {
    if (mrz->get_subcommands().empty() || !mrz->remaining().empty()) {
      exit_code = UsageError("give a subcommand: mrz parse (MRZ lines on standard input)");
    }
  });
}

}  // namespace ncbnet::apps
