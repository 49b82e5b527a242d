// Scoring of one person against a name query, for the name index (index/name_index.h): token
// similarities, the pairing of query tokens with name tokens, and the date-of-birth, sex and
// nationality adjustments. The numbers are those of name_index.h's header comment and
// docs/name-search.md.
//
// Thread safety: pure functions over const data.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "index/name_index.h"
#include "index/name_vocabulary.h"

namespace ncbnet::index::internal {

// A query token and the vocabulary tokens similar to it (sorted by id).
struct QueryToken {
  std::string text;
  std::vector<VocabMatch> matches;
};

// What a query or a person says besides names. Nationalities are packed ISO alpha-3 codes.
struct PersonFacts {
  PartialDate date_of_birth;
  char sex = 'U';
  std::vector<std::uint32_t> nationalities;
};

// The similarity of an initial to a token that starts with it.
inline constexpr float kInitialSimilarity = 0.7F;

// Marks a one-letter token (an initial) in a person's token list, so that scoring need not
// read the vocabulary to know it.
inline constexpr std::uint32_t kInitialBit = std::uint32_t{1} << 31;

// The score in [0, 1] of the name `name` (vocabulary ids, with kInitialBit on initials)
// against `query`; fills `explain` (its token fields and reordered, name_score) when not null.
double ScoreName(std::span<const QueryToken> query, std::span<const std::uint32_t> name,
                 const NameVocabulary& vocab, NameExplanation* explain);

// The largest share of the gap between a name score and 1 that Adjust() can close for a query
// with these facts: 15% for a full date of birth, 5% for a nationality, both 19.25%.
double MaxBonus(const PersonFacts& query);

// The highest score a person can reach against a query of `initials` one-letter tokens, each
// pairing at most at `initial_similarity`, and other tokens of which `matched` found a
// partner with `similarity_sum` in all and `unmatched` found none; `max_bonus` as MaxBonus.
double ScoreBound(std::size_t matched, double similarity_sum, std::size_t unmatched,
                  std::size_t initials, double initial_similarity, double max_bonus);

// `name_score` adjusted for date of birth, sex and nationality, clamped to [0, 1]; fills the
// agreements of `explain` when not null.
double Adjust(double name_score, const PersonFacts& query, const PersonFacts& person,
              NameExplanation* explain);

}  // namespace ncbnet::index::internal
