#include "core/countries.h"

#include <fstream>
#include <set>
#include <sstream>

namespace ncbnet {

bool IsAlpha3(std::string_view code) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

Result<std::vector<Country>> ParseCountries(std::string_view text) {
  std::vector<Country> out;
  std::set<std::string, std::less<>> seen;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t tab = line.find('\t');
    const auto bad = [&](const char* why) {
      return Status::InvalidArgument("invalid_country_file",
                                     "line " + std::to_string(line_no) + ": " + why);
    };
    if (tab == std::string_view::npos) return bad("expected ISO3<TAB>Name");
    const std::string_view code = line.substr(0, tab);
    const std::string_view name = line.substr(tab + 1);
    if (!IsAlpha3(code)) return bad("code is not ISO 3166-1 alpha-3");
    if (name.empty()) return bad("empty name");
    if (!seen.emplace(code).second) return bad("duplicate code");
    out.push_back({std::string(code), std::string(name)});
  }
  return out;
}

Result<std::vector<Country>> LoadCountries(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("countries_file_missing", "cannot open " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  return ParseCountries(buf.str());
}

}  // namespace ncbnet
