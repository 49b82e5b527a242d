// The token vocabulary of the name index (index/name_index.h): every distinct name token, its
// phonetic key, its deletion neighbourhood and the posting list of the persons (index slots)
// that carry it. Lookup of a query token's similar tokens happens here, on the vocabulary,
// never on persons, which keeps it independent of how many persons share a name.
//
// Tokens are never removed: an emptied posting list stays, so ids stay stable.
//
// Thread safety: const methods may run concurrently; anything else needs exclusive access.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "index/name_index.h"

namespace ncbnet::index::internal {

// A vocabulary token similar to a query token.
struct VocabMatch {
  std::uint32_t id = 0;
  float similarity = 0;
  TokenMatchKind kind = TokenMatchKind::kExact;
  std::uint8_t edits = 0;
};

// The similarity of two different tokens of the same phonetic key, or within edit distance,
// and how they matched; similarity 0 if they do not match. `same_key` says whether their
// phonetic keys agree, `key_length` is the length of the query's key.
VocabMatch CompareTokens(std::string_view query, std::string_view token, bool same_key,
                         std::size_t key_length);

// The edit distance tolerated for a token of `length` letters: 0 up to 3, 1 up to 8, 2 beyond.
int AllowedEdits(std::size_t length);

class NameVocabulary {
 public:
  // The id of `token`, added if new.
  std::uint32_t Intern(std::string_view token);

  const std::string& Token(std::uint32_t id) const { return tokens_[id]; }
  bool Contains(const std::string& token) const { return ids_.contains(token); }
  std::vector<std::uint32_t>& Postings(std::uint32_t id) { return postings_[id]; }
  const std::vector<std::uint32_t>& Postings(std::uint32_t id) const { return postings_[id]; }

  // Appends to `out` the tokens similar to `query` (2 letters or more), each once: the token
  // itself, tokens of the same phonetic key, and tokens within AllowedEdits() found through
  // the deletion neighbourhood. Sorted by id.
  void Similar(std::string_view query, std::vector<VocabMatch>& out) const;

 private:
  void AddNeighbour(std::uint64_t hash, std::uint32_t id);

  std::unordered_map<std::string, std::uint32_t> ids_;
  std::vector<std::string> tokens_;
  std::vector<std::uint32_t> key_of_;  // token id -> phonetic key id
  std::vector<std::vector<std::uint32_t>> postings_;
  std::unordered_map<std::string, std::uint32_t> key_ids_;
  std::vector<std::vector<std::uint32_t>> tokens_of_key_;
  // Hash of a token or of one of its one-letter deletions -> the tokens that produce it.
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> neighbours_;
};

}  // namespace ncbnet::index::internal
