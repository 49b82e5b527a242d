// The name index of issue 4 (item 5): finds persons by name in any script, tolerant of
// reordered tokens, missing or extra given names, initials, typos, phonetic likeness and
// transliteration variants, with date of birth, sex and nationality to sharpen the ranking.
// The records service keeps it current from the store's change feed (Add, Remove; an update is
// Remove then Add) and asks it for candidates; it never sees a record the caller may not see,
// because Search applies the caller's visibility test before ranking and the limit.
//
// How it works (docs/name-search.md): every name goes through text::NameTokens (ICU,
// transliteration to ASCII tokens); the distinct tokens form a vocabulary, each with a posting
// list of the persons that carry it, a phonetic key (text::PhoneticKey) and its deletion
// neighbourhood (every spelling with one letter removed). A query token is looked up in the
// vocabulary (exactly, by phonetic key, by deletion neighbourhood then true edit distance), and
// persons come only from the posting lists of those tokens: a person is scored only if it
// matches enough query tokens, with high enough similarities, that it could reach the
// threshold. Each candidate is scored against each of its names, the best name wins.
//
// Scores lie in [0, 1]. A name's score is the sum of the similarities of its matched token
// pairs divided by (pairs + 1 per disagreeing pair of leftover tokens + 0.5 per other
// unmatched query token + 0.3 per other unmatched name token); a token pair is 1.0 exact,
// 0.75..0.92 phonetic, 0.75..0.85 within edit distance, 0.7 initial. Date of birth, sex and
// nationality are boosts and penalties, never hard filters (records and queries carry
// errors): a conflicting date of birth multiplies by 0.5..0.9, a date the record lacks by
// 0.95, a conflicting sex by 0.8; a full date agreement closes 15% of the gap to 1, a shared
// nationality 5%.
//
// Thread safety: const methods (Search, size) may run concurrently; Add and Remove need
// exclusive access (the records service holds a writer lock, or swaps in a new index).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ncbnet::index {

// A date of birth, as precise as known: "1980", "1980-05" or "1980-05-17". 0 means unknown.
struct PartialDate {
  int year = 0;
  int month = 0;
  int day = 0;
  bool known() const { return year != 0; }
  friend bool operator==(const PartialDate&, const PartialDate&) = default;
};

// Parses "", "YYYY", "YYYY-MM" or "YYYY-MM-DD" (year 1800..2200, a real calendar date).
// Error: kInvalidArgument "invalid_date".
Result<PartialDate> ParsePartialDate(std::string_view text);

struct NamePerson {
  std::uint64_t ref = 0;                   // the record's ref; below 2^63
  std::vector<std::string> names;          // UTF-8, any script: primary, Latin form, aliases (1..8)
  std::string date_of_birth;               // "", "1980", "1980-05", "1980-05-17"
  char sex = 'U';                          // 'M', 'F' or 'U'
  std::vector<std::string> nationalities;  // ISO 3166-1 alpha-3, upper-case (0..8)
};

struct NameQuery {
  std::string name;  // UTF-8, any script
  std::string date_of_birth;
  char sex = 'U';
  std::string nationality;  // "" or ISO 3166-1 alpha-3
  std::size_t limit = 10;   // 1..1000
  double threshold = -1;    // results score at least this; below 0 means kDefaultThreshold
};

enum class TokenMatchKind { kExact, kPhonetic, kEditDistance, kInitial };
enum class Agreement { kUnknown, kAgree, kPartial, kConflict };

// One matched pair: a query token and the name token it was matched to.
struct TokenMatch {
  std::string query_token;
  std::string name_token;
  TokenMatchKind kind = TokenMatchKind::kExact;
  int edits = 0;  // the edit distance between the two tokens
  double similarity = 0;
};

// Why a person scored what it did: its best name, token by token.
struct NameExplanation {
  std::size_t name_index = 0;  // which of the person's names (in the order given to Add)
  std::vector<TokenMatch> matches;
  std::vector<std::string> unmatched_query_tokens;
  std::vector<std::string> unmatched_name_tokens;
  bool reordered = false;  // matched tokens appear in another order in the name
  double name_score = 0;   // before date of birth, sex and nationality
  Agreement date_of_birth = Agreement::kUnknown;  // kPartial: agree as far as both are known
  Agreement sex = Agreement::kUnknown;
  Agreement nationality = Agreement::kUnknown;
};

struct NameHit {
  std::uint64_t ref = 0;
  double score = 0;
  NameExplanation explanation;
};

// Whether the caller may see record `ref`. Called once for each candidate that reaches the
// threshold, before ranking and the limit; it must not call back into the index.
using NameVisibility = std::function<bool(std::uint64_t)>;

class NameIndex {
 public:
  // Chosen on the evaluation set (docs/name-search.md): the point where recall at the
  // threshold stays high while near-namesakes with another given name or date of birth fall
  // below it.
  static constexpr double kDefaultThreshold = 0.75;
  static constexpr std::size_t kMaxNames = 8;
  static constexpr std::size_t kMaxNationalities = 8;
  static constexpr std::size_t kMaxLimit = 1000;
  static constexpr std::uint64_t kMaxRef = (std::uint64_t{1} << 63) - 1;

  NameIndex();
  NameIndex(NameIndex&&) noexcept;
  NameIndex& operator=(NameIndex&&) noexcept;
  NameIndex(const NameIndex&) = delete;
  NameIndex& operator=(const NameIndex&) = delete;
  ~NameIndex();

  // Indexes `person`. Errors (nothing changes): kAlreadyExists "ref_exists"; kInvalidArgument
  // "invalid_ref", "invalid_names" (none or over kMaxNames), any error of text::NameTokens
  // for a name, "invalid_date", "invalid_sex", "invalid_nationality".
  Status Add(const NamePerson& person);

  // Forgets `ref`. Returns false if it was not indexed.
  bool Remove(std::uint64_t ref);

  // The persons whose score reaches the threshold and whom `visible` lets through, best first
  // (ties by ref), at most query.limit, each with its explanation. Errors: those of
  // text::NameTokens for query.name; kInvalidArgument "invalid_date", "invalid_sex",
  // "invalid_nationality", "invalid_limit" (0 or over kMaxLimit), "invalid_threshold"
  // (over 1).
  Result<std::vector<NameHit>> Search(const NameQuery& query, const NameVisibility& visible) const;

  std::size_t size() const;  // persons indexed

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ncbnet::index
