#include "mrz/internal/structure.h"

#include <cstdio>

namespace ncbnet::mrz::internal {

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Readers end lines with LF or CR/LF and may pad them with spaces or tabs; nothing in an MRZ is
// white, so trimming each line loses nothing. Lower case is folded. Blank lines in the middle
// are kept: they are a wrong line count or length, not something to guess around.
std::vector<std::string> NormalisedLines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line(Trim(text.substr(pos, end - pos)));
    for (char& c : line) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    lines.push_back(std::move(line));
    pos = end + 1;
  }
  return lines;
}

bool IsMrzChar(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<'; }

bool FindBadCharacters(const std::vector<std::string>& lines, std::vector<Problem>& problems) {
  std::size_t found = 0;
  for (std::size_t l = 0; l < lines.size(); ++l) {
    for (std::size_t c = 0; c < lines[l].size(); ++c) {
      if (IsMrzChar(lines[l][c])) continue;
      if (++found > kMaxCharacterProblems) return true;
      const std::string shown = ShowByte(lines[l][c]);
      problems.push_back({"mrz_bad_character",
                          "line " + std::to_string(l + 1) + ", column " + std::to_string(c + 1) +
                              ": character '" + shown +
                              "' is not allowed in an MRZ (only A-Z, 0-9 and <)",
                          "", static_cast<int>(l + 1), static_cast<int>(c + 1), "", shown});
    }
  }
  return found > 0;
}

// The line length the format needs: 30 for three lines; for two, 44 or 36 as the first line
// that has one of those lengths says; empty when neither does.
std::string ExpectedLength(const std::vector<std::string>& lines) {
  if (lines.size() == 3) return "30";
  for (const std::string& line : lines) {
    if (line.size() == 44 || line.size() == 36) return std::to_string(line.size());
  }
  return "";
}

bool CheckLengths(const std::vector<std::string>& lines, std::vector<Problem>& problems) {
  const std::string expected = ExpectedLength(lines);
  bool ok = true;
  for (std::size_t l = 0; l < lines.size(); ++l) {
    const std::string found = std::to_string(lines[l].size());
    if (!expected.empty() && found == expected) continue;
    ok = false;
    const std::string wanted = expected.empty() ? "36 or 44" : expected;
    problems.push_back({"mrz_line_length",
                        "line " + std::to_string(l + 1) + " has " + found + " characters; " +
                            (lines.size() == 3 ? "a 3-line MRZ (TD1)" : "a 2-line MRZ") +
                            " needs " + wanted,
                        "", static_cast<int>(l + 1), 0, wanted, found});
  }
  return ok;
}

// Doc 9303: TD1 and TD2 document codes begin with A, C or I; passports (TD3) with P; visas with
// V (MRV-A on 44 columns, MRV-B on 36).
std::optional<Format> DetectFormat(const std::vector<std::string>& lines,
                                   std::vector<Problem>& problems) {
  const char first = lines[0][0];
  const bool aci = first == 'A' || first == 'C' || first == 'I';
  std::string expected;
  if (lines.size() == 3) {
    if (aci) return Format::kTd1;
    expected = "A, C or I";
  } else if (lines[0].size() == 44) {
    if (first == 'P') return Format::kTd3;
    if (first == 'V') return Format::kMrvA;
    expected = "P or V";
  } else {
    if (aci) return Format::kTd2;
    if (first == 'V') return Format::kMrvB;
    expected = "A, C, I or V";
  }
  const std::string shape = std::to_string(lines.size()) + "x" + std::to_string(lines[0].size());
  problems.push_back(
      {"mrz_unknown_format",
       "a " + shape + " MRZ must begin with " + expected + ", not '" + std::string(1, first) + "'",
       "document_code", 1, 1, expected, std::string(1, first)});
  return std::nullopt;
}

}  // namespace

std::string ShowByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string(1, c);
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", u);
  return buf;
}

std::optional<Lines> SplitLines(std::string_view text, std::vector<Problem>& problems) {
  if (text.size() > kMaxInputBytes) {
    const std::string max = std::to_string(kMaxInputBytes);
    problems.push_back({"mrz_too_large",
                        "the input has " + std::to_string(text.size()) +
                            " bytes; an MRZ is read from at most " + max,
                        "", 0, 0, max, std::to_string(text.size())});
    return std::nullopt;
  }
  text = Trim(text);
  if (text.empty()) {
    problems.push_back({"mrz_empty", "the input holds no MRZ", "", 0, 0, "", ""});
    return std::nullopt;
  }
  Lines out;
  out.lines = NormalisedLines(text);
  if (FindBadCharacters(out.lines, problems)) return std::nullopt;
  if (out.lines.size() != 2 && out.lines.size() != 3) {
    const std::string found = std::to_string(out.lines.size());
    problems.push_back({"mrz_line_count",
                        "the MRZ has " + found + " line(s); it needs 2 (TD2, TD3, MRV) or 3 (TD1)",
                        "", 0, 0, "2 or 3", found});
    return std::nullopt;
  }
  if (!CheckLengths(out.lines, problems)) return std::nullopt;
  const std::optional<Format> format = DetectFormat(out.lines, problems);
  if (!format) return std::nullopt;
  out.format = *format;
  return out;
}

}  // namespace ncbnet::mrz::internal
