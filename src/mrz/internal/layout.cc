#include "mrz/internal/layout.h"

#include <algorithm>

namespace ncbnet::mrz::internal {

namespace {

Layout Td1Layout() {
  Layout l;
  l.code = {0, 0, 2};
  l.state = {0, 2, 3};
  l.name = {2, 0, 30};
  l.number = {0, 5, 9};
  l.number_check = {0, 14, 1};
  l.nationality = {1, 15, 3};
  l.birth = {1, 0, 6};
  l.birth_check = {1, 6, 1};
  l.sex = {1, 7, 1};
  l.expiry = {1, 8, 6};
  l.expiry_check = {1, 14, 1};
  l.optional = Span{0, 15, 15};
  l.optional2 = Span{1, 18, 11};
  l.composite = Span{1, 29, 1};
  l.composite_parts = {{0, 5, 25}, {1, 0, 7}, {1, 8, 7}, {1, 18, 11}};
  return l;
}

// TD2, TD3, MRV-A and MRV-B share line 1 and the first 28 characters of line 2.
Layout TwoLineLayout(Format format, int width) {
  Layout l;
  l.code = {0, 0, 2};
  l.state = {0, 2, 3};
  l.name = {0, 5, width - 5};
  l.number = {1, 0, 9};
  l.number_check = {1, 9, 1};
  l.nationality = {1, 10, 3};
  l.birth = {1, 13, 6};
  l.birth_check = {1, 19, 1};
  l.sex = {1, 20, 1};
  l.expiry = {1, 21, 6};
  l.expiry_check = {1, 27, 1};
  if (format == Format::kTd3) {
    l.personal = Span{1, 28, 14};
    l.personal_check = Span{1, 42, 1};
    l.composite = Span{1, 43, 1};
    l.composite_parts = {{1, 0, 10}, {1, 13, 7}, {1, 21, 22}};
  } else if (format == Format::kTd2) {
    l.optional = Span{1, 28, 7};
    l.composite = Span{1, 35, 1};
    l.composite_parts = {{1, 0, 10}, {1, 13, 7}, {1, 21, 14}};
  } else {
    l.optional = Span{1, 28, width - 28};  // MRV: no composite check digit
  }
  return l;
}

}  // namespace

Layout LayoutOf(Format format) {
  switch (format) {
    case Format::kTd1:
      return Td1Layout();
    case Format::kTd2:
    case Format::kMrvB:
      return TwoLineLayout(format, 36);
    case Format::kTd3:
    case Format::kMrvA:
      break;
  }
  return TwoLineLayout(format, 44);
}

std::optional<ExtendedNumber> FindExtendedNumber(Format format, const Layout& layout,
                                                 const std::vector<std::string>& lines) {
  if (format != Format::kTd1 && format != Format::kTd2) return std::nullopt;
  const std::string_view number = SpanOf(lines, layout.number);
  const std::string_view optional = SpanOf(lines, *layout.optional);
  if (SpanOf(lines, layout.number_check) != "<" || number.back() == '<') return std::nullopt;
  const std::size_t end = std::min(optional.find('<'), optional.size());
  if (end == 0) return std::nullopt;  // no continuation: the check digit is simply missing
  return ExtendedNumber{
      .principal = std::string(number),
      .rest = std::string(optional.substr(0, end - 1)),
      .check = {layout.optional->line, layout.optional->column + static_cast<int>(end) - 1, 1},
      .optional_after = optional.substr(std::min(end + 1, optional.size()))};
}

}  // namespace ncbnet::mrz::internal
