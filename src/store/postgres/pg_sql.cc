#include "store/postgres/pg_sql.h"

#include <array>
#include <cctype>
#include <utility>

namespace ncbnet::store::internal {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kTypes = {{
    {"INTEGER", "BIGINT"},
    {"BLOB", "BYTEA"},
    {"REAL", "DOUBLE PRECISION"},
}};

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

// The index just past a quoted run that starts at `i` with `quote` ('' and "" escape it).
std::size_t SkipQuoted(std::string_view sql, std::size_t i, char quote) {
  for (++i; i < sql.size(); ++i) {
    if (sql[i] != quote) continue;
    if (i + 1 < sql.size() && sql[i + 1] == quote) {
      ++i;
      continue;
    }
    return i + 1;
  }
  return sql.size();
}

}  // namespace

PostgresSql ToPostgresSql(std::string_view sql) {
  PostgresSql out;
  out.text.reserve(sql.size() + 16);
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    const bool word_start = i == 0 || !IsWordChar(sql[i - 1]);
    if ((c == 'x' || c == 'X') && word_start && i + 1 < sql.size() && sql[i + 1] == '\'') {
      const std::size_t end = SkipQuoted(sql, i + 1, '\'');
      out.text += "'\\x";
      out.text += sql.substr(i + 2, end - i - 2);  // the hex digits and the closing quote
      out.text += "::bytea";
      i = end;
    } else if (c == '\'' || c == '"') {
      const std::size_t end = SkipQuoted(sql, i, c);
      out.text += sql.substr(i, end - i);
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const std::size_t end = sql.find('\n', i);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end;
      out.text += sql.substr(i, stop - i);
      i = stop;
    } else if (c == '?') {
      out.text += '$' + std::to_string(++out.params);
      ++i;
    } else if (word_start && IsWordChar(c)) {
      std::size_t end = i;
      while (end < sql.size() && IsWordChar(sql[end])) ++end;
      const std::string_view word = sql.substr(i, end - i);
      std::string_view replacement = word;
      for (const auto& [from, to] : kTypes) {
        if (word == from) replacement = to;
      }
      out.text += replacement;
      i = end;
    } else {
      out.text += c;
      ++i;
    }
  }
  return out;
}

}  // namespace ncbnet::store::internal
