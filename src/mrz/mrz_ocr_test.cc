// OCR confusions: a letter among digits or a digit among letters that OCR-B readers confuse
// ('O'/'0', 'I'/'1', 'B'/'8'...) is refused as mrz_ocr_confusion with its field, never accepted;
// on request the corrected reading is offered with each correction listed. The sweeps below put
// every lookalike at every position of each field kind of the Doc 9303 specimens, so that a
// field the search forgets, or a position it reads wrong, fails here.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "mrz/mrz.h"
#include "mrz/mrz_test_util.h"

namespace ncbnet::mrz {
namespace {

using testutil::kTd1Specimen;
using testutil::kTd2Specimen;
using testutil::kTd3Specimen;
using testutil::Td3;
using testutil::Today;

// The lookalikes as docs/mrz.md lists them: digit, letter.
constexpr std::pair<char, char> kLookalikes[] = {{'0', 'O'}, {'0', 'Q'}, {'0', 'D'}, {'1', 'I'},
                                                 {'2', 'Z'}, {'5', 'S'}, {'6', 'G'}, {'8', 'B'}};

// Index in `text` of (line, column), both 1-based.
std::size_t At(const std::string& text, int line, int column) {
  std::size_t pos = 0;
  for (int l = 1; l < line; ++l) pos = text.find('\n', pos) + 1;
  return pos + static_cast<std::size_t>(column - 1);
}

struct Field {
  const char* name;
  int line, column, length;
  bool digits;  // a field of digits (else of letters)
};

// Expects `text`, which is `specimen` with the character at (line, column) replaced by its
// lookalike, to be refused with exactly one confusion there and nothing else, and the corrected
// reading offered to be the specimen.
void ExpectOneConfusion(const std::string& specimen, const std::string& text, const Field& f,
                        int column, char printed, char right) {
  const std::string where = std::string(f.name) + " column " + std::to_string(column) + " '" +
                            std::string(1, printed) + "'";
  const Verdict plain = Read(text, Today());
  ASSERT_FALSE(plain.valid()) << where;
  EXPECT_FALSE(plain.corrected.has_value()) << where;
  ASSERT_EQ(plain.problems.size(), 1U) << where << ": " << plain.problems.back().message;
  const Problem& p = plain.problems[0];
  EXPECT_EQ(p.code, "mrz_ocr_confusion") << where;
  EXPECT_EQ(p.field, f.name) << where;
  EXPECT_EQ(p.line, f.line) << where;
  EXPECT_EQ(p.column, column) << where;
  EXPECT_EQ(p.found, std::string(1, printed)) << where;
  EXPECT_EQ(p.expected, std::string(1, right)) << where;
  const Verdict offered = Read(text, Today(), {.offer_correction = true});
  ASSERT_TRUE(offered.corrected.has_value()) << where;
  EXPECT_TRUE(offered.corrected->valid()) << where;
  EXPECT_EQ(offered.corrected->document.ToString(), specimen) << where;
  ASSERT_EQ(offered.corrected->corrections.size(), 1U) << where;
  EXPECT_EQ(offered.corrected->corrections[0].found, printed) << where;
  EXPECT_EQ(offered.corrected->corrections[0].corrected, right) << where;
  EXPECT_FALSE(offered.valid()) << where;  // offered, never accepted
}

// For each position of `f` in `specimen`: its digit (or letter) replaced by each lookalike.
void SweepField(const std::string& specimen, const Field& f) {
  int tried = 0;
  for (int column = f.column; column < f.column + f.length; ++column) {
    const char right = specimen[At(specimen, f.line, column)];
    for (const auto& [digit, letter] : kLookalikes) {
      if ((f.digits ? digit : letter) != right) continue;
      // A digit stands for the first letter it looks like: '0' is read as 'O', not as 'Q'.
      if (!f.digits && right != 'O' && digit == '0') continue;
      std::string text = specimen;
      const char printed = f.digits ? letter : digit;
      text[At(specimen, f.line, column)] = printed;
      ExpectOneConfusion(specimen, text, f, column, printed, right);
      ++tried;
      if (!f.digits) break;  // a digit is read as one letter only
    }
  }
  EXPECT_GT(tried, 0) << f.name << " had nothing to sweep";
}

TEST(MrzOcr, EveryLookalikeInEveryFieldOfTheTd3SpecimenIsRefusedAndCorrected) {
  const Field fields[] = {
      {"issuing_state", 1, 3, 3, false},   {"name", 1, 6, 20, false},
      {"document_number", 2, 10, 1, true}, {"nationality", 2, 11, 3, false},
      {"birth_date", 2, 14, 7, true},      {"expiry_date", 2, 22, 7, true},
      {"personal_number", 2, 43, 1, true}, {"composite", 2, 44, 1, true},
  };
  for (const Field& f : fields) SweepField(kTd3Specimen, f);
}

TEST(MrzOcr, EveryLookalikeInEveryFieldOfTheTd1AndTd2SpecimensIsRefusedAndCorrected) {
  const Field td1[] = {
      {"issuing_state", 1, 3, 3, false}, {"birth_date", 2, 1, 7, true},
      {"expiry_date", 2, 9, 7, true},    {"nationality", 2, 16, 3, false},
      {"composite", 2, 30, 1, true},     {"name", 3, 1, 20, false},
  };
  for (const Field& f : td1) SweepField(kTd1Specimen, f);
  const Field td2[] = {
      {"name", 1, 6, 20, false},
      {"birth_date", 2, 14, 7, true},
      {"expiry_date", 2, 22, 7, true},
      {"composite", 2, 36, 1, true},
  };
  for (const Field& f : td2) SweepField(kTd2Specimen, f);
}

TEST(MrzOcr, TheExtendedNumbersDigitIsAFieldOfDigitsToo) {
  testutil::Td1 td1;
  td1.number = "D23145890128";  // its check digit is 8, which looks like B
  const std::string specimen = td1.Build();
  const int column = 19;  // "D23145890<128" then the digit
  ASSERT_EQ(specimen[At(specimen, 1, column)], '8');
  ExpectOneConfusion(specimen, specimen.substr(0, 18) + "B" + specimen.substr(19),
                     {"document_number", 1, column, 1, true}, column, 'B', '8');
}

TEST(MrzOcr, MixedFieldsAndOtherCharactersAreNotConfusions) {
  // The document number holds letters and digits alike: nothing to tell there.
  std::string text = kTd3Specimen;
  text[At(text, 2, 2)] = 'B';  // L898902C3 -> LB98902C3
  Verdict v = Read(text, Today(), {.offer_correction = true});
  EXPECT_FALSE(v.corrected.has_value());
  ASSERT_FALSE(v.problems.empty());
  EXPECT_EQ(v.problems[0].code, "mrz_check_digit");
  // A letter that looks like no digit stays what it was: a bad date.
  Td3 td3;
  td3.birth = "7408A2";
  v = Read(td3.Build(), Today(), {.offer_correction = true});
  EXPECT_FALSE(v.corrected.has_value());
  ASSERT_EQ(v.problems.size(), 1U);
  EXPECT_EQ(v.problems[0].code, "mrz_bad_date");
  // X and < in a date of birth are unknown parts, not confusions.
  td3.birth = "7408XX";
  EXPECT_TRUE(Read(td3.Build(), Today()).valid());
}

TEST(MrzOcr, ListsEveryCorrectionAndKeepsWhatTheyDoNotFix) {
  // Three confusions in three fields, and a wrong expiry check digit that no correction fixes.
  std::string text = kTd3Specimen;
  text[At(text, 1, 8)] = '1';   // ERIKSSON -> ER1KSSON
  text[At(text, 2, 13)] = '0';  // UTO -> UT0
  text[At(text, 2, 16)] = 'O';  // 740812 -> 74O812
  text[At(text, 2, 28)] = '3';  // expiry digit: 9 is right
  const Verdict v = Read(text, Today(), {.offer_correction = true});
  std::vector<std::string> codes;
  for (const Problem& p : v.problems) codes.push_back(p.code + "@" + p.field);
  EXPECT_EQ(codes,
            (std::vector<std::string>{"mrz_ocr_confusion@name", "mrz_ocr_confusion@nationality",
                                      "mrz_ocr_confusion@birth_date", "mrz_check_digit@expiry_date",
                                      "mrz_check_digit@composite"}));
  ASSERT_TRUE(v.corrected.has_value());
  const CorrectedReading& c = *v.corrected;
  ASSERT_EQ(c.corrections.size(), 3U);
  EXPECT_EQ(c.corrections[0].field, "name");
  EXPECT_EQ(c.corrections[0].column, 8);
  EXPECT_EQ(c.corrections[0].corrected, 'I');
  EXPECT_EQ(c.corrections[1].corrected, 'O');
  EXPECT_EQ(c.corrections[2].corrected, '0');
  EXPECT_FALSE(c.valid());
  ASSERT_EQ(c.problems.size(), 2U);
  EXPECT_EQ(c.problems[0].field, "expiry_date");
  EXPECT_EQ(c.document.name.primary, "ERIKSSON");
  EXPECT_EQ(c.document.nationality.code, "UTO");
  EXPECT_EQ(c.document.birth_date.ToIso(), "1974-08-12");
  // What the document says as printed stays in the refused verdict.
  EXPECT_EQ(v.document->name.primary, "ER1KSSON");
}

TEST(MrzOcr, ParseAndJsonNameTheConfusion) {
  std::string text = kTd3Specimen;
  text[At(text, 2, 20)] = 'Z';  // the birth date's check digit 2
  const Result<Document> parsed = Parse(text, Today());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().reason(), "mrz_ocr_confusion");
  EXPECT_NE(parsed.status().message().find("birth date"), std::string::npos);
  EXPECT_FALSE(ToJson(Read(text, Today())).contains("corrected"));
  const nlohmann::json j = ToJson(Read(text, Today(), {.offer_correction = true}));
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["problems"][0]["code"], "mrz_ocr_confusion");
  const nlohmann::json& c = j["corrected"];
  EXPECT_EQ(c["valid"], true);
  EXPECT_EQ(c["format"], "TD3");
  EXPECT_EQ(c["lines"][1], std::string(kTd3Specimen).substr(45));
  EXPECT_EQ(c["corrections"], (nlohmann::json::array({{{"field", "birth_date"},
                                                       {"line", 2},
                                                       {"column", 20},
                                                       {"found", "Z"},
                                                       {"corrected", "2"}}})));
  EXPECT_EQ(c["problems"], nlohmann::json::array());
  EXPECT_EQ(c["fields"]["birth_date"]["date"], "1974-08-12");
}

}  // namespace
}  // namespace ncbnet::mrz
