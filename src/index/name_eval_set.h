// A labelled evaluation set for the name index (index/name_index.h), generated, never
// collected: synthetic persons in five scripts and queries against them, each query labelled
// with the refs that are a correct answer, or none. Used by name_eval (the evaluation tool),
// bench/names_vs_pg_trgm.sh and the tests. docs/name-search.md describes how it is built.
//
// Determinism: the same (persons, queries, seed) give the same set on every machine; the only
// randomness is a splitmix64 stream seeded with `seed`.
//
// Thread safety: values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "index/name_index.h"

namespace ncbnet::index::eval {

// How a query was made from a person (positives) or from a person absent from the index
// (near-namesakes, whose right answer is none).
enum class QueryKind {
  kExactLatin,       // the record's Latin form
  kNativeScript,     // the record's name in its own script (Cyrillic, Arabic, Han, Greek)
  kTransliteration,  // other romanisations of the given name and the surname
  kReordered,        // family name moved to the other end
  kMissingGiven,     // a second given name or patronymic left out
  kExtraGiven,       // a given name added
  kInitial,          // the first given name as an initial
  kTypo,             // one letter inserted, dropped, replaced or two swapped in the longest token
  kSpelling,         // a phonetic respelling (ph/f, k/c, w/v, doubled letters, y/i, x/ks)
  kNamesakeGiven,    // negative: same family name, another given name
  kNamesakeDob,      // negative: same name, another year of birth
  kNamesakeDay,      // negative: same name, same year, another day of birth
  kCount,
};

const char* QueryKindName(QueryKind kind);
bool IsNegative(QueryKind kind);

struct EvalQuery {
  std::uint64_t id = 0;
  QueryKind kind = QueryKind::kExactLatin;
  NameQuery query;
  std::vector<std::uint64_t> answers;  // refs that are right at rank 1; empty: none is
};

struct EvalSet {
  std::vector<NamePerson> persons;  // refs 1..n
  std::vector<EvalQuery> queries;
};

// Builds `persons` persons and `queries` queries (three in ten near-namesakes). Persons are
// Russian (Cyrillic), Arabic, Chinese (Han), Greek and Western European (Latin) in the
// proportions 25/20/20/10/25, each with a name in its script and its passport Latin form.
EvalSet Generate(std::size_t persons, std::size_t queries, std::uint64_t seed);

}  // namespace ncbnet::index::eval
