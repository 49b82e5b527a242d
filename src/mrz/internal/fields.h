// The field half of mrz::Read(): check digits, dates, sex, names, codes. Each Read* function
// returns what it could read and appends a Problem for everything wrong; none of them fails.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "mrz/mrz.h"

namespace ncbnet::mrz::internal {

// Where a field is printed: 0-based line and column, and its length.
struct Span {
  int line = 0;
  int column = 0;
  int length = 1;
};

// The characters of `lines` at `span`; the span must lie inside them.
std::string_view SpanOf(const std::vector<std::string>& lines, Span span);

// The lines being read, and the problems and warnings found so far.
class FieldReader {
 public:
  FieldReader(const std::vector<std::string>& lines, std::vector<Problem>& problems,
              std::vector<Problem>& warnings)
      : lines_(lines), problems_(problems), warnings_(warnings) {}

  std::string_view At(Span span) const;
  char CharAt(Span span) const { return At(span).front(); }

  // Appends a field problem at `span` (reported 1-based).
  void Report(std::string code, std::string field, Span span, std::string message,
              std::string expected = "", std::string found = "");
  // Appends a warning at `span`: accepted, but worth saying.
  void Warn(std::string code, std::string field, Span span, std::string message,
            std::string found = "");

  // Verifies the check digit printed at `digit` over `data` (Doc 9303 Part 3, 4.9: weights
  // 7-3-1, '<' counts 0, A-Z count 10-35). With `filler_allowed`, '<' is accepted in place of
  // the digit (the field it protects is all fillers and the standard allows it). `note` is
  // added to the message of a mismatch.
  void CheckDigit(std::string_view field, std::string_view data, Span digit,
                  bool filler_allowed = false, std::string_view note = "");

  // YYMMDD; unknown parts ("<<" or "XX") allowed only when `unknown_allowed` (dates of birth).
  PartialDate ReadDate(std::string_view field, Span span, std::chrono::year_month_day today,
                       bool is_birth);
  // An unknown code is mrz_unknown_country: a problem, or with `unknown_is_warning` a warning
  // when the code is well formed (letters, then fillers). A code with digits or a filler first
  // is always a problem.
  Country ReadCountry(std::string_view field, Span span, bool unknown_is_warning = false);
  char ReadSex(Span span);
  Name ReadName(Span span);
  std::string ReadDocumentCode(Span span);
  // Trailing fillers removed; mrz_bad_document_number when nothing is left.
  std::string ReadDocumentNumber(std::string_view number, Span span);

 private:
  const std::vector<std::string>& lines_;
  std::vector<Problem>& problems_;
  std::vector<Problem>& warnings_;
};

// The Doc 9303 check digit of `data`: '0'..'9'.
char ComputeCheckDigit(std::string_view data);

// `text` without trailing '<' fillers.
std::string_view StripFillers(std::string_view text);

}  // namespace ncbnet::mrz::internal
