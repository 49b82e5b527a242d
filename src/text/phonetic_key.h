// Phonetic keys and edit distance for name tokens (text/name_tokens.h): two spellings of one
// name that a transliteration or a listener could produce ("mohammed", "muhammad", "mhmd";
// "aleksandr", "oleksandr", "alexander"; "zhang", "chang"; "tchaikovsky", "chaikovskiy") get
// the same key. The key is a consonant skeleton with variant folding, written up in
// docs/name-search.md:
//
//   - digraphs first: shch sch tsch tch dzh dj zh ch sh cz sz j -> J; ph v w f -> F;
//     kh -> H; gh ck q g k -> K; th d t -> T; ts tz s z -> S; x -> KS; b p -> P;
//     c -> S before e/i/y, else K; a final "ng" -> N; a leading "hs" (Wade-Giles) -> KS;
//   - vowels (a e i o u y) are dropped, which folds vowel variants and Arabic's unwritten
//     short vowels ("mhmd" = "muhammad") and a leading vowel ("oleksandr" = "aleksandr");
//   - a 'j' after a vowel and before a consonant or the end is a vowel ("sergej" = "sergey");
//   - an 'h' at the end of a token is silent ("abdullah" = "abdulla");
//   - runs of one code (doubled letters, "ck") count once.
//
// A token with no consonant ("ai", "ou") keys as '~' followed by the token itself.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace ncbnet::text {

// The phonetic key of an ASCII lower-case token ('a'..'z'); other bytes are ignored.
std::string PhoneticKey(std::string_view token);

// The optimal-string-alignment distance (insertions, deletions, substitutions and swaps of
// adjacent letters) between `a` and `b`, or max + 1 if it exceeds `max`. Linear in the length
// times `max`. Equal strings are 0 apart whatever their length; otherwise both must be at most
// 64 bytes, and longer ones return max + 1.
int BoundedEditDistance(std::string_view a, std::string_view b, int max);

}  // namespace ncbnet::text
