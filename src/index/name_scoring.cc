#include "index/name_scoring.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "text/name_tokens.h"

namespace ncbnet::index::internal {
namespace {

constexpr double kUnmatchedQueryCost = 0.5;
constexpr double kUnmatchedNameCost = 0.3;
constexpr double kConflictCost = 1.0;
constexpr double kDobAgreeBonus = 0.15;
constexpr double kNationalityBonus = 0.05;
constexpr double kReorderFactor = 0.99;  // an in-order name wins a tie with a reordered one
constexpr std::size_t kMax = text::kMaxNameTokens;

// The similarity of query token `q` to the name token `flagged` (a vocabulary id, with
// kInitialBit if it is one letter).
VocabMatch Pair(const QueryToken& q, std::uint32_t flagged, const NameVocabulary& vocab) {
  const std::uint32_t id = flagged & ~kInitialBit;
  const auto it = std::lower_bound(q.matches.begin(), q.matches.end(), id,
                                   [](const VocabMatch& m, std::uint32_t v) { return m.id < v; });
  if (it != q.matches.end() && it->id == id) return *it;
  VocabMatch m;
  m.id = id;
  if (q.text.size() != 1 && (flagged & kInitialBit) == 0) return m;  // no initial involved
  const std::string& token = vocab.Token(id);
  if (q.text == token) {
    m.similarity = 1.0F;
  } else if (q.text[0] == token[0]) {
    m.similarity = kInitialSimilarity;
    m.kind = TokenMatchKind::kInitial;
  }
  return m;
}

}  // namespace

double ScoreName(std::span<const QueryToken> query, std::span<const std::uint32_t> name,
                 const NameVocabulary& vocab, NameExplanation* explain) {
  const std::size_t n = std::min(query.size(), kMax);
  const std::size_t m = std::min(name.size(), kMax);
  // Only the similarities: this runs for every candidate, and a full VocabMatch matrix costs
  // more to initialise than the names take to compare.
  float sim[kMax][kMax];  // NOLINT(cppcoreguidelines-avoid-c-arrays): n x m cells are written
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < m; ++j) sim[i][j] = Pair(query[i], name[j], vocab).similarity;
  }
  // Greedy pairing, best pair first: optimal for the small, well-separated matrices names give.
  std::array<int, kMax> partner_of_query;
  partner_of_query.fill(-1);
  std::array<bool, kMax> name_used{};
  double sum = 0;
  std::size_t pairs = 0;
  for (;;) {
    float best = 0;
    std::size_t bi = 0;
    std::size_t bj = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (partner_of_query[i] >= 0) continue;
      for (std::size_t j = 0; j < m; ++j) {
        if (!name_used[j] && sim[i][j] > best) {
          best = sim[i][j];
          bi = i;
          bj = j;
        }
      }
    }
    if (best <= 0) break;
    partner_of_query[bi] = static_cast<int>(bj);
    name_used[bj] = true;
    sum += best;
    ++pairs;
  }
  if (pairs == 0) return 0;
  bool reordered = false;
  int last = -1;
  for (std::size_t i = 0; i < n; ++i) {
    if (partner_of_query[i] < 0) continue;
    if (partner_of_query[i] < last) reordered = true;
    last = partner_of_query[i];
  }
  // A query token and a name token both left over are a disagreement ("Adel Sami Jaber"
  // against "Ahmed Sami Jaber"), which costs more than a name left out on one side.
  const std::size_t conflicts = std::min(n - pairs, m - pairs);
  const double denominator = static_cast<double>(pairs) +
                             kConflictCost * static_cast<double>(conflicts) +
                             kUnmatchedQueryCost * static_cast<double>(n - pairs - conflicts) +
                             kUnmatchedNameCost * static_cast<double>(m - pairs - conflicts);
  const double score = sum / denominator * (reordered ? kReorderFactor : 1.0);
  if (explain != nullptr) {
    explain->reordered = reordered;
    explain->name_score = score;
    for (std::size_t i = 0; i < n; ++i) {
      if (partner_of_query[i] < 0) {
        explain->unmatched_query_tokens.push_back(query[i].text);
        continue;
      }
      const VocabMatch p =
          Pair(query[i], name[static_cast<std::size_t>(partner_of_query[i])], vocab);
      explain->matches.push_back(
          {query[i].text, vocab.Token(p.id), p.kind, static_cast<int>(p.edits), p.similarity});
    }
    for (std::size_t j = 0; j < m; ++j) {
      if (!name_used[j]) {
        explain->unmatched_name_tokens.push_back(vocab.Token(name[j] & ~kInitialBit));
      }
    }
  }
  return score;
}

double MaxBonus(const PersonFacts& query) {
  const double dob = query.date_of_birth.day != 0 ? kDobAgreeBonus : 0.0;
  const double nationality = query.nationalities.empty() ? 0.0 : kNationalityBonus;
  return 1 - (1 - dob) * (1 - nationality);
}

double ScoreBound(std::size_t matched, double similarity_sum, std::size_t unmatched,
                  std::size_t initials, double initial_similarity, double max_bonus) {
  const double pairs = static_cast<double>(matched + initials);
  if (pairs == 0) return 0;
  const double s = (similarity_sum + initial_similarity * static_cast<double>(initials)) /
                   (pairs + kUnmatchedQueryCost * static_cast<double>(unmatched));
  return std::min(1.0, s + (1 - s) * max_bonus);
}

namespace {

// Compares two dates as far as both are known; sets `factor`.
Agreement CompareDates(const PartialDate& q, const PartialDate& r, double& factor) {
  factor = 1.0;
  if (!q.known() || !r.known()) return Agreement::kUnknown;
  if (q.year != r.year) {
    factor = std::abs(q.year - r.year) == 1 ? 0.7 : 0.5;
    return Agreement::kConflict;
  }
  if (q.month == 0 || r.month == 0) return Agreement::kPartial;
  if (q.month != r.month) {
    // Day and month swapped (American order) is a common clerical error.
    const bool swapped = q.day != 0 && q.day == r.month && q.month == r.day;
    factor = swapped ? 0.9 : 0.7;
    return swapped ? Agreement::kPartial : Agreement::kConflict;
  }
  if (q.day == 0 || r.day == 0) return Agreement::kPartial;
  if (q.day != r.day) {
    factor = 0.7;
    return Agreement::kConflict;
  }
  return Agreement::kAgree;
}

}  // namespace

double Adjust(double name_score, const PersonFacts& query, const PersonFacts& person,
              NameExplanation* explain) {
  double dob_factor = 1.0;
  const Agreement dob = CompareDates(query.date_of_birth, person.date_of_birth, dob_factor);
  Agreement sex = Agreement::kUnknown;
  double score = name_score * dob_factor;
  if (query.sex != 'U' && person.sex != 'U') {
    sex = query.sex == person.sex ? Agreement::kAgree : Agreement::kConflict;
    if (sex == Agreement::kConflict) score *= 0.8;
  }
  // Agreement closes part of the gap to 1, so a bonus never reorders equal names by clipping.
  if (dob == Agreement::kAgree) score += (1 - score) * kDobAgreeBonus;
  // A date the query gives and the record lacks cannot confirm the person.
  if (query.date_of_birth.known() && !person.date_of_birth.known()) score *= 0.95;
  Agreement nationality = Agreement::kUnknown;
  if (!query.nationalities.empty() && !person.nationalities.empty()) {
    nationality = Agreement::kConflict;
    for (std::uint32_t n : person.nationalities) {
      if (n == query.nationalities.front()) nationality = Agreement::kAgree;
    }
    if (nationality == Agreement::kAgree) score += (1 - score) * kNationalityBonus;
  }
  if (explain != nullptr) {
    explain->date_of_birth = dob;
    explain->sex = sex;
    explain->nationality = nationality;
  }
  return std::clamp(score, 0.0, 1.0);
}

}  // namespace ncbnet::index::internal
