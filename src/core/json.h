// Bounded JSON parsing: the one way code under src/ turns text it did not write itself (request
// bodies, stored rows, imported files, replica journals, the hub's answers read by the CLI) into
// nlohmann::json.
//
// nlohmann's parser itself is iterative, but what follows it is not: dump(), comparisons and our
// own walks over a value recurse once per level, so a body of a few hundred kilobytes nested
// 76,000 levels deep overflows the stack of whichever thread touches it. Every parse therefore
// measures the nesting first and refuses anything deeper than `max_depth` before building a value.
//
// Thread safety: pure functions.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace ncbnet {

// Deep enough for every document ncbnet defines (a few levels at most)
// and for any national system's honest context object; far too shallow to hurt the stack.
inline constexpr int kMaxJsonDepth = 64;

// Returns the deepest nesting of arrays and objects in `text`, counting brackets outside string
// literals (a top-level scalar is depth 0, `[]` and `{}` depth 1). Stops scanning as soon as the
// depth exceeds `limit` and returns limit + 1 then. Malformed text is measured as far as it goes;
// the parser rejects it afterwards.
int JsonNestingDepth(std::string_view text, int limit = kMaxJsonDepth);

// Parses `text`. Returns a discarded value (`is_discarded()`) if the text is not one valid JSON
// value or if it nests deeper than `max_depth`. Never throws.
nlohmann::json ParseJson(std::string_view text, int max_depth = kMaxJsonDepth);

}  // namespace ncbnet
