// Member countries are data, not code: data/countries.tsv lists one per line as
// "ISO3<TAB>Name", derived from Debian's iso-codes by scripts/gen-countries.sh.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ncbnet {

struct Country {
  std::string code;  // ISO 3166-1 alpha-3, upper case
  std::string name;
};

// True for three ASCII upper-case letters.
bool IsAlpha3(std::string_view code);

// Parses the countries file. Blank lines and lines starting with '#' are skipped. Errors:
// kInvalidArgument "invalid_country_file" naming the line; kNotFound if the file is missing.
Result<std::vector<Country>> ParseCountries(std::string_view text);
Result<std::vector<Country>> LoadCountries(const std::string& path);

}  // namespace ncbnet
