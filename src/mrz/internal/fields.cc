#include "mrz/internal/fields.h"

#include "mrz/internal/structure.h"

namespace ncbnet::mrz::internal {

namespace {

int CharValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 0;  // '<'; SplitLines lets nothing else through
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Letters, then nothing but fillers: "RKS", "D<<".
bool IsWellFormedCode(std::string_view code) {
  const std::string_view used = StripFillers(code);
  if (used.empty()) return false;
  for (char c : used) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

// Doc 9303 Part 3, 4.6: a name begins with a letter. Some issuers print the one name of a
// person who has only one as a secondary identifier after an empty primary one: "<<ANNA".
bool BeginsWellFormed(std::string_view used) {
  if (used.empty()) return false;
  if (used.front() != '<') return true;
  return used.size() > 2 && used[1] == '<' && used[2] != '<';
}

std::string Where(Span span) {
  return "line " + std::to_string(span.line + 1) + ", column " + std::to_string(span.column + 1);
}

std::string Label(std::string_view field) {
  std::string out(field);
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  return out;
}

// '<' between name components becomes one space; runs of fillers too.
std::string Spaced(std::string_view part) {
  std::string out;
  for (char c : part) {
    if (c != '<') {
      out += c;
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

char ComputeCheckDigit(std::string_view data) {
  static constexpr int kWeights[3] = {7, 3, 1};
  int sum = 0;
  for (std::size_t i = 0; i < data.size(); ++i) sum += CharValue(data[i]) * kWeights[i % 3];
  return static_cast<char>('0' + sum % 10);
}

std::string_view StripFillers(std::string_view text) {
  while (!text.empty() && text.back() == '<') text.remove_suffix(1);
  return text;
}

std::string_view SpanOf(const std::vector<std::string>& lines, Span span) {
  return std::string_view(lines[static_cast<std::size_t>(span.line)])
      .substr(static_cast<std::size_t>(span.column), static_cast<std::size_t>(span.length));
}

std::string_view FieldReader::At(Span span) const { return SpanOf(lines_, span); }

void FieldReader::Report(std::string code, std::string field, Span span, std::string message,
                         std::string expected, std::string found) {
  problems_.push_back({std::move(code), Where(span) + ": " + message, std::move(field),
                       span.line + 1, span.column + 1, std::move(expected), std::move(found)});
}

void FieldReader::Warn(std::string code, std::string field, Span span, std::string message,
                       std::string found) {
  warnings_.push_back({std::move(code), Where(span) + ": " + message, std::move(field),
                       span.line + 1, span.column + 1, "", std::move(found)});
}

void FieldReader::CheckDigit(std::string_view field, std::string_view data, Span digit,
                             bool filler_allowed, std::string_view note) {
  const char printed = CharAt(digit);
  const char expected = ComputeCheckDigit(data);
  if (printed == expected || (filler_allowed && printed == '<')) return;
  std::string message = "the check digit of the " + Label(field) + " is '" +
                        std::string(1, printed) + "' but the data gives '" +
                        std::string(1, expected) + "'";
  if (printed == '<') message += " (a filler is not allowed here)";
  message += note;
  Report("mrz_check_digit", std::string(field), digit, std::move(message), std::string(1, expected),
         std::string(1, printed));
}

Country FieldReader::ReadCountry(std::string_view field, Span span, bool unknown_is_warning) {
  Country country = LookupCountry(At(span));
  if (country.kind != CountryKind::kUnknown) return country;
  const std::string shown(At(span));
  std::string message = "the " + Label(field) + " '" + shown +
                        "' is neither an ISO 3166-1 alpha-3 code nor an ICAO Doc 9303 code";
  if (unknown_is_warning && IsWellFormedCode(At(span))) {
    Warn("mrz_unknown_country", std::string(field), span,
         std::move(message) + "; read as printed, with no ISO country", shown);
  } else {
    Report("mrz_unknown_country", std::string(field), span, std::move(message), "", shown);
  }
  return country;
}

char FieldReader::ReadSex(Span span) {
  const char sex = CharAt(span);
  if (sex != 'M' && sex != 'F' && sex != 'X' && sex != '<') {
    Report("mrz_bad_sex", "sex", span,
           "the sex is '" + std::string(1, sex) + "'; it must be M, F, X or < (unspecified)",
           "M, F, X or <", std::string(1, sex));
  }
  return sex;
}

// Doc 9303 Part 3, 4.6: the primary identifier, "<<", the secondary identifier, '<' between
// components, fillers to the end; a name that fills the field to its last character may have
// been truncated.
Name FieldReader::ReadName(Span span) {
  const std::string_view field = At(span);
  Name name;
  name.truncated = field.back() != '<';
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (IsDigit(field[i])) {
      Report("mrz_bad_name", "name", {span.line, span.column + static_cast<int>(i), 1},
             "the name holds the digit '" + std::string(1, field[i]) + "'", "A-Z or <",
             std::string(1, field[i]));
      break;
    }
  }
  const std::string_view used = StripFillers(field);
  if (!BeginsWellFormed(used)) {
    Report("mrz_bad_name", "name", span,
           used.empty() ? "the name is empty"
                        : "the name begins with a filler, not a letter or '<<' and a letter");
  }
  const std::size_t split = used.find("<<");
  name.primary = Spaced(used.substr(0, split));
  if (split != std::string_view::npos) name.secondary = Spaced(used.substr(split + 2));
  return name;
}

std::string FieldReader::ReadDocumentCode(Span span) {
  const std::string_view code = At(span);
  if (IsDigit(code[1])) {
    Report("mrz_bad_document_code", "document_code", span,
           "the document code '" + std::string(code) + "' ends in a digit", "A-Z or <",
           std::string(code));
  }
  return std::string(StripFillers(code));
}

std::string FieldReader::ReadDocumentNumber(std::string_view number, Span span) {
  const std::string_view used = StripFillers(number);
  if (used.empty()) {
    Report("mrz_bad_document_number", "document_number", span, "the document number is empty");
  }
  return std::string(used);
}

}  // namespace ncbnet::mrz::internal
