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

// Marks a one-letter token (an initial) in a person's token list, so that scoring need not
// read the vocabulary to know it.
inline constexpr std::uint32_t kInitialBit = std::uint32_t{1} << 31;

// The largest share of the gap between a name score and 1 that Adjust() closes
// (1 - (1 - 0.15) * (1 - 0.05): full date of birth and nationality agree).
inline constexpr double kMaxBonus = 0.1925;

// The score in [0, 1] of the name `name` (vocabulary ids, with kInitialBit on initials)
// against `query`; fills `explain`
// (its token fields and reordered, name_score) when not null.
double ScoreName(std::span<const QueryToken> query, std::span<const std::uint32_t> name,
                 const NameVocabulary& vocab, NameExplanation* explain);

// The highest score a name could reach if `unmatched` of the `total` query tokens found no
// partner and the others matched exactly, adjustments included.
double ScoreBound(std::size_t total, std::size_t unmatched);

// `name_score` adjusted for date of birth, sex and nationality, clamped to [0, 1]; fills the
// agreements of `explain` when not null.
double Adjust(double name_score, const PersonFacts& query, const PersonFacts& person,
              NameExplanation* explain);

}  // namespace ncbnet::index::internal
