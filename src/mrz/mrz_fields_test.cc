// Field errors (dates, sex, names, codes) and structural errors (size, characters, lines,
// lengths, format), and what readers send: whitespace, CR/LF, lower case.
#include <gtest/gtest.h>

#include "mrz/mrz.h"
#include "mrz/mrz_test_util.h"

namespace ncbnet::mrz {
namespace {

using testutil::Td1;
using testutil::Td3;
using testutil::Today;

std::vector<std::string> Codes(const Verdict& v) {
  std::vector<std::string> out;
  for (const Problem& p : v.problems) out.push_back(p.code);
  return out;
}

Verdict ReadTd3(const Td3& td3) { return Read(td3.Build(), Today()); }

TEST(MrzDates, ResolvesTheCenturyOfBirthIntoThePast) {
  Td3 td3;
  td3.birth = "261128";  // today: 2026
  EXPECT_EQ(ReadTd3(td3).document->birth_date.ToIso(), "2026-11-28");
  td3.birth = "261129";  // tomorrow would be in the future
  EXPECT_EQ(ReadTd3(td3).document->birth_date.ToIso(), "1926-11-29");
  td3.birth = "270101";
  EXPECT_EQ(ReadTd3(td3).document->birth_date.ToIso(), "1927-01-01");
  td3.birth = "000229";
  EXPECT_EQ(ReadTd3(td3).document->birth_date.ToIso(), "2000-02-29");
}

TEST(MrzDates, ResolvesTheCenturyOfExpiryNearToday) {
  Td3 td3;
  td3.expiry = "450101";  // today + 19
  EXPECT_EQ(ReadTd3(td3).document->expiry_date.ToIso(), "2045-01-01");
  td3.expiry = "460101";  // today + 20 is too far: an old document
  EXPECT_EQ(ReadTd3(td3).document->expiry_date.ToIso(), "1946-01-01");
  td3.expiry = "991231";
  EXPECT_EQ(ReadTd3(td3).document->expiry_date.ToIso(), "1999-12-31");
}

TEST(MrzDates, AcceptsUnknownPartsOfABirthDate) {
  Td3 td3;
  td3.birth = "7408XX";
  Verdict v = ReadTd3(td3);
  ASSERT_TRUE(v.valid()) << v.problems[0].message;
  EXPECT_EQ(v.document->birth_date.ToIso(), "1974-08");
  EXPECT_FALSE(v.document->birth_date.day.has_value());
  td3.birth = "74<<<<";
  v = ReadTd3(td3);
  ASSERT_TRUE(v.valid());
  EXPECT_EQ(v.document->birth_date.ToIso(), "1974");
  td3.birth = "<<<<<<";
  v = ReadTd3(td3);
  ASSERT_TRUE(v.valid());
  EXPECT_EQ(v.document->birth_date.ToIso(), "");
  EXPECT_EQ(v.document->birth_date.raw, "<<<<<<");
  // An unknown year this year: 26XXXX is 2026, whatever month it was.
  td3.birth = "26XXXX";
  EXPECT_EQ(ReadTd3(td3).document->birth_date.year, 2026);
}

TEST(MrzDates, RefusesHalfUnknownPartsAndUnknownExpiry) {
  Td3 td3;
  td3.birth = "7408X1";
  Verdict v = ReadTd3(td3);
  ASSERT_EQ(Codes(v), std::vector<std::string>{"mrz_bad_date"});
  EXPECT_EQ(v.problems[0].field, "birth_date");
  EXPECT_EQ(v.problems[0].column, 18);
  EXPECT_EQ(v.problems[0].found, "X1");
  td3 = Td3();
  td3.expiry = "3106<<";
  v = ReadTd3(td3);
  ASSERT_EQ(Codes(v), std::vector<std::string>{"mrz_bad_date"});
  EXPECT_EQ(v.problems[0].field, "expiry_date");
  EXPECT_NE(v.problems[0].message.find("only a date of birth"), std::string::npos);
}

TEST(MrzDates, RefusesImpossibleDates) {
  Td3 td3;
  td3.birth = "741312";
  Verdict v = ReadTd3(td3);
  ASSERT_EQ(Codes(v), std::vector<std::string>{"mrz_bad_date"});
  EXPECT_EQ(v.problems[0].found, "13");
  EXPECT_FALSE(v.document->birth_date.month.has_value());
  td3.birth = "010229";  // 2001 is not a leap year
  v = ReadTd3(td3);
  ASSERT_EQ(Codes(v), std::vector<std::string>{"mrz_bad_date"});
  EXPECT_EQ(v.problems[0].expected, "01..28");
  td3.birth = "740800";
  EXPECT_EQ(Codes(ReadTd3(td3)), std::vector<std::string>{"mrz_bad_date"});
  td3 = Td3();
  td3.expiry = "3104AC";  // letters that look like no digit
  EXPECT_EQ(Codes(ReadTd3(td3)), std::vector<std::string>{"mrz_bad_date"});
}

TEST(MrzSex, AcceptsMFXAndFillerOnly) {
  Td3 td3;
  for (const char* sex : {"M", "F", "X", "<"}) {
    td3.sex = sex;
    const Verdict v = ReadTd3(td3);
    EXPECT_TRUE(v.valid()) << sex;
    EXPECT_EQ(v.document->sex, sex[0]);
  }
  td3.sex = "Q";
  const Verdict v = ReadTd3(td3);
  ASSERT_EQ(Codes(v), std::vector<std::string>{"mrz_bad_sex"});
  EXPECT_EQ(v.problems[0].line, 2);
  EXPECT_EQ(v.problems[0].column, 21);
  EXPECT_EQ(v.problems[0].found, "Q");
}

TEST(MrzNames, SplitsIdentifiersAndNotesTruncation) {
  Td3 td3;
  td3.name = "VAN<DER<BERG<<JAN<PIETER";
  Verdict v = ReadTd3(td3);
  EXPECT_EQ(v.document->name.primary, "VAN DER BERG");
  EXPECT_EQ(v.document->name.secondary, "JAN PIETER");
  EXPECT_FALSE(v.document->name.truncated);
  td3.name = "ONLYONE";
  v = ReadTd3(td3);
  EXPECT_EQ(v.document->name.primary, "ONLYONE");
  EXPECT_EQ(v.document->name.secondary, "");
  td3.name = "NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K";  // 39: the field is full
  v = ReadTd3(td3);
  ASSERT_TRUE(v.valid());
  EXPECT_TRUE(v.document->name.truncated);
  EXPECT_EQ(v.document->name.secondary, "CHAYAPA DEJTHAMRONG K");
}

TEST(MrzNames, ReportsDigitsEmptyAndLeadingFillers) {
  Td3 td3;
  td3.name = "ERIK7SON<<ANNA";  // 7 looks like no letter (for 5, see mrz_ocr_test.cc)
  Verdict v = ReadTd3(td3);
  ASSERT_EQ(Codes(v), std::vector<std::string>{"mrz_bad_name"});
  EXPECT_EQ(v.problems[0].column, 10);
  EXPECT_EQ(v.problems[0].found, "7");
  td3.name = "";
  EXPECT_EQ(Codes(ReadTd3(td3)), std::vector<std::string>{"mrz_bad_name"});
  td3.name = "<ANNA";
  EXPECT_EQ(Codes(ReadTd3(td3)), std::vector<std::string>{"mrz_bad_name"});
}

TEST(MrzCodes, ReportsBadDocumentCodesNumbersAndCountries) {
  Td3 td3;
  td3.code = "P3";
  EXPECT_EQ(Codes(ReadTd3(td3)), std::vector<std::string>{"mrz_bad_document_code"});
  td3 = Td3();
  td3.number = "";
  EXPECT_EQ(Codes(ReadTd3(td3)), std::vector<std::string>{"mrz_bad_document_number"});
  td3 = Td3();
  td3.state = "ZZZ";
  td3.nationality = "34<";  // digits: not a code (an unknown code of letters is a warning)
  const Verdict v = ReadTd3(td3);
  ASSERT_EQ(Codes(v), (std::vector<std::string>{"mrz_unknown_country", "mrz_unknown_country"}));
  EXPECT_EQ(v.problems[0].field, "issuing_state");
  EXPECT_EQ(v.problems[0].line, 1);
  EXPECT_EQ(v.problems[0].column, 3);
  EXPECT_EQ(v.problems[0].found, "ZZZ");
  EXPECT_EQ(v.problems[1].field, "nationality");
  EXPECT_EQ(v.problems[1].found, "34<");
}

TEST(MrzInput, ToleratesWhitespaceCrLfAndLowerCase) {
  const std::string mrz = Td3().Build();
  const std::string l1 = mrz.substr(0, 44), l2 = mrz.substr(45);
  for (const std::string& text : {"  \r\n" + l1 + "\r\n" + l2 + "\r\n\n ", "\t" + l1 + " \n  " + l2,
                                  "p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\n" + l2}) {
    const Verdict v = Read(text, Today());
    ASSERT_TRUE(v.valid()) << text;
    EXPECT_EQ(v.document->ToString(), mrz);
  }
}

TEST(MrzInput, CorrectsNothingSilently) {
  // O in the document number's check digit, which is 6: an OCR confusion, and read as 0 it is
  // still the wrong digit. Both are said; nothing is corrected in the reading.
  const std::string text = Td3().Build();
  std::string o = text;
  o[45 + 9] = 'O';
  const Verdict v = Read(o, Today());
  ASSERT_EQ(Codes(v),
            (std::vector<std::string>{"mrz_ocr_confusion", "mrz_check_digit", "mrz_check_digit"}));
  EXPECT_EQ(v.problems[0].found, "O");
  EXPECT_EQ(v.problems[0].expected, "0");
  EXPECT_EQ(v.problems[1].found, "O");
  EXPECT_EQ(v.problems[1].expected, "6");
  EXPECT_EQ(v.problems[2].field, "composite");
  EXPECT_EQ(v.document->lines[1][9], 'O');
}

TEST(MrzStructure, RefusesOversizedInputFirst) {
  const std::string big(kMaxInputBytes + 1, '\x01');
  const Verdict v = Read(big, Today());
  EXPECT_FALSE(v.document.has_value());
  ASSERT_EQ(Codes(v), std::vector<std::string>{"mrz_too_large"});
  EXPECT_EQ(v.problems[0].expected, "256");
  EXPECT_EQ(v.problems[0].found, "257");
  // Exactly the limit is read: a TD3 padded with spaces to 256 bytes.
  std::string padded = Td3().Build();
  padded += std::string(kMaxInputBytes - padded.size(), ' ');
  EXPECT_TRUE(Read(padded, Today()).valid());
}

TEST(MrzStructure, ReportsEmptyInput) {
  for (const char* text : {"", "   ", "\r\n\r\n", "\t \n"}) {
    EXPECT_EQ(Codes(Read(text, Today())), std::vector<std::string>{"mrz_empty"}) << text;
  }
}

TEST(MrzStructure, ReportsControlAndNonAsciiCharactersEscaped) {
  std::string text = Td3().Build();
  text[3] = '\x07';
  text[50] = '\xc3';
  text[51] = ' ';
  const Verdict v = Read(text, Today());
  EXPECT_FALSE(v.document.has_value());
  ASSERT_EQ(v.problems.size(), 3U);
  EXPECT_EQ(v.problems[0].code, "mrz_bad_character");
  EXPECT_EQ(v.problems[0].line, 1);
  EXPECT_EQ(v.problems[0].column, 4);
  EXPECT_EQ(v.problems[0].found, "\\x07");
  EXPECT_EQ(v.problems[1].line, 2);
  EXPECT_EQ(v.problems[1].column, 6);
  EXPECT_EQ(v.problems[1].found, "\\xc3");
  EXPECT_EQ(v.problems[2].found, " ");
  EXPECT_EQ(v.problems[0].message.find('\x07'), std::string::npos);
}

TEST(MrzStructure, CapsCharacterProblems) {
  const Verdict v = Read(std::string(44, '#') + "\n" + std::string(44, '#'), Today());
  EXPECT_EQ(v.problems.size(), 10U);
}

TEST(MrzStructure, ReportsLineCounts) {
  const std::string l = std::string(44, '<');
  for (const std::string& text :
       {l, l + "\n" + l + "\n" + l + "\n" + l, l + "\n\n" + l + "\n" + l}) {
    const Verdict v = Read(text, Today());
    ASSERT_EQ(Codes(v), std::vector<std::string>{"mrz_line_count"}) << text;
    EXPECT_EQ(v.problems[0].expected, "2 or 3");
  }
}

TEST(MrzStructure, ReportsWrongLineLengthsPerLine) {
  const std::string td3 = Td3().Build();
  Verdict v = Read(td3.substr(0, 44) + "\n" + td3.substr(45, 43), Today());
  ASSERT_EQ(Codes(v), std::vector<std::string>{"mrz_line_length"});
  EXPECT_EQ(v.problems[0].line, 2);
  EXPECT_EQ(v.problems[0].expected, "44");
  EXPECT_EQ(v.problems[0].found, "43");
  v = Read(std::string(40, '<') + "\n" + std::string(41, '<'), Today());
  ASSERT_EQ(v.problems.size(), 2U);
  EXPECT_EQ(v.problems[0].expected, "36 or 44");
  const std::string td1 = Td1().Build();
  v = Read(td1 + "<", Today());
  ASSERT_EQ(Codes(v), std::vector<std::string>{"mrz_line_length"});
  EXPECT_EQ(v.problems[0].line, 3);
  EXPECT_EQ(v.problems[0].expected, "30");
  EXPECT_EQ(v.problems[0].found, "31");
}

TEST(MrzStructure, ReportsUnknownFormats) {
  std::string td3 = Td3().Build();
  td3[0] = 'I';  // an identity card is never 44 wide
  Verdict v = Read(td3, Today());
  ASSERT_EQ(Codes(v), std::vector<std::string>{"mrz_unknown_format"});
  EXPECT_EQ(v.problems[0].expected, "P or V");
  EXPECT_EQ(v.problems[0].found, "I");
  std::string td1 = Td1().Build();
  td1[0] = 'P';
  EXPECT_EQ(Codes(Read(td1, Today())), std::vector<std::string>{"mrz_unknown_format"});
  testutil::TwoLine td2;
  td2.code = "P<";
  EXPECT_EQ(Codes(Read(td2.Build(), Today())), std::vector<std::string>{"mrz_unknown_format"});
}

}  // namespace
}  // namespace ncbnet::mrz
