#include "mrz/internal/ocr.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "mrz/internal/layout.h"

namespace ncbnet::mrz::internal {

namespace {

// Pairs that OCR-B readers confuse, a digit and a letter of similar shape; the first pair of a
// digit gives the letter it stands for in a field of letters (0 is read as O, not Q or D).
constexpr std::array<std::pair<char, char>, 8> kLookalikes = {{
    {'0', 'O'},
    {'0', 'Q'},
    {'0', 'D'},
    {'1', 'I'},
    {'2', 'Z'},
    {'5', 'S'},
    {'6', 'G'},
    {'8', 'B'},
}};

std::optional<char> DigitFor(char letter) {
  for (const auto& [digit, l] : kLookalikes) {
    if (l == letter) return digit;
  }
  return std::nullopt;
}

std::optional<char> LetterFor(char digit) {
  for (const auto& [d, letter] : kLookalikes) {
    if (d == digit) return letter;
  }
  return std::nullopt;
}

enum class Kind { kDigits, kLetters };

struct KindedSpan {
  const char* field;
  Span span;
  Kind kind;
};

// The fields of one kind. Check digits count as digits ('<' is not a letter, so a filler in
// place of a digit is never a confusion); the first character of the document code chose the
// format, so only the second is looked at.
std::vector<KindedSpan> KindedSpans(Format format, const Layout& l,
                                    const std::vector<std::string>& lines) {
  std::vector<KindedSpan> out = {
      {"document_code", {l.code.line, l.code.column + 1, 1}, Kind::kLetters},
      {"issuing_state", l.state, Kind::kLetters},
      {"name", l.name, Kind::kLetters},
      {"document_number", l.number_check, Kind::kDigits},
      {"nationality", l.nationality, Kind::kLetters},
      {"birth_date", l.birth, Kind::kDigits},
      {"birth_date", l.birth_check, Kind::kDigits},
      {"expiry_date", l.expiry, Kind::kDigits},
      {"expiry_date", l.expiry_check, Kind::kDigits},
  };
  if (l.personal_check) out.push_back({"personal_number", *l.personal_check, Kind::kDigits});
  if (l.composite) out.push_back({"composite", *l.composite, Kind::kDigits});
  if (const std::optional<ExtendedNumber> ext = FindExtendedNumber(format, l, lines)) {
    out.push_back({"document_number", ext->check, Kind::kDigits});
  }
  return out;
}

}  // namespace

std::vector<Correction> FindConfusions(Format format, const std::vector<std::string>& lines) {
  std::vector<Correction> out;
  for (const KindedSpan& k : KindedSpans(format, LayoutOf(format), lines)) {
    const std::string_view text = SpanOf(lines, k.span);
    for (std::size_t i = 0; i < text.size(); ++i) {
      const std::optional<char> right =
          k.kind == Kind::kDigits ? DigitFor(text[i]) : LetterFor(text[i]);
      if (!right) continue;
      out.push_back(
          {k.field, k.span.line + 1, k.span.column + static_cast<int>(i) + 1, text[i], *right});
    }
  }
  std::sort(out.begin(), out.end(), [](const Correction& a, const Correction& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  return out;
}

std::vector<std::string> ApplyCorrections(std::vector<std::string> lines,
                                          const std::vector<Correction>& corrections) {
  for (const Correction& c : corrections) {
    lines[static_cast<std::size_t>(c.line - 1)][static_cast<std::size_t>(c.column - 1)] =
        c.corrected;
  }
  return lines;
}

}  // namespace ncbnet::mrz::internal
