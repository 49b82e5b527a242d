// The structural half of mrz::Read(): from the bytes a reader sent to upper-case lines of a known
// format, or the problems that make the fields impossible to locate.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mrz/mrz.h"

namespace ncbnet::mrz::internal {

struct Lines {
  Format format = Format::kTd3;
  std::vector<std::string> lines;  // upper case, only A-Z 0-9 <, lengths right for `format`
};

// At most this many mrz_bad_character problems are reported for one input.
inline constexpr std::size_t kMaxCharacterProblems = 10;

// The lines of `text`, or nullopt with the structural problems appended to `problems`. Checks in
// this order, stopping at the first step that fails: size (mrz_too_large), mrz_empty,
// mrz_bad_character, mrz_line_count, mrz_line_length, mrz_unknown_format.
std::optional<Lines> SplitLines(std::string_view text, std::vector<Problem>& problems);

// A byte as shown in a problem: printable ASCII as itself, anything else as "\xHH".
std::string ShowByte(char c);

}  // namespace ncbnet::mrz::internal
