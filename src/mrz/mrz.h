// ICAO Doc 9303 machine readable zones (MRZ): TD1 (3x30), TD2 (2x36), TD3 passports (2x44),
// MRV-A (2x44) and MRV-B (2x36) visas. Read() locates every field, verifies every check digit
// and says precisely what is wrong; the border check (api/) and `ncbnet mrz parse` share it and
// its JSON view. docs/mrz.md lists the formats, every error code and the century rule.
//
// Two kinds of failure:
//  - structural (input too large or empty, characters outside A-Z 0-9 <, wrong line count or
//    length, unknown document type): the fields cannot be located, so the Verdict has no
//    Document, only the problems;
//  - field errors (a check digit, a date, the sex, a country code, a name): the Verdict has the
//    Document with every field as read AND the list of problems; it is not valid().
//
// Input tolerance: surrounding whitespace, CR/LF or LF line ends, spaces or tabs around each
// line and lower-case letters are accepted. Nothing else is corrected (no O -> 0, no inserted
// fillers): an MRZ that needs guessing is reported, not repaired. A letter in a field of digits
// or a digit in a field of letters that OCR is known to confuse ('O' for '0', '8' for 'B'...) is
// mrz_ocr_confusion; on request (ReadOptions) the Verdict also offers the corrected reading,
// with each correction listed, for a person to confirm. It never makes the Verdict valid.
//
// Warnings: what is accepted but worth saying (a nationality code that is neither ISO 3166 nor
// ICAO's) is a warning, not a problem; a Verdict with warnings only is valid.
//
// Thread safety: pure functions over values; call concurrently.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/status.h"

namespace ncbnet::mrz {

// Inputs longer than this are refused ("mrz_too_large") before anything else is looked at. The
// longest MRZ (TD3, 2x44) with CR/LF and generous whitespace fits easily.
inline constexpr std::size_t kMaxInputBytes = 256;

enum class Format { kTd1, kTd2, kTd3, kMrvA, kMrvB };

// "TD1", "TD2", "TD3", "MRV-A", "MRV-B".
std::string_view FormatName(Format format);

// What a three-letter (or shorter, "D") code of the MRZ stands for.
enum class CountryKind {
  kIso3166,       // an ISO 3166-1 alpha-3 code ("FRA")
  kIcaoNational,  // a state's ICAO code outside ISO 3166: "D" (Germany), "GBD".."GBS" (UK)
  kOrganization,  // an issuing organisation: "UNO", "UNA", "UNK", "EUE", "XPO", "XCC", ...
  kStateless,     // "XXA": stateless person (1954 Convention)
  kRefugee,       // "XXB" (1951 Convention refugee), "XXC" (other refugee)
  kUnspecified,   // "XXX": person of unspecified nationality
  kSpecimen,      // "UTO": Utopia, the fictitious state of Doc 9303's specimens
  kUnknown,       // none of the above (reported as "mrz_unknown_country")
};

// "iso3166", "icao_national", "organization", "stateless", "refugee", "unspecified",
// "specimen", "unknown".
std::string_view CountryKindName(CountryKind kind);

struct Country {
  std::string code;  // as printed, trailing fillers removed: "UTO", "D", "XXA"
  CountryKind kind = CountryKind::kUnknown;
  std::string name;  // English name or meaning; empty when kUnknown
  // The ISO 3166-1 alpha-3 country that checks against national data should use: the code
  // itself for kIso3166, "DEU" for "D", "GBR" for "GBD".."GBS"; empty for organisations,
  // stateless, refugees, unspecified, specimens and unknown codes.
  std::string iso_country;
};

// Meaning of an issuing state or nationality code as printed in the MRZ (trailing '<' fillers
// allowed: "D<<"). Never fails; an unrecognised code comes back as kUnknown.
Country LookupCountry(std::string_view code);

// A YYMMDD date of the MRZ whose parts may be unknown: each of YY, MM and DD may be "<<" or
// "XX" in a date of birth (Doc 9303 Part 3). The century is resolved against `today`:
//  - date of birth: the latest year ending in YY that is not after today (the date, or the
//    known part of it, is never in the future); a person over 99 gets the wrong century;
//  - date of expiry: the year ending in YY in [today's year - 80, today's year + 19].
struct PartialDate {
  std::string raw;           // the six characters as printed: "740812", "7408XX", "<<<<<<"
  std::optional<int> year;   // four digits; absent when YY is unknown
  std::optional<int> month;  // 1..12; absent when unknown
  std::optional<int> day;    // 1..31; absent when unknown
  // "1974-08-12", "1974-08", "1974", or "" when the year is unknown. When the year is unknown
  // but month or day are known, only `month`/`day` carry them.
  std::string ToIso() const;
};

struct Name {
  // Surname(s): "ERIKSSON"; '<' between components becomes ' '. Empty when the name begins with
  // "<<": a person with one name only, which some issuers print as a secondary identifier.
  std::string primary;
  std::string secondary;  // given names: "ANNA MARIA"; empty when there are none
  // The name field ends in a letter, not a filler: the name may have been truncated to fit
  // (Doc 9303 Part 3, 4.6).
  bool truncated = false;
};

// The data an extended document number's check digit covers. Doc 9303 (Part 5 and Part 6,
// note j) says the whole number; some issuers (Belgian and Portuguese identity cards among
// them) include the '<' that ends the number's first 9 characters. Both are accepted; a number
// that is not extended is always kDoc9303.
enum class DocumentNumberCheck {
  kDoc9303,     // "doc9303": the number's characters only
  kWithFiller,  // "with_filler": the first 9 characters, '<', the rest
};

// "doc9303", "with_filler".
std::string_view DocumentNumberCheckName(DocumentNumberCheck check);

struct Document {
  Format format = Format::kTd3;
  std::vector<std::string> lines;  // the MRZ as read: upper case, without whitespace
  std::string document_code;       // "P", "PD", "I", "ID", "AC", "V" (trailing '<' removed)
  Country issuing_state;
  Name name;
  // Fillers removed. In TD1 and TD2 a number longer than 9 characters continues in the optional
  // data (check digit position '<'); this is the whole number.
  std::string document_number;
  bool extended_document_number = false;  // TD1, TD2: the number continued in optional data
  // What the number's check digit was found to cover (see DocumentNumberCheck).
  DocumentNumberCheck document_number_check = DocumentNumberCheck::kDoc9303;
  Country nationality;
  PartialDate birth_date;
  char sex = '<';  // 'M', 'F', 'X' or '<' (unspecified), as printed
  // "<<<<<<" (with check digit 0) is a document without an expiry date: no year, month or day.
  PartialDate expiry_date;
  std::string personal_number;  // TD3 only, trailing fillers removed
  // TD1 line 1 after any extended document number, TD2, MRV-A, MRV-B; trailing fillers removed.
  std::string optional_data;
  std::string optional_data_2;  // TD1 line 2 only

  // The lines joined by '\n', without a final newline: Read(ToString()) reads the same MRZ.
  std::string ToString() const;
};

// One thing wrong with an MRZ. `code` is stable (docs/mrz.md lists them all):
//   mrz_too_large, mrz_empty, mrz_bad_character, mrz_line_count, mrz_line_length,
//   mrz_unknown_format                                       (structural: no Document)
//   mrz_check_digit, mrz_bad_date, mrz_bad_sex, mrz_unknown_country, mrz_bad_name,
//   mrz_bad_document_code, mrz_bad_document_number, mrz_ocr_confusion   (field errors)
// and, as a warning, mrz_unknown_country for a nationality.
struct Problem {
  std::string code;
  std::string message;  // one English sentence saying exactly what and where
  // What it concerns, when that applies: "document_number", "birth_date", "expiry_date",
  // "personal_number", "composite", "sex", "issuing_state", "nationality", "name",
  // "document_code" (also for mrz_unknown_format); empty otherwise.
  std::string field;
  int line = 0;  // 1-based; 0 when the problem has no line (empty, too large, line count)
  // 1-based: the character concerned, or where the field starts; 0 when the problem concerns
  // a whole line or the whole input.
  int column = 0;
  // For mrz_check_digit the digit the data gives and the character printed; for mrz_line_length
  // the length(s) wanted ("30", "36 or 44") and found; for mrz_line_count "2 or 3" and the
  // count; for mrz_bad_character the character as printed, control and non-ASCII bytes escaped
  // ("\x07", "\xc3") in `found`. Empty when not meaningful.
  std::string expected;
  std::string found;
};

// One character of the wrong kind for its field that OCR is known to confuse with one of the
// right kind: `found` as printed, `corrected` what it most likely is (docs/mrz.md, "OCR
// confusions").
struct Correction {
  std::string field;  // as in Problem: "birth_date", "nationality", "name", "composite"...
  int line = 0;       // 1-based
  int column = 0;     // 1-based
  char found = '<';
  char corrected = '<';
};

// The MRZ read again with every Correction applied: offered to a person, never applied by us.
struct CorrectedReading {
  std::vector<Correction> corrections;  // in order of position; never empty
  Document document;                    // the corrected lines and their fields
  std::vector<Problem> problems;        // what is still wrong after the corrections
  std::vector<Problem> warnings;

  bool valid() const { return problems.empty(); }
};

struct Verdict {
  std::optional<Document> document;  // absent after a structural problem
  std::vector<Problem> problems;     // in order of position; empty when valid
  std::vector<Problem> warnings;     // in order of position; never make the Verdict invalid
  // Only when ReadOptions::offer_correction was set and an OCR confusion was found.
  std::optional<CorrectedReading> corrected;

  bool valid() const { return document.has_value() && problems.empty(); }
};

struct ReadOptions {
  // With an OCR confusion, also read the MRZ as corrected (Verdict::corrected).
  bool offer_correction = false;
};

// Reads an MRZ as a document reader sends it. Never fails: what is wrong is in the Verdict.
// `today` resolves the century of two-digit years (see PartialDate). An MRZ with OCR confusions
// has one mrz_ocr_confusion problem per confused character; the problems the corrections would
// resolve (the check digits or the composite that the confused character breaks, a digit in a
// name) are left out, and those that remain after correction are listed.
Verdict Read(std::string_view text, std::chrono::sys_days today, ReadOptions options = {});

// A valid Document, or kInvalidArgument whose reason is the code of the first problem and whose
// message is that problem's message.
Result<Document> Parse(std::string_view text, std::chrono::sys_days today);

// The JSON view shared by the CLI and the API (docs/mrz.md, "JSON"):
//   {"valid": bool, "format": "TD3" (absent after a structural problem),
//    "problems": [{"code", "message", "field"?, "line"?, "column"?, "expected"?, "found"?}],
//    "warnings": [same shape as problems],
//    "fields": {...every field of Document...} (absent after a structural problem),
//    "lines": [...],
//    "corrected": {"corrections": [{"field", "line", "column", "found", "corrected"}],
//                  "valid", "format", "fields", "lines", "problems", "warnings"}
//                 (only with Verdict::corrected)}
nlohmann::json ToJson(const Verdict& verdict);

}  // namespace ncbnet::mrz
