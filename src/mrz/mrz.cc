// The reading of a Document from located lines (the layouts are in internal/layout.cc), and the
// OCR confusions: refused, and on request offered corrected.
#include "mrz/mrz.h"

#include <algorithm>

#include "mrz/internal/fields.h"
#include "mrz/internal/layout.h"
#include "mrz/internal/ocr.h"
#include "mrz/internal/structure.h"

namespace ncbnet::mrz {

namespace {

using internal::ComputeCheckDigit;
using internal::FieldReader;
using internal::Layout;
using internal::Span;
using internal::StripFillers;

// Doc 9303 Part 5 (TD1) and Part 6 (TD2), note j: the check digit of an extended number covers
// the whole number. Some issuers count the '<' after the first 9 characters as well; the variant
// the digit matches is reported. When neither does, the problem gives the Doc 9303 digit.
bool ReadExtendedNumber(FieldReader& r, const Layout& l, Document& doc) {
  const std::optional<internal::ExtendedNumber> ext =
      internal::FindExtendedNumber(doc.format, l, doc.lines);
  if (!ext) return false;
  const std::string whole = ext->principal + ext->rest;
  const std::string with_filler = ext->principal + "<" + ext->rest;
  doc.extended_document_number = true;
  doc.document_number = r.ReadDocumentNumber(whole, l.number);
  doc.optional_data = std::string(StripFillers(ext->optional_after));
  const char printed = r.CharAt(ext->check);
  if (printed != ComputeCheckDigit(whole) && printed == ComputeCheckDigit(with_filler)) {
    doc.document_number_check = DocumentNumberCheck::kWithFiller;
    return true;
  }
  r.CheckDigit("document_number", whole, ext->check, false,
               std::string(" (or '") + ComputeCheckDigit(with_filler) +
                   "' counting the '<' after " + "the first 9 characters, as some issuers do)");
  return true;
}

void ReadNumberAndOptional(FieldReader& r, const Layout& l, Document& doc) {
  if (ReadExtendedNumber(r, l, doc)) return;
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

// The fields of `lines`; problems and warnings appended.
Document ReadDocument(internal::Lines lines, std::chrono::sys_days today,
                      std::vector<Problem>& problems, std::vector<Problem>& warnings) {
  const std::chrono::year_month_day ymd(today);
  Document doc;
  doc.format = lines.format;
  doc.lines = std::move(lines.lines);
  FieldReader r(doc.lines, problems, warnings);
  const Layout l = internal::LayoutOf(doc.format);
  doc.document_code = r.ReadDocumentCode(l.code);
  doc.issuing_state = r.ReadCountry("issuing_state", l.state);
  ReadNumberAndOptional(r, l, doc);
  doc.birth_date = r.ReadDate("birth_date", l.birth, ymd, /*is_birth=*/true);
  r.CheckDigit("birth_date", r.At(l.birth), l.birth_check);
  doc.sex = r.ReadSex(l.sex);
  doc.expiry_date = r.ReadDate("expiry_date", l.expiry, ymd, /*is_birth=*/false);
  r.CheckDigit("expiry_date", r.At(l.expiry), l.expiry_check);
  // An unknown but well-formed nationality is accepted with a warning (docs/mrz.md, Countries):
  // it is what the document says, and refusing it would refuse the traveller, not the document.
  doc.nationality = r.ReadCountry("nationality", l.nationality, /*unknown_is_warning=*/true);
  ReadChecked(r, l, doc);
  doc.name = r.ReadName(l.name);
  return doc;
}

void SortByPosition(std::vector<Problem>& problems) {
  std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
}

bool SamePlace(const Problem& a, const Problem& b) {
  return a.code == b.code && a.field == b.field && a.line == b.line && a.column == b.column;
}

Problem ConfusionProblem(const Correction& c) {
  const bool digits = c.corrected >= '0' && c.corrected <= '9';
  std::string field = c.field;
  std::replace(field.begin(), field.end(), '_', ' ');
  return {"mrz_ocr_confusion",
          "line " + std::to_string(c.line) + ", column " + std::to_string(c.column) + ": the " +
              field + " holds '" + std::string(1, c.found) + "' where only " +
              (digits ? "digits" : "letters") + " may be; it is likely a misread '" +
              std::string(1, c.corrected) + "'",
          c.field,
          c.line,
          c.column,
          std::string(1, c.corrected),
          std::string(1, c.found)};
}

// The problems of the MRZ as printed, each confusion one mrz_ocr_confusion; a problem that the
// corrected reading no longer has is the confusion's doing and is left out.
void ReportConfusions(std::vector<Problem>& problems, const CorrectedReading& corrected) {
  std::erase_if(problems, [&](const Problem& p) {
    return std::none_of(corrected.problems.begin(), corrected.problems.end(),
                        [&](const Problem& q) { return SamePlace(p, q); });
  });
  std::vector<Problem> confusions;
  for (const Correction& c : corrected.corrections) confusions.push_back(ConfusionProblem(c));
  // First, so that at one position the confusion comes before what it leaves wrong.
  problems.insert(problems.begin(), confusions.begin(), confusions.end());
}

CorrectedReading ReadCorrected(const internal::Lines& lines, std::vector<Correction> corrections,
                               std::chrono::sys_days today) {
  CorrectedReading out;
  internal::Lines fixed{lines.format, internal::ApplyCorrections(lines.lines, corrections)};
  out.document = ReadDocument(std::move(fixed), today, out.problems, out.warnings);
  out.corrections = std::move(corrections);
  SortByPosition(out.problems);
  SortByPosition(out.warnings);
  return out;
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

std::string_view DocumentNumberCheckName(DocumentNumberCheck check) {
  return check == DocumentNumberCheck::kWithFiller ? "with_filler" : "doc9303";
}

std::string Document::ToString() const {
  std::string out;
  for (const std::string& line : lines) out += (out.empty() ? "" : "\n") + line;
  return out;
}

Verdict Read(std::string_view text, std::chrono::sys_days today, ReadOptions options) {
  Verdict verdict;
  std::optional<internal::Lines> lines = internal::SplitLines(text, verdict.problems);
  if (!lines) return verdict;
  std::vector<Correction> corrections = internal::FindConfusions(lines->format, lines->lines);
  std::optional<CorrectedReading> corrected;
  if (!corrections.empty()) corrected = ReadCorrected(*lines, std::move(corrections), today);
  verdict.document = ReadDocument(std::move(*lines), today, verdict.problems, verdict.warnings);
  if (corrected) {
    ReportConfusions(verdict.problems, *corrected);
    if (options.offer_correction) verdict.corrected = std::move(corrected);
  }
  SortByPosition(verdict.problems);
  SortByPosition(verdict.warnings);
  return verdict;
}

Result<Document> Parse(std::string_view text, std::chrono::sys_days today) {
  Verdict verdict = Read(text, today);
  if (verdict.valid()) return std::move(*verdict.document);
  const Problem& first = verdict.problems.front();
  return Status::InvalidArgument(first.code, first.message);
}

}  // namespace ncbnet::mrz
