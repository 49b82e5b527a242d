// Person-name normalisation for the name search of issue 4 (item 5): turns a name as an officer
// or a national system wrote it, in any script, into ASCII lower-case tokens that the name index
// (index/name_index.h) compares. The steps, described in docs/name-search.md:
//
//   1. reject what is not a name: invalid UTF-8, empty, over kMaxNameBytes;
//   2. ICU NFKC, then Unicode case folding; apostrophes vanish ("O'Brien" is one token);
//   3. split into runs by script and transliterate each run to Latin with the scheme passports
//      use: Cyrillic by BGN/PCGN ("Евгений" -> "yevgeniy"), Greek by UNGEGN, Arabic by ICU's
//      Arabic-Latin (consonantal: "محمد" -> "mhmd"), Han by pinyin with the first syllable of
//      a run as the family name and the others joined as the given name ("张小明" -> "zhang",
//      "xiaoming"), anything else by Any-Latin; then Latin-ASCII ("Müller" -> "muller");
//   4. split on anything that is not a letter (spaces, hyphens, dots, digits);
//   5. drop name particles ("al", "bin", "van", "de", ...) in front of another token, and the
//      Arabic article glued to a word ("الحسن" -> "hsn").
//
// Thread safety: NameTokens may be called concurrently. ICU transliterators are costly to build
// and not thread-safe, so each thread builds its own set on first use (thread_local) and keeps
// it until the thread ends; the first call on a thread costs milliseconds, later calls
// microseconds.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ncbnet::text {

inline constexpr std::size_t kMaxNameBytes = 256;
inline constexpr std::size_t kMaxNameTokens = 16;

// The tokens of `utf8`, in order, each a non-empty string of 'a'..'z'. Errors, all
// kInvalidArgument with a message that never repeats the input: "invalid_name" (not UTF-8, or
// nothing in it transliterates to a letter), "empty_name" (empty or only spaces),
// "name_too_long" (over kMaxNameBytes bytes), "too_many_tokens" (over kMaxNameTokens tokens).
// kInternal "icu_unavailable" if ICU's transliteration data cannot be loaded.
Result<std::vector<std::string>> NameTokens(std::string_view utf8);

// True if `token` is a particle that NameTokens drops in front of another token.
bool IsNameParticle(std::string_view token);

}  // namespace ncbnet::text
