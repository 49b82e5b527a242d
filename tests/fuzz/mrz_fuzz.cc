// Any bytes may arrive from a document reader: mrz::Read must return a verdict, never crash, and
// the verdict must hold together: valid exactly when there is a document and no problem;
// structural problems only without a document, field problems only with one; every problem's
// position inside the MRZ; a document's lines only A-Z 0-9 <, reading them again giving the same
// fields and problems; the JSON view always serialisable. An offered correction changes exactly
// the characters it lists, each an OCR confusion reported as a problem, and leaves none behind.
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/check.h"
#include "mrz/mrz.h"

namespace {

using namespace ncbnet::mrz;

const std::set<std::string_view> kStructural = {"mrz_too_large",     "mrz_empty",
                                                "mrz_bad_character", "mrz_line_count",
                                                "mrz_line_length",   "mrz_unknown_format"};
const std::set<std::string_view> kField = {
    "mrz_check_digit",         "mrz_bad_date",     "mrz_bad_sex",
    "mrz_unknown_country",     "mrz_bad_name",     "mrz_bad_document_code",
    "mrz_bad_document_number", "mrz_ocr_confusion"};

void CheckDocument(const Verdict& v) {
  const Document& doc = *v.document;
  NCBNET_CHECK(doc.lines.size() == 2 || doc.lines.size() == 3, "2 or 3 lines");
  for (const std::string& line : doc.lines) {
    NCBNET_CHECK(line.size() == doc.lines[0].size(), "lines of one width");
    for (char c : line) {
      NCBNET_CHECK((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<', "MRZ chars");
    }
  }
  for (const Problem& w : v.warnings) {
    NCBNET_CHECK(w.code == "mrz_unknown_country" && w.field == "nationality", "known warnings");
  }
  for (const Problem& p : v.problems) {
    NCBNET_CHECK(kField.count(p.code) == 1, "only field problems with a document");
    NCBNET_CHECK(p.line >= 1 && p.line <= static_cast<int>(doc.lines.size()), "problem line");
    NCBNET_CHECK(p.column >= 1 && p.column <= static_cast<int>(doc.lines[0].size()),
                 "problem column");
    NCBNET_CHECK(!p.field.empty() && !p.message.empty(), "field problems say what and where");
  }
  for (const PartialDate* d : {&doc.birth_date, &doc.expiry_date}) {
    NCBNET_CHECK(d->raw.size() == 6, "dates are six characters");
    NCBNET_CHECK(!d->month || (*d->month >= 1 && *d->month <= 12), "month 1..12");
    NCBNET_CHECK(!d->day || (*d->day >= 1 && *d->day <= 31), "day 1..31");
    NCBNET_CHECK(!d->year || (*d->year >= 1900 && *d->year <= 2100), "year near today");
  }
}

std::size_t CountCode(const std::vector<Problem>& problems, std::string_view code) {
  std::size_t n = 0;
  for (const Problem& p : problems) n += p.code == code ? 1 : 0;
  return n;
}

void CheckCorrection(const Verdict& v, const Verdict& offered) {
  NCBNET_CHECK(ToJson(offered).dump().size() > 0, "JSON view with a correction");
  const std::size_t confusions = CountCode(v.problems, "mrz_ocr_confusion");
  NCBNET_CHECK(offered.corrected.has_value() == (confusions > 0), "offered only with confusions");
  if (!offered.corrected) return;
  const CorrectedReading& c = *offered.corrected;
  NCBNET_CHECK(c.corrections.size() == confusions, "one correction per confusion");
  NCBNET_CHECK(CountCode(c.problems, "mrz_ocr_confusion") == 0, "nothing left to correct");
  std::size_t changed = 0;
  for (std::size_t l = 0; l < c.document.lines.size(); ++l) {
    for (std::size_t k = 0; k < c.document.lines[l].size(); ++k) {
      changed += c.document.lines[l][k] != v.document->lines[l][k] ? 1 : 0;
    }
  }
  NCBNET_CHECK(changed == c.corrections.size(), "exactly the listed characters change");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto today = std::chrono::sys_days(std::chrono::year(2026) / 11 / 28);
  const Verdict v = Read(text, today);
  NCBNET_CHECK(v.valid() == (v.document.has_value() && v.problems.empty()), "valid()");
  NCBNET_CHECK(v.document.has_value() || !v.problems.empty(), "no document means a problem");
  NCBNET_CHECK(Parse(text, today).ok() == v.valid(), "Parse agrees with Read");
  const std::string dumped = ToJson(v).dump();  // throws (and aborts) on invalid UTF-8
  NCBNET_CHECK(!dumped.empty(), "JSON view");
  if (!v.document) {
    for (const Problem& p : v.problems) {
      NCBNET_CHECK(kStructural.count(p.code) == 1, "only structural problems without document");
    }
    return 0;
  }
  CheckDocument(v);
  CheckCorrection(v, Read(text, today, {.offer_correction = true}));
  const Verdict again = Read(v.document->ToString(), today);
  NCBNET_CHECK(again.document.has_value(), "a document's MRZ reads again");
  NCBNET_CHECK(ToJson(again) == ToJson(v), "reading again gives the same verdict");
  return 0;
}
