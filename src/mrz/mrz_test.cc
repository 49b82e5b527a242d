// Every format with the ICAO Doc 9303 specimens, good and bad check digits, composites, fillers
// where they are allowed and where not, and TD1 extended document numbers.
#include "mrz/mrz.h"

#include <gtest/gtest.h>

#include "mrz/mrz_test_util.h"

namespace ncbnet::mrz {
namespace {

using testutil::kTd1Specimen;
using testutil::kTd2Specimen;
using testutil::kTd3Specimen;
using testutil::Td1;
using testutil::Td3;
using testutil::Today;
using testutil::TwoLine;

// Doc 9303 Part 7 (MRV-A, MRV-B) specimens; TD1, TD2 and TD3 are in mrz_test_util.h.
constexpr const char* kMrvASpecimen =
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L8988901C4XXX4009078F96121096ZE184226B<<<<<<";
constexpr const char* kMrvBSpecimen =
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
    "L8988901C4XXX4009078F9612109<<<<<<<<";

// `text` with the character at (line, column), both 1-based, replaced by `c`.
std::string Replace(std::string text, int line, int column, char c) {
  std::size_t pos = 0;
  for (int l = 1; l < line; ++l) pos = text.find('\n', pos) + 1;
  text[pos + static_cast<std::size_t>(column - 1)] = c;
  return text;
}

// The first problem of `text` is a check-digit mismatch at (line, column) on `field`; the only
// other one, with `composite_too`, is the composite's (which covers the digits it protects).
void ExpectCheckDigit(const std::string& text, int line, int column, std::string_view field,
                      std::string_view expected, std::string_view found,
                      bool composite_too = true) {
  const Verdict v = Read(text, Today());
  ASSERT_TRUE(v.document.has_value()) << text;
  ASSERT_EQ(v.problems.size(), composite_too ? 2U : 1U) << text;
  if (composite_too) {
    EXPECT_EQ(v.problems[1].field, "composite");
  }
  const Problem& p = v.problems[0];
  EXPECT_EQ(p.code, "mrz_check_digit");
  EXPECT_EQ(p.field, field);
  EXPECT_EQ(p.line, line);
  EXPECT_EQ(p.column, column);
  EXPECT_EQ(p.expected, expected);
  EXPECT_EQ(p.found, found);
  EXPECT_FALSE(v.valid());
}

TEST(MrzTd3, ReadsTheSpecimen) {
  const Verdict v = Read(kTd3Specimen, Today());
  ASSERT_TRUE(v.valid()) << (v.problems.empty() ? "" : v.problems[0].message);
  const Document& d = *v.document;
  EXPECT_EQ(d.format, Format::kTd3);
  EXPECT_EQ(d.document_code, "P");
  EXPECT_EQ(d.issuing_state.code, "UTO");
  EXPECT_EQ(d.issuing_state.kind, CountryKind::kSpecimen);
  EXPECT_EQ(d.name.primary, "ERIKSSON");
  EXPECT_EQ(d.name.secondary, "ANNA MARIA");
  EXPECT_FALSE(d.name.truncated);
  EXPECT_EQ(d.document_number, "L898902C3");
  EXPECT_EQ(d.birth_date.ToIso(), "1974-08-12");
  EXPECT_EQ(d.sex, 'F');
  EXPECT_EQ(d.expiry_date.ToIso(), "2012-04-15");
  EXPECT_EQ(d.personal_number, "ZE184226B");
  EXPECT_EQ(d.ToString(), kTd3Specimen);
}

TEST(MrzTd3, ReportsEachWrongCheckDigit) {
  ExpectCheckDigit(Replace(kTd3Specimen, 2, 10, '5'), 2, 10, "document_number", "6", "5");
  ExpectCheckDigit(Replace(kTd3Specimen, 2, 20, '3'), 2, 20, "birth_date", "2", "3");
  ExpectCheckDigit(Replace(kTd3Specimen, 2, 28, '0'), 2, 28, "expiry_date", "9", "0");
  ExpectCheckDigit(Replace(kTd3Specimen, 2, 43, '2'), 2, 43, "personal_number", "1", "2");
  ExpectCheckDigit(Replace(kTd3Specimen, 2, 44, '9'), 2, 44, "composite", "0", "9", false);
}

TEST(MrzTd3, ChangedDataFailsItsDigitAndTheComposite) {
  // 740812 -> 740813: the birth date's own digit and the composite both disagree.
  const Verdict v = Read(Replace(kTd3Specimen, 2, 19, '3'), Today());
  ASSERT_EQ(v.problems.size(), 2U);
  EXPECT_EQ(v.problems[0].field, "birth_date");
  EXPECT_EQ(v.problems[1].field, "composite");
  EXPECT_EQ(v.document->birth_date.ToIso(), "1974-08-13");  // the fields are still all there
}

TEST(MrzTd3, CompositeAloneCatchesSwappedCheckedFields) {
  // A composite failure with every field digit right: the personal number digit is recomputed
  // by the builder, then the composite is broken by hand.
  Td3 td3;
  td3.personal = "";
  std::string text = td3.Build();
  const char composite = text.back();
  text.back() = composite == '9' ? '0' : static_cast<char>(composite + 1);
  ExpectCheckDigit(text, 2, 44, "composite", std::string(1, composite), std::string(1, text.back()),
                   false);
}

TEST(MrzTd3, AcceptsFillerCheckDigitOnlyForAnEmptyPersonalNumber) {
  Td3 td3;
  td3.personal = "";
  const std::string with_zero = td3.Build();
  ASSERT_EQ(with_zero.substr(with_zero.size() - 2, 1), "0");
  EXPECT_TRUE(Read(with_zero, Today()).valid());
  // '<' counts 0 in the composite, as the digit 0 did.
  EXPECT_TRUE(Read(Replace(with_zero, 2, 43, '<'), Today()).valid());
  // A personal number that is present needs its digit.
  ExpectCheckDigit(Replace(kTd3Specimen, 2, 43, '<'), 2, 43, "personal_number", "1", "<");
}

TEST(MrzTd3, RefusesFillerCheckDigitsElsewhere) {
  const Verdict v = Read(Replace(kTd3Specimen, 2, 10, '<'), Today());
  ASSERT_FALSE(v.problems.empty());
  EXPECT_EQ(v.problems[0].code, "mrz_check_digit");
  EXPECT_EQ(v.problems[0].found, "<");
  EXPECT_NE(v.problems[0].message.find("filler is not allowed"), std::string::npos);
}

TEST(MrzTd3, ReadsBuiltPassports) {
  Td3 td3;
  td3.state = "D<<";
  td3.nationality = "D<<";
  td3.name = "MUSTERMANN<<ERIKA";
  td3.number = "C01X00T47";
  td3.birth = "640812";
  td3.expiry = "310630";
  td3.personal = "";
  const Verdict v = Read(td3.Build(), Today());
  ASSERT_TRUE(v.valid()) << v.problems[0].message;
  EXPECT_EQ(v.document->issuing_state.iso_country, "DEU");
  EXPECT_EQ(v.document->expiry_date.ToIso(), "2031-06-30");
  EXPECT_EQ(v.document->personal_number, "");
}

TEST(MrzTd1, ReadsTheSpecimen) {
  const Verdict v = Read(kTd1Specimen, Today());
  ASSERT_TRUE(v.valid()) << (v.problems.empty() ? "" : v.problems[0].message);
  const Document& d = *v.document;
  EXPECT_EQ(d.format, Format::kTd1);
  EXPECT_EQ(d.document_code, "I");
  EXPECT_EQ(d.document_number, "D23145890");
  EXPECT_FALSE(d.extended_document_number);
  EXPECT_EQ(d.name.primary, "ERIKSSON");
  EXPECT_EQ(d.name.secondary, "ANNA MARIA");
  EXPECT_EQ(d.nationality.code, "UTO");
  EXPECT_EQ(d.birth_date.ToIso(), "1974-08-12");
  EXPECT_EQ(d.expiry_date.ToIso(), "2012-04-15");
  EXPECT_EQ(d.optional_data, "");
  EXPECT_EQ(d.optional_data_2, "");
}

TEST(MrzTd1, ReportsEachWrongCheckDigit) {
  ExpectCheckDigit(Replace(kTd1Specimen, 1, 15, '8'), 1, 15, "document_number", "7", "8");
  ExpectCheckDigit(Replace(kTd1Specimen, 2, 7, '1'), 2, 7, "birth_date", "2", "1");
  ExpectCheckDigit(Replace(kTd1Specimen, 2, 15, '1'), 2, 15, "expiry_date", "9", "1");
  ExpectCheckDigit(Replace(kTd1Specimen, 2, 30, '7'), 2, 30, "composite", "6", "7", false);
}

TEST(MrzTd1, CompositeCoversBothOptionalFields) {
  Td1 td1;
  td1.optional = "ABC123";
  td1.optional2 = "XYZ";
  const std::string text = td1.Build();
  ASSERT_TRUE(Read(text, Today()).valid());
  EXPECT_EQ(Read(text, Today()).document->optional_data, "ABC123");
  EXPECT_EQ(Read(text, Today()).document->optional_data_2, "XYZ");
  // Optional data has no check digit of its own; only the composite notices a change.
  const char composite = text[60];
  const Verdict v = Read(Replace(text, 2, 19, 'Y'), Today());
  ASSERT_EQ(v.problems.size(), 1U);
  EXPECT_EQ(v.problems[0].field, "composite");
  EXPECT_EQ(v.problems[0].found, std::string(1, composite));
  EXPECT_EQ(Read(Replace(text, 1, 17, 'Z'), Today()).problems.at(0).field, "composite");
}

TEST(MrzTd1, ReadsExtendedDocumentNumbers) {
  Td1 td1;
  td1.number = "D23145890123";
  td1.optional = "XY";
  const std::string text = td1.Build();
  ASSERT_EQ(text.substr(0, 30), std::string("I<UTOD23145890<123") +
                                    testutil::TestCheckDigit("D23145890123") + "<XY<<<<<<<<");
  const Verdict v = Read(text, Today());
  ASSERT_TRUE(v.valid()) << v.problems[0].message;
  EXPECT_EQ(v.document->document_number, "D23145890123");
  EXPECT_TRUE(v.document->extended_document_number);
  EXPECT_EQ(v.document->optional_data, "XY");
}

TEST(MrzTd1, ReportsTheExtendedNumbersCheckDigitWhereItIs) {
  Td1 td1;
  td1.number = "D23145890123";
  const std::string text = td1.Build();
  const char digit = text[18];  // line 1, column 19
  const char wrong = digit == '9' ? '0' : static_cast<char>(digit + 1);
  // The composite covers the extension too, so it fails as well.
  const Verdict v = Read(Replace(text, 1, 19, wrong), Today());
  ASSERT_EQ(v.problems.size(), 2U);
  EXPECT_EQ(v.problems[0].field, "document_number");
  EXPECT_EQ(v.problems[0].column, 19);
  EXPECT_EQ(v.problems[0].expected, std::string(1, digit));
  EXPECT_EQ(v.problems[1].field, "composite");
}

TEST(MrzTd1, FillerCheckDigitWithoutAnExtensionIsAMissingDigit) {
  // '<' at column 15 and nothing in the optional data: not an extension.
  const Verdict v = Read(Replace(kTd1Specimen, 1, 15, '<'), Today());
  ASSERT_FALSE(v.problems.empty());
  EXPECT_EQ(v.problems[0].code, "mrz_check_digit");
  EXPECT_EQ(v.problems[0].column, 15);
  EXPECT_EQ(v.problems[0].found, "<");
  EXPECT_FALSE(v.document->extended_document_number);
}

TEST(MrzTd1, ShortNumberWithFillerCheckDigitIsNotAnExtension) {
  // A number of 8 characters cannot continue: the '<' stands where its digit belongs.
  Td1 td1;
  td1.number = "D2314589";
  td1.optional = "";
  std::string text = Replace(td1.Build(), 1, 15, '<');
  text = Replace(text, 1, 16, '1');
  const Verdict v = Read(text, Today());
  EXPECT_FALSE(v.document->extended_document_number);
  EXPECT_EQ(v.problems.at(0).field, "document_number");
  EXPECT_EQ(v.problems.at(0).column, 15);
}

TEST(MrzTd2, ReadsTheSpecimen) {
  const Verdict v = Read(kTd2Specimen, Today());
  ASSERT_TRUE(v.valid()) << (v.problems.empty() ? "" : v.problems[0].message);
  EXPECT_EQ(v.document->format, Format::kTd2);
  EXPECT_EQ(v.document->document_number, "D23145890");
  EXPECT_EQ(v.document->name.secondary, "ANNA MARIA");
}

TEST(MrzTd2, ReportsEachWrongCheckDigit) {
  ExpectCheckDigit(Replace(kTd2Specimen, 2, 10, '1'), 2, 10, "document_number", "7", "1");
  ExpectCheckDigit(Replace(kTd2Specimen, 2, 20, '1'), 2, 20, "birth_date", "2", "1");
  ExpectCheckDigit(Replace(kTd2Specimen, 2, 28, '1'), 2, 28, "expiry_date", "9", "1");
  ExpectCheckDigit(Replace(kTd2Specimen, 2, 36, '1'), 2, 36, "composite", "6", "1", false);
}

TEST(MrzTd2, OptionalDataCountsInTheComposite) {
  TwoLine td2;
  td2.optional = "AB12";
  const std::string text = td2.Build();
  ASSERT_TRUE(Read(text, Today()).valid());
  EXPECT_EQ(Read(text, Today()).document->optional_data, "AB12");
  EXPECT_EQ(Read(Replace(text, 2, 30, 'C'), Today()).problems.at(0).field, "composite");
}

TEST(MrzMrv, ReadsTheSpecimens) {
  const Verdict a = Read(kMrvASpecimen, Today());
  ASSERT_TRUE(a.valid()) << (a.problems.empty() ? "" : a.problems[0].message);
  EXPECT_EQ(a.document->format, Format::kMrvA);
  EXPECT_EQ(a.document->document_code, "V");
  EXPECT_EQ(a.document->nationality.kind, CountryKind::kUnspecified);
  EXPECT_EQ(a.document->birth_date.ToIso(), "1940-09-07");
  EXPECT_EQ(a.document->expiry_date.ToIso(), "1996-12-10");
  EXPECT_EQ(a.document->optional_data, "6ZE184226B");
  const Verdict b = Read(kMrvBSpecimen, Today());
  ASSERT_TRUE(b.valid()) << (b.problems.empty() ? "" : b.problems[0].message);
  EXPECT_EQ(b.document->format, Format::kMrvB);
  EXPECT_EQ(b.document->document_number, "L8988901C");
}

TEST(MrzMrv, ReportsEachWrongCheckDigitAndHasNoComposite) {
  for (const char* specimen : {kMrvASpecimen, kMrvBSpecimen}) {
    ExpectCheckDigit(Replace(specimen, 2, 10, '5'), 2, 10, "document_number", "4", "5", false);
    ExpectCheckDigit(Replace(specimen, 2, 20, '9'), 2, 20, "birth_date", "8", "9", false);
    ExpectCheckDigit(Replace(specimen, 2, 28, '0'), 2, 28, "expiry_date", "9", "0", false);
  }
  // Optional data of a visa is not covered by any digit.
  EXPECT_TRUE(Read(Replace(kMrvBSpecimen, 2, 30, 'Q'), Today()).valid());
}

TEST(MrzMrv, BuiltVisasRoundTrip) {
  TwoLine mrvb;
  mrvb.composite = false;
  mrvb.code = "V<";
  mrvb.state = "FRA";
  mrvb.nationality = "XXB";
  mrvb.number = "12AB345";
  const Verdict v = Read(mrvb.Build(), Today());
  ASSERT_TRUE(v.valid()) << v.problems[0].message;
  EXPECT_EQ(v.document->document_number, "12AB345");
  EXPECT_EQ(v.document->nationality.kind, CountryKind::kRefugee);
  EXPECT_EQ(Read(v.document->ToString(), Today()).document->ToString(), mrvb.Build());
}

TEST(MrzParse, GivesTheDocumentOrTheFirstProblem) {
  const Result<Document> good = Parse(kTd3Specimen, Today());
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->document_number, "L898902C3");
  const Result<Document> bad = Parse(Replace(kTd3Specimen, 2, 10, '5'), Today());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().reason(), "mrz_check_digit");
  const Result<Document> empty = Parse("", Today());
  EXPECT_EQ(empty.status().reason(), "mrz_empty");
}

}  // namespace
}  // namespace ncbnet::mrz
