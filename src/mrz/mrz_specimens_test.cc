// What real documents print beyond the Doc 9303 specimens (mrz_test.cc): extended document
// numbers in TD1 and TD2 with either check digit, an empty primary identifier, no expiry date,
// a nationality outside ISO 3166 and ICAO's list. Published samples are cited where they exist;
// the other lines are built by mrz_test_util.h with check digits computed independently.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "mrz/mrz.h"
#include "mrz/mrz_test_util.h"

namespace ncbnet::mrz {
namespace {

using testutil::Td1;
using testutil::TestCheckDigit;
using testutil::Today;
using testutil::TwoLine;

std::string FirstMessage(const Verdict& v) {
  return v.problems.empty() ? "" : v.problems[0].code + ": " + v.problems[0].message;
}

// Belgian identity card specimen (2020 series), as published with Arg0s1080/mrz pull request 41
// ("fix belgium card checker"): a 12-character number whose check digit, 5, is the Doc 9303 one.
constexpr const char* kBelgianSpecimen =
    "IDBEL000590696<1015<<<<<<<<<<<\n"
    "9401013F2710017BEL000101123453\n"
    "SPECIMEN<<SPECIMEN<<<<<<<<<<<<";

// Czech passport specimen ("SPECIMEN VZOR"), as quoted in ZsBT/mrz-java issue 4: an 8-character
// number padded with '<' before its check digit, and a personal number.
constexpr const char* kCzechSpecimen =
    "P<CZESPECIMEN<<VZOR<<<<<<<<<<<<<<<<<<<<<<<<<\n"
    "99003853<1CZE1101018M1207046110101111<<<<<94";

TEST(MrzSpecimens, ReadsTheBelgianIdentityCardWithTheDoc9303Digit) {
  const Verdict v = Read(kBelgianSpecimen, Today());
  ASSERT_TRUE(v.valid()) << FirstMessage(v);
  const Document& d = *v.document;
  EXPECT_EQ(d.document_code, "ID");
  EXPECT_EQ(d.issuing_state.iso_country, "BEL");
  EXPECT_EQ(d.document_number, "000590696101");
  EXPECT_TRUE(d.extended_document_number);
  EXPECT_EQ(d.document_number_check, DocumentNumberCheck::kDoc9303);
  EXPECT_EQ(d.optional_data, "");
  EXPECT_EQ(d.optional_data_2, "00010112345");
  EXPECT_EQ(d.birth_date.ToIso(), "1994-01-01");
  EXPECT_EQ(d.expiry_date.ToIso(), "2027-10-01");
  EXPECT_EQ(d.name.primary, "SPECIMEN");
  EXPECT_EQ(d.name.secondary, "SPECIMEN");
}

TEST(MrzSpecimens, ReadsTheCzechPassport) {
  const Verdict v = Read(kCzechSpecimen, Today());
  ASSERT_TRUE(v.valid()) << FirstMessage(v);
  EXPECT_EQ(v.document->document_number, "99003853");
  EXPECT_EQ(v.document->personal_number, "110101111");
  EXPECT_EQ(v.document->birth_date.ToIso(), "2011-01-01");
  EXPECT_EQ(v.document->name.secondary, "VZOR");
}

// A Belgian card number of the earlier series, "000590448 301" (Arg0s1080/mrz issue 4), with
// its check digit over "000590448<301" as the Belgian special case of that library computes it.
TEST(MrzExtendedNumbers, AcceptsTheDigitCountingTheFillerAndSaysSo) {
  Td1 td1;
  td1.code = "ID";
  td1.state = "BEL";
  td1.nationality = "BEL";
  td1.number = "000590448301";
  td1.with_filler = true;
  td1.birth = "850101";
  td1.expiry = "170203";
  td1.optional2 = "85010100200";
  td1.name = "LE<MEUNIER<<JENNIFER<ANNE";
  const std::string text = td1.Build();
  ASSERT_EQ(text.substr(0, 30), "IDBEL000590448<3016<<<<<<<<<<<");  // 6 with '<', 2 without
  const Verdict v = Read(text, Today());
  ASSERT_TRUE(v.valid()) << FirstMessage(v);
  EXPECT_EQ(v.document->document_number, "000590448301");
  EXPECT_EQ(v.document->document_number_check, DocumentNumberCheck::kWithFiller);
  EXPECT_EQ(v.document->name.primary, "LE MEUNIER");
  EXPECT_EQ(ToJson(v)["fields"]["document_number_check"], "with_filler");
  EXPECT_EQ(ToJson(Read(kBelgianSpecimen, Today()))["fields"]["document_number_check"], "doc9303");
}

TEST(MrzExtendedNumbers, ReadsTd2ExtendedNumbersWithEitherDigit) {
  for (const bool with_filler : {false, true}) {
    TwoLine td2;
    td2.number = "D231458901234";
    td2.optional = "X";
    td2.with_filler = with_filler;
    const std::string text = td2.Build();
    const std::string digit(1, TestCheckDigit(with_filler ? "D23145890<1234" : "D231458901234"));
    ASSERT_EQ(text.substr(37, 10), "D23145890<") << text;
    ASSERT_EQ(text.substr(37 + 28, 7), "1234" + digit + "<X") << text;
    const Verdict v = Read(text, Today());
    ASSERT_TRUE(v.valid()) << FirstMessage(v);
    EXPECT_EQ(v.document->format, Format::kTd2);
    EXPECT_EQ(v.document->document_number, "D231458901234");
    EXPECT_TRUE(v.document->extended_document_number);
    EXPECT_EQ(v.document->document_number_check,
              with_filler ? DocumentNumberCheck::kWithFiller : DocumentNumberCheck::kDoc9303);
    EXPECT_EQ(v.document->optional_data, "X");
    EXPECT_EQ(ToJson(v)["fields"]["extended_document_number"], true);
  }
}

TEST(MrzExtendedNumbers, ReportsADigitMatchingNeitherVariantWhereItIs) {
  for (const bool td2 : {false, true}) {
    std::string text;
    if (td2) {
      TwoLine b;
      b.number = "AB12345678";
      text = b.Build();
    } else {
      Td1 b;
      b.number = "AB12345678";
      text = b.Build();
    }
    const std::size_t line_start = td2 ? 37 : 0;
    const std::size_t at = line_start + (td2 ? 29 : 16);  // the digit after the extension "8"
    const char good = TestCheckDigit("AB12345678"), other = TestCheckDigit("AB1234567<8");
    char wrong = '0';
    while (wrong == good || wrong == other) ++wrong;
    text[at] = wrong;
    const Verdict v = Read(text, Today());
    ASSERT_FALSE(v.problems.empty()) << text;
    EXPECT_EQ(v.problems[0].code, "mrz_check_digit");
    EXPECT_EQ(v.problems[0].field, "document_number");
    EXPECT_EQ(v.problems[0].column, static_cast<int>(at - line_start) + 1);
    EXPECT_EQ(v.problems[0].expected, std::string(1, good));
    EXPECT_NE(v.problems[0].message.find(std::string("'") + other + "' counting the '<'"),
              std::string::npos)
        << v.problems[0].message;
    EXPECT_EQ(v.document->document_number, "AB12345678");
  }
}

TEST(MrzExtendedNumbers, ShortTd2NumberWithFillerDigitIsAMissingDigit) {
  TwoLine td2;
  td2.number = "D2314589";  // 8 characters: it cannot continue
  std::string text = td2.Build();
  text[37 + 9] = '<';
  text[37 + 28] = '1';
  const Verdict v = Read(text, Today());
  EXPECT_FALSE(v.document->extended_document_number);
  ASSERT_FALSE(v.problems.empty());
  EXPECT_EQ(v.problems[0].field, "document_number");
  EXPECT_EQ(v.problems[0].column, 10);
}

// Doc 9303 Part 3, 4.6 puts the primary identifier first; some issuers print the only name of
// a person who has one as a secondary identifier after an empty primary one.
TEST(MrzNames, AcceptsAnEmptyPrimaryIdentifier) {
  TwoLine td2;
  td2.name = "<<SUKARNO";
  Verdict v = Read(td2.Build(), Today());
  ASSERT_TRUE(v.valid()) << FirstMessage(v);
  EXPECT_EQ(v.document->name.primary, "");
  EXPECT_EQ(v.document->name.secondary, "SUKARNO");
  testutil::Td3 td3;
  td3.name = "<<MARIA<DEL<CARMEN";
  v = Read(td3.Build(), Today());
  ASSERT_TRUE(v.valid()) << FirstMessage(v);
  EXPECT_EQ(v.document->name.secondary, "MARIA DEL CARMEN");
  EXPECT_EQ(ToJson(v)["fields"]["primary_identifier"], "");
}

TEST(MrzNames, StillRefusesOtherLeadingFillers) {
  for (const char* name : {"<ANNA", "<<<ANNA", "<<", ""}) {
    TwoLine td2;
    td2.name = name;
    const Verdict v = Read(td2.Build(), Today());
    ASSERT_EQ(v.problems.size(), 1U) << name;
    EXPECT_EQ(v.problems[0].code, "mrz_bad_name") << name;
  }
}

// Moldovan identity cards of persons past a certain age do not expire and print "<<<<<<0"
// (snifter/MRZCode.NET pull requests 3 and 4); the lines here are built, not a real card's.
TEST(MrzDates, AcceptsADocumentWithoutExpiryDate) {
  Td1 td1;
  td1.state = "MDA";
  td1.nationality = "MDA";
  td1.expiry = "<<<<<<";
  const std::string text = td1.Build();
  ASSERT_EQ(text.substr(31 + 8, 7), "<<<<<<0");
  const Verdict v = Read(text, Today());
  ASSERT_TRUE(v.valid()) << FirstMessage(v);
  EXPECT_EQ(v.document->expiry_date.raw, "<<<<<<");
  EXPECT_FALSE(v.document->expiry_date.year.has_value());
  EXPECT_EQ(v.document->expiry_date.ToIso(), "");
  EXPECT_EQ(ToJson(v)["fields"]["expiry_date"]["date"], nullptr);
  testutil::Td3 td3;
  td3.expiry = "<<<<<<";
  EXPECT_TRUE(Read(td3.Build(), Today()).valid());
}

TEST(MrzDates, NoExpiryNeedsItsCheckDigitAndAllSixFillers) {
  Td1 td1;
  td1.expiry = "<<<<<<";
  std::string text = td1.Build();
  text[31 + 14] = '<';  // a filler for the digit: not what the standard computes
  Verdict v = Read(text, Today());
  ASSERT_FALSE(v.problems.empty());
  EXPECT_EQ(v.problems[0].code, "mrz_check_digit");
  EXPECT_EQ(v.problems[0].field, "expiry_date");
  td1.expiry = "<<<<12";
  v = Read(td1.Build(), Today());
  ASSERT_FALSE(v.problems.empty());
  EXPECT_EQ(v.problems[0].code, "mrz_bad_date");
}

// Policy (docs/mrz.md, Countries): a nationality that is letters but in neither list is read as
// printed with a warning; the document is valid and nothing else about it changes.
TEST(MrzCountries, AcceptsAnUnknownNationalityWithAWarning) {
  testutil::Td3 td3;
  td3.state = "FRA";
  td3.nationality = "RKS";
  const Verdict v = Read(td3.Build(), Today());
  ASSERT_TRUE(v.valid()) << FirstMessage(v);
  ASSERT_EQ(v.warnings.size(), 1U);
  EXPECT_EQ(v.warnings[0].code, "mrz_unknown_country");
  EXPECT_EQ(v.warnings[0].field, "nationality");
  EXPECT_EQ(v.warnings[0].line, 2);
  EXPECT_EQ(v.warnings[0].column, 11);
  EXPECT_EQ(v.warnings[0].found, "RKS");
  EXPECT_EQ(v.document->nationality.code, "RKS");
  EXPECT_EQ(v.document->nationality.kind, CountryKind::kUnknown);
  EXPECT_EQ(v.document->nationality.iso_country, "");
  EXPECT_EQ(v.document->issuing_state.iso_country, "FRA");
  EXPECT_EQ(v.document->document_number, "L898902C3");
  EXPECT_EQ(v.document->birth_date.ToIso(), "1974-08-12");
  const nlohmann::json j = ToJson(v);
  EXPECT_EQ(j["valid"], true);
  EXPECT_EQ(j["warnings"][0]["field"], "nationality");
  EXPECT_EQ(j["fields"]["nationality"]["kind"], "unknown");
}

TEST(MrzCountries, RefusesUnknownIssuersAndMalformedNationalities) {
  testutil::Td3 td3;
  td3.state = "RKS";  // the issuer of a document must be known: SLTD checks by issuer
  Verdict v = Read(td3.Build(), Today());
  ASSERT_EQ(v.problems.size(), 1U);
  EXPECT_EQ(v.problems[0].field, "issuing_state");
  for (const char* nationality : {"R7S", "<RK", "<<<"}) {
    td3 = testutil::Td3();
    td3.nationality = nationality;
    v = Read(td3.Build(), Today());
    ASSERT_EQ(v.problems.size(), 1U) << nationality;
    EXPECT_EQ(v.problems[0].code, "mrz_unknown_country") << nationality;
    EXPECT_EQ(v.problems[0].field, "nationality") << nationality;
    EXPECT_TRUE(v.warnings.empty()) << nationality;
  }
}

}  // namespace
}  // namespace ncbnet::mrz
