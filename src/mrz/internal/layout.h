// Where each field sits in each format (Doc 9303 Part 4 for TD3, Part 5 TD1, Part 6 TD2, Part 7
// MRV-A and MRV-B): shared by the reading of fields (mrz.cc) and the search for OCR confusions
// (ocr.cc), so that both look at the same characters.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mrz/internal/fields.h"
#include "mrz/mrz.h"

namespace ncbnet::mrz::internal {

struct Layout {
  Span code, state, name, number, number_check, nationality, birth, birth_check, sex, expiry,
      expiry_check;
  std::optional<Span> personal, personal_check, optional, optional2, composite;
  std::vector<Span> composite_parts;  // the data the composite check digit covers, in order
};

Layout LayoutOf(Format format);

// A document number longer than 9 characters (Doc 9303 Part 5 and Part 6, note j): its first 9
// in the number field, '<' in the check digit position, the rest in the optional data followed
// by the check digit and a filler.
struct ExtendedNumber {
  std::string principal;            // the first 9 characters
  std::string rest;                 // the characters continued in the optional data
  Span check;                       // where its check digit is printed
  std::string_view optional_after;  // the optional data after the check digit and its filler
};

// The extended number of `lines`, or nullopt when the number is not extended: the format is
// not TD1 or TD2, the check digit position is not '<', the number field ends in a filler (a
// short number cannot continue), or nothing but the digit position is left in the optional data.
std::optional<ExtendedNumber> FindExtendedNumber(Format format, const Layout& layout,
                                                 const std::vector<std::string>& lines);

}  // namespace ncbnet::mrz::internal
