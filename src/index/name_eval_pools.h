// The name pools of the evaluation set generator (index/name_eval_set.h): given names with
// their romanisations, family names or the syllables that family names are built from, in
// five scripts. Synthetic data only; internal to the generator.
#pragma once

#include <string>
#include <vector>

namespace ncbnet::index::eval::internal {

// A name in its own script and its Latin spellings; latin[0] is the one passports use.
struct Spelling {
  std::string native;
  std::vector<std::string> latin;
};

struct Culture {
  const char* name;
  std::vector<Spelling> male;
  std::vector<Spelling> female;
  std::vector<Spelling> family;     // ready-made family names (Arabic, Chinese)
  std::vector<Spelling> syllables;  // family names built from two or three of these ...
  std::vector<Spelling> suffixes;   // ... and one of these
  std::vector<std::string> nationalities;
  bool family_first = false;  // Chinese: the family name comes first
  bool has_script = true;     // false: Latin only
  bool patronymic = false;    // Russian: given name, patronymic, family name
  bool father_name = false;   // Arabic: given name, father's name, family name
};

// The five cultures, in a fixed order.
const std::vector<Culture>& Cultures();

}  // namespace ncbnet::index::eval::internal
