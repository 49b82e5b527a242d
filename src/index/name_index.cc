#include "index/name_index.h"

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "index/name_scoring.h"
#include "index/name_vocabulary.h"
#include "text/name_tokens.h"

namespace ncbnet::index {

using internal::PersonFacts;
using internal::QueryToken;

namespace {

// Opens each name in Person::tokens; the low byte is the name's index in NamePerson::names.
constexpr std::uint32_t kNameHeader = 0xFFFFFF00U;
using internal::kInitialBit;

struct Person {
  std::uint64_t ref = 0;
  PersonFacts facts;
  // Each distinct name: kNameHeader | index, then its vocabulary ids (kInitialBit on
  // one-letter tokens). Names that normalise alike are kept once.
  std::vector<std::uint32_t> tokens;
};

bool IsHeader(std::uint32_t t) { return t >= kNameHeader; }

// Calls f(index, tokens) for each name of `p`.
template <typename F>
void ForEachName(const Person& p, F&& f) {
  const std::uint32_t* it = p.tokens.data();
  const std::uint32_t* const end = it + p.tokens.size();
  while (it < end) {
    const std::size_t index = *it - kNameHeader;
    const std::uint32_t* stop = std::find_if(++it, end, IsHeader);
    f(index, std::span<const std::uint32_t>(it, stop));
    it = stop;
  }
}

Result<char> ParseSex(char sex) {
  if (sex == 'M' || sex == 'F' || sex == 'U') return sex;
  return Status::InvalidArgument("invalid_sex", "sex is M, F or U");
}

Result<std::uint32_t> PackCountry(std::string_view code) {
  std::uint32_t packed = 0;
  for (char c : code) {
    if (c < 'A' || c > 'Z') break;
    packed = packed << 8 | static_cast<std::uint8_t>(c);
  }
  if (code.size() != 3 || packed < (1U << 16)) {
    return Status::InvalidArgument("invalid_nationality",
                                   "a nationality is an ISO 3166-1 alpha-3 code");
  }
  return packed;
}

Result<PersonFacts> ParseFacts(std::string_view dob, char sex,
                               std::span<const std::string> nationalities) {
  PersonFacts facts;
  Result<PartialDate> date = ParsePartialDate(dob);
  if (!date.ok()) return date.status();
  facts.date_of_birth = *date;
  Result<char> s = ParseSex(sex);
  if (!s.ok()) return s.status();
  facts.sex = *s;
  for (const std::string& n : nationalities) {
    Result<std::uint32_t> code = PackCountry(n);
    if (!code.ok()) return code.status();
    facts.nationalities.push_back(*code);
  }
  return facts;
}

// Per-thread marks of the slots met in this search and how many query tokens each matched:
// an epoch stamp instead of clearing a million counters per search.
struct Seen {
  struct Mark {
    std::uint32_t epoch = 0;
    std::uint16_t count = 0;
    std::uint16_t token = 0;  // 1 + the query token counted last
    float sum = 0;            // the best similarity of each counted token
  };
  std::vector<Mark> marks;
  std::uint32_t epoch = 0;
  void Start(std::size_t slots) {
    if (marks.size() < slots) marks.resize(slots);
    if (++epoch == 0) {
      std::fill(marks.begin(), marks.end(), Mark{});
      epoch = 1;
    }
  }
  // Counts query token `token` as matched by `slot`, once however many of the slot's tokens
  // it matches (a person's native and Latin names spell most tokens twice); returns the
  // count, or 0 if this token was already counted.
  // Lists are read best match first, so the first similarity seen for a token is its best.
  // `weight` is how many times the token occurs in the query. Returns true when the count
  // first reaches `needed`.
  bool Hit(std::uint32_t slot, std::size_t token, float similarity, std::uint32_t weight,
           std::uint32_t needed) {
    Mark& m = marks[slot];
    if (m.epoch != epoch) m = {epoch, 0, 0, 0};
    if (m.token == token + 1) return false;
    m.token = static_cast<std::uint16_t>(token + 1);
    m.sum += similarity * static_cast<float>(weight);
    const std::uint32_t before = m.count;
    m.count = static_cast<std::uint16_t>(before + weight);
    return before < needed && m.count >= needed;
  }
};

// Above this many postings a search stops counting and takes the union of the rarest lists.
constexpr std::size_t kCountBudget = std::size_t{1} << 18;

}  // namespace

Result<PartialDate> ParsePartialDate(std::string_view text) {
  PartialDate d;
  if (text.empty()) return d;
  const auto bad = [] {
    return Status::InvalidArgument("invalid_date", "a date is YYYY, YYYY-MM or YYYY-MM-DD");
  };
  const auto number = [](std::string_view s, int& out) {
    if (s.empty()) return false;
    out = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    return true;
  };
  if (text.size() != 4 && text.size() != 7 && text.size() != 10) return bad();
  if (!number(text.substr(0, 4), d.year) || d.year < 1800 || d.year > 2200) return bad();
  if (text.size() >= 7) {
    if (text[4] != '-' || !number(text.substr(5, 2), d.month) || d.month < 1 || d.month > 12) {
      return bad();
    }
  }
  if (text.size() == 10) {
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
    const int days = d.month == 2 && !leap ? 28 : kDays[d.month - 1];
    if (text[7] != '-' || !number(text.substr(8, 2), d.day) || d.day < 1 || d.day > days) {
      return bad();
    }
  }
  return d;
}

struct NameIndex::State {
  internal::NameVocabulary vocab;
  std::vector<Person> persons;  // by slot; dead slots are reused
  std::vector<std::uint32_t> free_slots;
  std::unordered_map<std::uint64_t, std::uint32_t> slot_of;

  // Scores `person` against the query: the best of its names.
  double Score(const Person& person, std::span<const QueryToken> q, const PersonFacts& facts,
               NameExplanation* explain) const;
  std::vector<std::uint32_t> Candidates(std::span<const QueryToken> q, const PersonFacts& facts,
                                        double threshold) const;
  std::vector<std::vector<QueryToken>> QueryVariants(std::vector<std::string>& tokens) const;
};

NameIndex::NameIndex() : state_(std::make_unique<State>()) {}
NameIndex::NameIndex(NameIndex&&) noexcept = default;
NameIndex& NameIndex::operator=(NameIndex&&) noexcept = default;
NameIndex::~NameIndex() = default;

std::size_t NameIndex::size() const { return state_->slot_of.size(); }

Status NameIndex::Add(const NamePerson& person) {
  if (person.ref > kMaxRef) return Status::InvalidArgument("invalid_ref", "ref out of range");
  if (state_->slot_of.contains(person.ref)) {
    return Status::AlreadyExists("ref_exists", "the record is already indexed");
  }
  if (person.names.empty() || person.names.size() > kMaxNames) {
    return Status::InvalidArgument("invalid_names", "a person has 1 to 8 names");
  }
  if (person.nationalities.size() > kMaxNationalities) {
    return Status::InvalidArgument("invalid_nationality", "at most 8 nationalities");
  }
  Result<PersonFacts> facts = ParseFacts(person.date_of_birth, person.sex, person.nationalities);
  if (!facts.ok()) return facts.status();
  // Tokenise every name before changing anything, so that a bad name changes nothing.
  std::vector<std::vector<std::string>> names;
  for (const std::string& name : person.names) {
    Result<std::vector<std::string>> tokens = text::NameTokens(name);
    if (!tokens.ok()) return tokens.status();
    names.push_back(std::move(tokens).value());
  }
  std::uint32_t slot = 0;
  if (state_->free_slots.empty()) {
    slot = static_cast<std::uint32_t>(state_->persons.size());
    state_->persons.emplace_back();
  } else {
    slot = state_->free_slots.back();
    state_->free_slots.pop_back();
  }
  Person& p = state_->persons[slot];
  p = Person{person.ref, std::move(facts).value(), {}};
  std::vector<std::uint32_t> distinct;
  std::vector<std::vector<std::uint32_t>> seen;
  for (std::size_t n = 0; n < names.size(); ++n) {
    std::vector<std::uint32_t> ids;
    for (const std::string& token : names[n]) {
      const std::uint32_t id = state_->vocab.Intern(token);
      ids.push_back(token.size() == 1 ? id | kInitialBit : id);
      distinct.push_back(id);
    }
    if (std::find(seen.begin(), seen.end(), ids) != seen.end()) continue;
    p.tokens.push_back(kNameHeader | static_cast<std::uint32_t>(n));
    p.tokens.insert(p.tokens.end(), ids.begin(), ids.end());
    seen.push_back(std::move(ids));
  }
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  for (std::uint32_t id : distinct) state_->vocab.Postings(id).push_back(slot);
  p.tokens.shrink_to_fit();
  state_->slot_of.emplace(person.ref, slot);
  return Status::Ok();
}

bool NameIndex::Remove(std::uint64_t ref) {
  const auto it = state_->slot_of.find(ref);
  if (it == state_->slot_of.end()) return false;
  const std::uint32_t slot = it->second;
  Person& p = state_->persons[slot];
  for (std::uint32_t t : p.tokens) {
    if (IsHeader(t)) continue;
    const std::uint32_t id = t & ~kInitialBit;
    std::vector<std::uint32_t>& postings = state_->vocab.Postings(id);
    const auto pos = std::find(postings.begin(), postings.end(), slot);
    if (pos == postings.end()) continue;  // a token twice in the person: already removed
    *pos = postings.back();
    postings.pop_back();
  }
  p = Person{};
  state_->free_slots.push_back(slot);
  state_->slot_of.erase(it);
  return true;
}

double NameIndex::State::Score(const Person& person, std::span<const QueryToken> q,
                               const PersonFacts& facts, NameExplanation* explain) const {
  double best = 0;
  std::size_t best_name = 0;
  std::span<const std::uint32_t> best_tokens;
  ForEachName(person, [&](std::size_t index, std::span<const std::uint32_t> tokens) {
    const double s = internal::ScoreName(q, tokens, vocab, nullptr);
    if (s > best || best_tokens.empty()) {
      best = s;
      best_name = index;
      best_tokens = tokens;
    }
  });
  if (explain != nullptr) {
    internal::ScoreName(q, best_tokens, vocab, explain);  // again, writing down why
    explain->name_index = best_name;
  }
  return internal::Adjust(best, facts, person.facts, explain);
}

// The slots that could reach `threshold`. A person that matches c of the query's L looked-up
// tokens leaves L - c unmatched, so it needs c >= `needed` (ScoreBound). Counting over every
// posting list finds those, and the similarities summed on the way drop those that cannot
// reach the threshold before they are scored. When the lists are too long, the union of the
// L - needed + 1 rarest lists is a superset (a person cannot miss them all).
std::vector<std::uint32_t> NameIndex::State::Candidates(std::span<const QueryToken> q,
                                                        const PersonFacts& facts,
                                                        double threshold) const {
  // A token the query repeats ("Nabil Nabil al-Halabi") is one list of weight 2: counted as
  // two lists, every Nabil would count twice and reach `needed` alone.
  std::vector<std::pair<std::size_t, std::size_t>> by_cost;  // (postings to read, token)
  std::vector<std::uint32_t> weight(q.size(), 0);
  std::size_t total = 0;
  std::size_t initials = 0;
  std::size_t lists = 0;  // looked-up tokens, repeats included
  for (std::size_t i = 0; i < q.size(); ++i) {
    if (q[i].text.size() == 1) ++initials;
    if (q[i].matches.empty()) continue;
    ++lists;
    std::size_t first = 0;
    while (q[first].text != q[i].text) ++first;
    if (weight[first]++ > 0) continue;
    std::size_t cost = 0;
    for (const internal::VocabMatch& m : q[i].matches) cost += vocab.Postings(m.id).size();
    by_cost.emplace_back(cost, i);
    total += cost;
  }
  std::sort(by_cost.begin(), by_cost.end());
  // A query initial pairs with a full token at 0.7, or with the same initial in a record at 1.
  bool initials_in_records = false;
  for (const QueryToken& t : q) {
    if (t.text.size() == 1 && vocab.Contains(t.text)) initials_in_records = true;
  }
  const double initial_similarity = initials_in_records ? 1.0 : internal::kInitialSimilarity;
  const double bonus = internal::MaxBonus(facts);
  const std::size_t others = q.size() - initials - lists;  // tokens no list can match
  const auto bound = [&](std::size_t c, double sum) {
    return internal::ScoreBound(c, sum, lists - c + others, initials, initial_similarity, bonus);
  };
  std::uint32_t needed = 1;
  while (needed < lists && bound(needed, static_cast<double>(needed)) < threshold) ++needed;

  thread_local Seen seen;
  seen.Start(persons.size());
  std::vector<std::uint32_t> out;
  const bool count = needed > 1 && total <= kCountBudget;
  // Without counting: the rarest lists until those left hold fewer than `needed` tokens.
  std::size_t read = by_cost.size();
  if (!count) {
    std::size_t left = lists;
    for (read = 0; read < by_cost.size() && left >= needed; ++read) {
      left -= weight[by_cost[read].second];
    }
  }
  std::vector<internal::VocabMatch> matches;
  for (std::size_t k = 0; k < read; ++k) {
    const std::uint32_t w = weight[by_cost[k].second];
    matches = q[by_cost[k].second].matches;
    std::sort(matches.begin(), matches.end(),
              [](const internal::VocabMatch& a, const internal::VocabMatch& b) {
                return a.similarity > b.similarity;
              });
    for (const internal::VocabMatch& m : matches) {
      for (std::uint32_t slot : vocab.Postings(m.id)) {
        if (seen.Hit(slot, k, m.similarity, w, count ? needed : 1)) out.push_back(slot);
      }
    }
  }
  if (count) {
    std::erase_if(out, [&](std::uint32_t slot) {
      const Seen::Mark& m = seen.marks[slot];
      return bound(m.count, m.sum) < threshold;
    });
  }
  return out;
}

Result<std::vector<NameHit>> NameIndex::Search(const NameQuery& query,
                                               const NameVisibility& visible) const {
  if (query.limit == 0 || query.limit > kMaxLimit) {
    return Status::InvalidArgument("invalid_limit", "limit is 1 to 1000");
  }
  if (query.threshold > 1) {
    return Status::InvalidArgument("invalid_threshold", "threshold is at most 1");
  }
  const double threshold = query.threshold < 0 ? kDefaultThreshold : query.threshold;
  std::vector<std::string> nats;
  if (!query.nationality.empty()) nats.push_back(query.nationality);
  Result<PersonFacts> facts = ParseFacts(query.date_of_birth, query.sex, nats);
  if (!facts.ok()) return facts.status();
  Result<std::vector<std::string>> tokens = text::NameTokens(query.name);
  if (!tokens.ok()) return tokens.status();
  const std::vector<std::vector<QueryToken>> variants = state_->QueryVariants(*tokens);

  struct Passed {
    double score;
    std::uint32_t slot;
    std::uint32_t variant;
  };
  std::vector<Passed> passed;
  for (std::size_t v = 0; v < variants.size(); ++v) {
    for (std::uint32_t slot : state_->Candidates(variants[v], *facts, threshold)) {
      const double score = state_->Score(state_->persons[slot], variants[v], *facts, nullptr);
      if (score >= threshold) passed.push_back({score, slot, static_cast<std::uint32_t>(v)});
    }
  }
  if (variants.size() > 1) {  // a person found through several variants counts once, at its best
    std::sort(passed.begin(), passed.end(), [](const Passed& a, const Passed& b) {
      return a.slot != b.slot ? a.slot < b.slot : a.score > b.score;
    });
    passed.erase(std::unique(passed.begin(), passed.end(),
                             [](const Passed& a, const Passed& b) { return a.slot == b.slot; }),
                 passed.end());
  }
  // The caller's visibility test comes before ranking: a hidden record takes no place.
  std::erase_if(passed, [&](const Passed& p) { return !visible(state_->persons[p.slot].ref); });
  const auto better = [this](const Passed& a, const Passed& b) {
    if (a.score != b.score) return a.score > b.score;
    return state_->persons[a.slot].ref < state_->persons[b.slot].ref;
  };
  const std::size_t n = std::min(query.limit, passed.size());
  std::partial_sort(passed.begin(), passed.begin() + static_cast<std::ptrdiff_t>(n), passed.end(),
                    better);
  std::vector<NameHit> hits(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Person& person = state_->persons[passed[i].slot];
    hits[i].ref = person.ref;
    hits[i].score =
        state_->Score(person, variants[passed[i].variant], *facts, &hits[i].explanation);
  }
  return hits;
}

// The query as tokenised, and, for each pair of neighbouring tokens whose concatenation is a
// known token, the query with that pair joined: "Xiao Ming" or "Xiao-Ming" is often one word,
// "Xiaoming", in the record (and "Abdul Rahman" is "Abdulrahman").
std::vector<std::vector<QueryToken>> NameIndex::State::QueryVariants(
    std::vector<std::string>& tokens) const {
  constexpr std::size_t kMaxVariants = 4;
  std::vector<QueryToken> q;
  for (std::string& t : tokens) {
    q.push_back({std::move(t), {}});
    vocab.Similar(q.back().text, q.back().matches);
  }
  std::vector<std::vector<QueryToken>> variants = {q};
  for (std::size_t i = 0; i + 1 < q.size() && variants.size() < kMaxVariants; ++i) {
    if (q[i].text.size() < 2 || q[i + 1].text.size() < 2) continue;
    QueryToken joined{q[i].text + q[i + 1].text, {}};
    vocab.Similar(joined.text, joined.matches);
    const bool known =
        std::any_of(joined.matches.begin(), joined.matches.end(),
                    [](const internal::VocabMatch& m) { return m.similarity >= 0.85F; });
    if (!known) continue;
    std::vector<QueryToken> v = q;
    v[i] = std::move(joined);
    v.erase(v.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    variants.push_back(std::move(v));
  }
  return variants;
}

}  // namespace ncbnet::index
