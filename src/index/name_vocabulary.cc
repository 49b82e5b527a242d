#include "index/name_vocabulary.h"

#include <algorithm>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "text/phonetic_key.h"

namespace ncbnet::index::internal {
namespace {

std::uint64_t HashOf(std::string_view s) { return std::hash<std::string_view>{}(s); }

// Calls f(hash) for the token and for each distinct spelling with one letter removed.
template <typename F>
void ForEachDeletion(std::string_view token, F&& f) {
  f(HashOf(token));
  std::string buf(token);
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (i > 0 && token[i] == token[i - 1]) continue;  // same spelling as the previous deletion
    buf.assign(token.substr(0, i));
    buf.append(token.substr(i + 1));
    f(HashOf(buf));
  }
}

// "lee" -> "li", "woo" -> "wu": English spellings of short Chinese and Korean syllables.
std::string FoldDoubledVowels(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (i + 1 < token.size() && token[i] == 'e' && token[i + 1] == 'e') {
      out.push_back('i');
      ++i;
    } else if (i + 1 < token.size() && token[i] == 'o' && token[i + 1] == 'o') {
      out.push_back('u');
      ++i;
    } else {
      out.push_back(token[i]);
    }
  }
  return out;
}

}  // namespace

int AllowedEdits(std::size_t length) {
  if (length <= 3) return 0;
  if (length <= 8) return 1;
  return 2;
}

VocabMatch CompareTokens(std::string_view query, std::string_view token, bool same_key,
                         std::size_t key_length) {
  VocabMatch m;
  if (query == token) {
    m.similarity = 1.0F;
    return m;
  }
  const int edits = text::BoundedEditDistance(query, token, 3);
  m.edits = static_cast<std::uint8_t>(edits);
  const std::size_t shorter = std::min(query.size(), token.size());
  // A typo in a four-letter token must leave its first letter ("ynag" is "yang"; "ting" is
  // not "ming").
  int allowed = AllowedEdits(std::max(query.size(), token.size()));
  if (shorter <= 4 && query[0] != token[0]) allowed = 0;
  if (same_key) {
    // Short tokens and short keys ("li", "liu", "lee"; "zhang", "chen") share a key by
    // chance as often as by sound, so they count for less, and not at all when far apart.
    m.kind = TokenMatchKind::kPhonetic;
    if (key_length <= 1 && edits > 1 && FoldDoubledVowels(query) != FoldDoubledVowels(token)) {
      m.similarity = 0;  // one consonant in common ("zhou", "jie") says nothing; "lee" = "li"
    } else if (shorter <= 3) {
      m.similarity = 0.75F;
    } else if (edits <= 1) {
      m.similarity = 0.92F;
    } else if (key_length <= 2) {
      m.similarity = edits == 2 ? 0.8F : 0.0F;
    } else {
      m.similarity = edits == 2 ? 0.88F : 0.82F;
    }
  }
  if (m.similarity == 0 && edits <= allowed) {
    m.kind = TokenMatchKind::kEditDistance;
    m.similarity = shorter <= 4 ? 0.8F : edits == 1 ? 0.85F : 0.75F;
  }
  return m;
}

std::uint32_t NameVocabulary::Intern(std::string_view token) {
  const auto it = ids_.find(std::string(token));
  if (it != ids_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(tokens_.size());
  tokens_.emplace_back(token);
  ids_.emplace(std::string(token), id);
  postings_.emplace_back();
  const std::string key = text::PhoneticKey(token);
  const auto [kit, inserted] =
      key_ids_.emplace(key, static_cast<std::uint32_t>(tokens_of_key_.size()));
  if (inserted) tokens_of_key_.emplace_back();
  tokens_of_key_[kit->second].push_back(id);
  key_of_.push_back(kit->second);
  if (token.size() >= 2) ForEachDeletion(token, [&](std::uint64_t h) { AddNeighbour(h, id); });
  return id;
}

void NameVocabulary::AddNeighbour(std::uint64_t hash, std::uint32_t id) {
  std::vector<std::uint32_t>& ids = neighbours_[hash];
  if (ids.empty() || ids.back() != id) ids.push_back(id);
}

void NameVocabulary::Similar(std::string_view query, std::vector<VocabMatch>& out) const {
  if (query.size() < 2) return;
  const std::size_t first = out.size();
  const std::string query_key = text::PhoneticKey(query);
  const auto add = [&](std::uint32_t id, bool same_key) {
    VocabMatch m = CompareTokens(query, tokens_[id], same_key, query_key.size());
    if (m.similarity <= 0) return;
    m.id = id;
    out.push_back(m);
  };
  const auto kit = key_ids_.find(query_key);
  if (kit != key_ids_.end()) {
    for (std::uint32_t id : tokens_of_key_[kit->second]) add(id, true);
  }
  const std::uint32_t query_key_id = kit != key_ids_.end() ? kit->second : ~std::uint32_t{0};
  if (AllowedEdits(query.size()) > 0) {
    ForEachDeletion(query, [&](std::uint64_t h) {
      const auto nit = neighbours_.find(h);
      if (nit == neighbours_.end()) return;
      for (std::uint32_t id : nit->second) {
        if (key_of_[id] != query_key_id) add(id, false);
      }
    });
  } else {
    const auto eit = ids_.find(std::string(query));
    if (eit != ids_.end() && key_of_[eit->second] != query_key_id) add(eit->second, false);
  }
  // One entry per token: the deletion neighbourhood can reach a token several times.
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
            [](const VocabMatch& a, const VocabMatch& b) {
              return a.id != b.id ? a.id < b.id : a.similarity > b.similarity;
            });
  out.erase(std::unique(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                        [](const VocabMatch& a, const VocabMatch& b) { return a.id == b.id; }),
            out.end());
}

}  // namespace ncbnet::index::internal
