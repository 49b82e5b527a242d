// Where each field sits in each format (Doc 9303 Part 4 for TD3, Part 5 TD1, Part 6 TD2,
// Part 7 MRV-A and MRV-B), and the reading of a Document from located lines.
#include "mrz/mrz.h"

#include <algorithm>

#include "mrz/internal/fields.h"
#include "mrz/internal/structure.h"

namespace ncbnet::mrz {

namespace {

using internal::FieldReader;
using internal::Span;
using internal::StripFillers;

struct Layout {
  Span code, state, name, number, number_check, nationality, birth, birth_check, sex, expiry,
      expiry_check;
  std::optional<Span> personal, personal_check, optional, optional2, composite;
  std::vector<Span> composite_parts;  // the data the composite check digit covers, in order
};

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

// Doc 9303 Part 5 (TD1), on the document number: a TD1 document number longer than 9 characters has
// its first 9 in the number field, '<' in the check digit position, and the rest in the optional
// data, followed by the check digit over the whole number and a filler.
bool ReadExtendedNumber(FieldReader& r, const Layout& l, Document& doc) {
  const std::string_view number = r.At(l.number);
  const std::string_view optional = r.At(*l.optional);
  if (r.CharAt(l.number_check) != '<' || number.back() == '<') return false;
  const std::size_t end = std::min(optional.find('<'), optional.size());
  if (end == 0) return false;  // no continuation: the check digit is simply missing
  const std::string whole = std::string(number) + std::string(optional.substr(0, end - 1));
  doc.extended_document_number = true;
  doc.document_number = r.ReadDocumentNumber(whole, l.number);
  r.CheckDigit("document_number", whole,
               {l.optional->line, l.optional->column + static_cast<int>(end) - 1, 1});
  doc.optional_data =
      std::string(StripFillers(optional.substr(std::min(end + 1, optional.size()))));
  return true;
}

void ReadNumberAndOptional(FieldReader& r, const Layout& l, Document& doc) {
  if (doc.format == Format::kTd1 && ReadExtendedNumber(r, l, doc)) return;
  doc.document_number = r.ReadDocumentNumber(r.At(l.number), l.number);
  r.CheckDigit("document_number", r.At(l.number), l.number_check);
  if (l.optional) doc.optional_data = std::string(StripFillers(r.At(*l.optional)));
}

void ReadChecked(FieldReader& r, const Layout& l, Document& doc) {
  if (l.optional2) doc.optional_data_2 = std::string(StripFillers(r.At(*l.optional2)));
  if (l.personal) {
    const std::string_view personal = r.At(*l.personal);
    doc.personal_number = std::string(StripFillers(personal));
    // Doc 9303 Part 4, 4.2.2.2: an unused personal number may have '<' as its check digit.
    r.CheckDigit("personal_number", personal, *l.personal_check, doc.personal_number.empty());
  }
  if (l.composite) {
    std::string data;
    for (const Span& part : l.composite_parts) data += r.At(part);
    r.CheckDigit("composite", data, *l.composite);
  }
}

Document ReadDocument(internal::Lines lines, std::chrono::sys_days today,
                      std::vector<Problem>& problems) {
  const std::chrono::year_month_day ymd(today);
  Document doc;
  doc.format = lines.format;
  doc.lines = std::move(lines.lines);
  FieldReader r(doc.lines, problems);
  const Layout l = LayoutOf(doc.format);
  doc.document_code = r.ReadDocumentCode(l.code);
  doc.issuing_state = r.ReadCountry("issuing_state", l.state);
  ReadNumberAndOptional(r, l, doc);
  doc.birth_date = r.ReadDate("birth_date", l.birth, ymd, /*is_birth=*/true);
  r.CheckDigit("birth_date", r.At(l.birth), l.birth_check);
  doc.sex = r.ReadSex(l.sex);
  doc.expiry_date = r.ReadDate("expiry_date", l.expiry, ymd, /*is_birth=*/false);
  r.CheckDigit("expiry_date", r.At(l.expiry), l.expiry_check);
  doc.nationality = r.ReadCountry("nationality", l.nationality);
  ReadChecked(r, l, doc);
  doc.name = r.ReadName(l.name);
  return doc;
}

}  // namespace

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kTd1:
      return "TD1";
    case Format::kTd2:
      return "TD2";
    case Format::kTd3:
      return "TD3";
    case Format::kMrvA:
      return "MRV-A";
    case Format::kMrvB:
      break;
  }
  return "MRV-B";
}

std::string Document::ToString() const {
  std::string out;
  for (const std::string& line : lines) out += (out.empty() ? "" : "\n") + line;
  return out;
}

Verdict Read(std::string_view text, std::chrono::sys_days today) {
  Verdict verdict;
  std::optional<internal::Lines> lines = internal::SplitLines(text, verdict.problems);
  if (!lines) return verdict;
  verdict.document = ReadDocument(std::move(*lines), today, verdict.problems);
  std::stable_sort(verdict.problems.begin(), verdict.problems.end(),
                   [](const Problem& a, const Problem& b) {
                     return a.line != b.line ? a.line < b.line : a.column < b.column;
                   });
  return verdict;
}

Result<Document> Parse(std::string_view text, std::chrono::sys_days today) {
  Verdict verdict = Read(text, today);
  if (verdict.valid()) return std::move(*verdict.document);
  const Problem& first = verdict.problems.front();
  return Status::InvalidArgument(first.code, first.message);
}

}  // namespace ncbnet::mrz
