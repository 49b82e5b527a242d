#include "index/name_eval_set.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "index/name_eval_pools.h"
#include "tests/testutil/splitmix.h"
#include "text/name_tokens.h"

namespace ncbnet::index::eval {
namespace {

using internal::Culture;
using internal::Cultures;
using internal::Spelling;

// splitmix64 (tests/testutil/splitmix.h), the generator's only source of randomness.
struct Rng : testutil::SplitMix64 {
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(Next() % n); }
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(v.size())];
  }
};

enum class Role { kGiven, kMiddle, kFamily };

// One word-group of a name as written: its native text and its Latin spellings.
struct Slot {
  std::string native;
  std::vector<std::string> latin;  // [0] is the passport form
  Role role = Role::kGiven;
};

struct Person {
  std::size_t culture = 0;
  std::vector<Slot> slots;  // in the order the Latin form writes them
  PartialDate dob;
  char sex = 'U';
  std::string nationality;
  std::string key;  // the identity of the name: culture and native slots
};

std::string LatinOf(const Spelling& s) { return s.latin.empty() ? s.native : s.latin[0]; }
std::string NativeOf(const Spelling& s) { return s.native.empty() ? LatinOf(s) : s.native; }

std::string Capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// The passport spelling of a native name built here (family names, patronymics): the one
// text::NameTokens gives, which follows BGN/PCGN and UNGEGN as passports do.
std::string Romanised(const std::string& native) {
  Result<std::vector<std::string>> t = text::NameTokens(native);
  std::string out;
  if (!t.ok()) return out;
  for (const std::string& w : *t) out += (out.empty() ? "" : " ") + Capitalised(w);
  return out;
}

// Other ways the Latin `s` is spelled: endings and digraphs that romanisations disagree on.
std::vector<std::string> Respellings(const std::string& s) {
  static const std::vector<std::pair<std::string, std::string>> kRules = {
      {"skiy", "sky"}, {"skiy", "ski"}, {"kh", "h"}, {"ov", "off"},    {"ev", "eff"},
      {"ts", "tz"},    {"shch", "sch"}, {"zh", "j"}, {"idis", "ides"}, {"poulos", "pulos"},
      {"ou", "u"},     {"ch", "h"},     {"y", "i"},  {"ie", "ye"}};
  std::vector<std::string> out = {s};
  for (const auto& [from, to] : kRules) {
    const std::size_t at = s.rfind(from);
    if (at == std::string::npos) continue;
    std::string v = s;
    v.replace(at, from.size(), to);
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  }
  return out;
}

Slot GivenSlot(const Spelling& s) {
  Slot slot{NativeOf(s), s.latin, Role::kGiven};
  if (slot.latin.empty()) slot.latin = {LatinOf(s)};
  return slot;
}

Slot FamilySlot(const Culture& c, char sex, Rng& rng) {
  if (!c.family.empty()) {
    const Spelling& f = rng.Pick(c.family);
    return {f.native, f.latin, Role::kFamily};
  }
  std::string native;
  std::string latin;
  const std::size_t parts = 2 + (rng.Chance(0.3) ? 1 : 0);
  for (std::size_t i = 0; i < parts; ++i) {
    const Spelling& s = rng.Pick(c.syllables);
    native += NativeOf(s);
    latin += LatinOf(s);
  }
  const Spelling& suffix = rng.Pick(c.suffixes);
  native += NativeOf(suffix);
  latin += LatinOf(suffix);
  if (c.patronymic && sex == 'F') {  // Russian feminine family names
    if (native.ends_with("ий")) {
      native.replace(native.size() - 4, 4, "ая");
    } else if (native.ends_with("ов") || native.ends_with("ев") || native.ends_with("ин")) {
      native += "а";
    }
  }
  Slot slot{native, {}, Role::kFamily};
  slot.latin = Respellings(c.has_script ? Romanised(native) : Capitalised(latin));
  return slot;
}

Slot ChineseGiven(const Culture& c, Rng& rng) {
  const Spelling& a = rng.Pick(c.syllables);
  if (rng.Chance(0.3)) return {a.native, {Capitalised(LatinOf(a))}, Role::kGiven};
  const Spelling& b = rng.Pick(c.syllables);
  const std::string x = Capitalised(LatinOf(a));
  return {a.native + b.native,
          {x + LatinOf(b), x + "-" + Capitalised(LatinOf(b)), x + " " + Capitalised(LatinOf(b))},
          Role::kGiven};
}

Slot Patronymic(const Culture& c, char sex, Rng& rng) {
  std::string father = rng.Pick(c.male).native;
  if (father.ends_with("й")) {
    father.resize(father.size() - 2);
    father += sex == 'F' ? "евна" : "евич";
  } else {
    if (father.ends_with("ь")) father.resize(father.size() - 2);
    father += sex == 'F' ? "овна" : "ович";
  }
  return {father, {Romanised(father)}, Role::kMiddle};
}

Person MakePerson(Rng& rng) {
  static const std::vector<std::size_t> kShares = {25, 20, 20, 10, 25};
  Person p;
  std::size_t roll = rng.Below(100);
  while (roll >= kShares[p.culture]) roll -= kShares[p.culture++];
  const Culture& c = Cultures()[p.culture];
  p.sex = rng.Chance(0.5) ? 'M' : 'F';
  const std::vector<Spelling>& given = p.sex == 'M' ? c.male : c.female;
  if (c.family_first) {
    p.slots = {FamilySlot(c, p.sex, rng), ChineseGiven(c, rng)};
  } else {
    p.slots.push_back(GivenSlot(rng.Pick(given)));
    if (c.patronymic) p.slots.push_back(Patronymic(c, p.sex, rng));
    if (c.father_name) p.slots.push_back(GivenSlot(rng.Pick(c.male)));
    if (c.father_name) p.slots.back().role = Role::kMiddle;
    if (!c.has_script && rng.Chance(0.3)) {
      p.slots.push_back(GivenSlot(rng.Pick(given)));
      p.slots.back().role = Role::kMiddle;
    }
    p.slots.push_back(FamilySlot(c, p.sex, rng));
  }
  const double dob_roll = static_cast<double>(rng.Below(100)) / 100.0;
  if (dob_roll < 0.95) p.dob.year = 1940 + static_cast<int>(rng.Below(66));
  if (dob_roll < 0.85) {
    p.dob.month = 1 + static_cast<int>(rng.Below(12));
    p.dob.day = 1 + static_cast<int>(rng.Below(28));
  }
  p.nationality = rng.Pick(c.nationalities);
  p.key = c.name;
  for (const Slot& s : p.slots) p.key += "|" + s.native;
  return p;
}

std::string DateText(const PartialDate& d) {
  if (!d.known()) return "";
  char buf[16];
  if (d.month == 0) {
    std::snprintf(buf, sizeof buf, "%04d", d.year);
  } else if (d.day == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  }
  return buf;
}

std::string Join(const std::vector<std::string>& words, const char* sep) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : sep) + w;
  return out;
}

std::vector<std::string> LatinWords(const Person& p) {
  std::vector<std::string> words;
  for (const Slot& s : p.slots) words.push_back(s.latin[0]);
  return words;
}

NamePerson ToNamePerson(const Person& p, std::uint64_t ref) {
  NamePerson n;
  n.ref = ref;
  const Culture& c = Cultures()[p.culture];
  if (c.has_script) {
    std::vector<std::string> native;
    for (const Slot& s : p.slots) native.push_back(s.native);
    n.names.push_back(Join(native, c.family_first ? "" : " "));
  }
  n.names.push_back(Join(LatinWords(p), " "));
  n.date_of_birth = DateText(p.dob);
  n.sex = p.sex;
  n.nationalities = {p.nationality};
  return n;
}

bool Compatible(const PartialDate& q, const PartialDate& r) {
  if (!q.known() || !r.known()) return true;
  if (q.year != r.year) return false;
  if (q.month != 0 && r.month != 0 && q.month != r.month) return false;
  return q.day == 0 || r.day == 0 || q.day == r.day;
}

// One letter inserted, dropped, replaced, or two neighbours swapped, inside the longest word.
std::string Typo(std::string name, Rng& rng) {
  std::size_t best = 0;
  std::size_t best_len = 0;
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t end = std::min(name.find(' ', i), name.size());
    if (end - i > best_len) {
      best = i;
      best_len = end - i;
    }
    i = end + 1;
  }
  if (best_len < 4) return name;
  const std::size_t at = best + 1 + rng.Below(best_len - 2);
  if (static_cast<unsigned char>(name[at]) >= 0x80 ||
      static_cast<unsigned char>(name[at + 1]) >= 0x80) {
    return name;
  }
  const char letter = static_cast<char>('a' + rng.Below(26));
  switch (rng.Below(4)) {
    case 0:
      name.insert(name.begin() + static_cast<std::ptrdiff_t>(at), letter);
      break;
    case 1:
      name.erase(at, 1);
      break;
    case 2:
      name[at] = name[at] == letter ? static_cast<char>('a' + (letter - 'a' + 1) % 26) : letter;
      break;
    default:
      std::swap(name[at], name[at + 1]);
      break;
  }
  return name;
}

// A phonetic respelling of `word`, or `word` if no rule applies.
std::string Respell(const std::string& word, Rng& rng) {
  static const std::vector<std::pair<std::string, std::string>> kRules = {
      {"ph", "f"}, {"f", "ph"}, {"ck", "k"}, {"k", "c"},  {"w", "v"},  {"v", "w"},
      {"ks", "x"}, {"x", "ks"}, {"y", "i"},  {"i", "y"},  {"ss", "s"}, {"s", "ss"},
      {"tt", "t"}, {"ll", "l"}, {"l", "ll"}, {"ou", "u"}, {"c", "k"},  {"ei", "ai"}};
  std::vector<std::string> options;
  for (const auto& [from, to] : kRules) {
    const std::size_t at = word.find(from, 1);
    if (at == std::string::npos) continue;
    std::string v = word;
    v.replace(at, from.size(), to);
    options.push_back(v);
  }
  return options.empty() ? word : rng.Pick(options);
}

std::vector<std::string> NativeWords(const Person& p) {
  std::vector<std::string> words;
  for (const Slot& s : p.slots) words.push_back(s.native);
  return words;
}

// The name of a positive query of `kind` for `p`; empty if the kind does not apply to it.
std::string PositiveName(const Person& p, QueryKind kind, Rng& rng) {
  const Culture& c = Cultures()[p.culture];
  std::vector<std::string> words = LatinWords(p);
  const auto slot_of = [&](Role role) {
    const auto it =
        std::find_if(p.slots.begin(), p.slots.end(), [&](const Slot& s) { return s.role == role; });
    return it == p.slots.end() ? p.slots.size() : static_cast<std::size_t>(it - p.slots.begin());
  };
  const std::size_t family = slot_of(Role::kFamily);
  const std::size_t given = slot_of(Role::kGiven);
  switch (kind) {
    case QueryKind::kExactLatin:
      break;
    case QueryKind::kNativeScript:
      if (!c.has_script) return "";
      return Join(NativeWords(p), c.family_first ? "" : " ");
    case QueryKind::kTransliteration: {
      bool changed = false;
      for (std::size_t i = 0; i < p.slots.size(); ++i) {
        const std::vector<std::string>& v = p.slots[i].latin;
        if (v.size() > 1) {
          words[i] = v[1 + rng.Below(v.size() - 1)];
          changed = true;
        }
      }
      if (!changed) return "";
      break;
    }
    case QueryKind::kReordered: {
      const std::string f = words[family];
      words.erase(words.begin() + static_cast<std::ptrdiff_t>(family));
      if (family == 0) {
        words.push_back(f);
      } else {
        words.insert(words.begin(), f);
      }
      break;
    }
    case QueryKind::kMissingGiven: {
      const std::size_t middle = slot_of(Role::kMiddle);
      if (middle == p.slots.size()) return "";
      words.erase(words.begin() + static_cast<std::ptrdiff_t>(middle));
      break;
    }
    case QueryKind::kExtraGiven: {
      if (c.family_first) return "";
      const std::vector<Spelling>& pool = p.sex == 'M' ? c.male : c.female;
      words.insert(words.begin() + 1, LatinOf(rng.Pick(pool)));
      break;
    }
    case QueryKind::kInitial:
      if (c.family_first) return "";
      words[given] = words[given].substr(0, 1) + ".";
      break;
    case QueryKind::kTypo:
      return Typo(Join(words, " "), rng);
    case QueryKind::kSpelling: {
      const std::string r = Respell(words[family], rng);
      if (r == words[family]) return "";
      words[family] = r;
      break;
    }
    default:
      return "";
  }
  return Join(words, " ");
}

PartialDate RandomDate(Rng& rng) {
  return {1940 + static_cast<int>(rng.Below(66)), 1 + static_cast<int>(rng.Below(12)),
          1 + static_cast<int>(rng.Below(28))};
}

// A near-namesake of `x`: a person who is not in the index; its name and date of birth.
bool NamesakeOf(const Person& x, QueryKind kind, Rng& rng, Person& y) {
  y = x;
  const Culture& c = Cultures()[x.culture];
  switch (kind) {
    case QueryKind::kNamesakeGiven: {
      const auto it = std::find_if(y.slots.begin(), y.slots.end(),
                                   [](const Slot& s) { return s.role == Role::kGiven; });
      if (c.family_first) {
        const Slot other = ChineseGiven(c, rng);
        if (other.native == it->native) return false;
        *it = other;
      } else {
        const Spelling& other = rng.Pick(x.sex == 'M' ? c.male : c.female);
        if (NativeOf(other) == it->native) return false;
        *it = GivenSlot(other);
      }
      y.dob = rng.Chance(0.3) && x.dob.day != 0 ? x.dob : RandomDate(rng);
      break;
    }
    case QueryKind::kNamesakeDob:
      y.dob = RandomDate(rng);
      if (x.dob.known() && std::abs(y.dob.year - x.dob.year) < 2) return false;
      break;
    case QueryKind::kNamesakeDay:
      if (x.dob.day == 0) return false;
      y.dob = RandomDate(rng);
      y.dob.year = x.dob.year;
      if (y.dob.month == x.dob.month || y.dob.month == x.dob.day) return false;
      break;
    default:
      return false;
  }
  y.key = c.name;
  for (const Slot& s : y.slots) y.key += "|" + s.native;
  return true;
}

}  // namespace

const char* QueryKindName(QueryKind kind) {
  static const char* const kNames[] = {"exact_latin",    "native_script", "transliteration",
                                       "reordered",      "missing_given", "extra_given",
                                       "initial",        "typo",          "spelling",
                                       "namesake_given", "namesake_dob",  "namesake_day"};
  return kNames[static_cast<int>(kind)];
}

bool IsNegative(QueryKind kind) { return kind >= QueryKind::kNamesakeGiven; }

EvalSet Generate(std::size_t persons, std::size_t queries, std::uint64_t seed) {
  Rng rng{{seed}};
  std::vector<Person> people;
  people.reserve(persons);
  EvalSet set;
  set.persons.reserve(persons);
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_key;
  for (std::size_t i = 0; i < persons; ++i) {
    people.push_back(MakePerson(rng));
    set.persons.push_back(ToNamePerson(people.back(), i + 1));
    by_key[people.back().key].push_back(static_cast<std::uint32_t>(i));
  }
  const auto answers = [&](const std::string& key, const PartialDate& dob) {
    std::vector<std::uint64_t> refs;
    const auto it = by_key.find(key);
    if (it == by_key.end()) return refs;
    for (std::uint32_t i : it->second) {
      if (Compatible(dob, people[i].dob)) refs.push_back(i + 1);
    }
    return refs;
  };
  constexpr int kPositiveKinds = static_cast<int>(QueryKind::kNamesakeGiven);
  constexpr int kNegativeKinds = static_cast<int>(QueryKind::kCount) - kPositiveKinds;
  while (set.queries.size() < queries && !people.empty()) {
    const Person& x = people[rng.Below(people.size())];
    EvalQuery q;
    q.id = set.queries.size() + 1;
    q.query.sex = rng.Chance(0.5) ? x.sex : 'U';
    q.query.nationality = rng.Chance(0.3) ? x.nationality : "";
    if (rng.Chance(0.7)) {
      q.kind = static_cast<QueryKind>(rng.Below(kPositiveKinds));
      q.query.name = PositiveName(x, q.kind, rng);
      if (q.query.name.empty()) continue;
      PartialDate dob = x.dob;
      const double roll = static_cast<double>(rng.Below(100)) / 100.0;
      if (roll >= 0.55) dob.month = dob.day = 0;
      if (roll >= 0.75) dob = {};
      q.query.date_of_birth = DateText(dob);
      q.answers = answers(x.key, dob);
    } else {
      q.kind = static_cast<QueryKind>(kPositiveKinds + static_cast<int>(rng.Below(kNegativeKinds)));
      Person y;
      if (!NamesakeOf(x, q.kind, rng, y) || !answers(y.key, y.dob).empty()) continue;
      q.query.name = Join(LatinWords(y), " ");
      q.query.date_of_birth = DateText(y.dob);
    }
    set.queries.push_back(std::move(q));
  }
  return set;
}

}  // namespace ncbnet::index::eval
