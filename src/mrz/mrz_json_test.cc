// The JSON view shared by `ncbnet mrz parse` and the API.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "mrz/mrz.h"
#include "mrz/mrz_test_util.h"

namespace ncbnet::mrz {
namespace {

using nlohmann::json;
using testutil::Td3;
using testutil::Today;

TEST(MrzJson, ShowsEveryFieldOfAValidDocument) {
  Td3 td3;
  td3.birth = "7408XX";
  td3.state = "D<<";
  const json j = ToJson(Read(td3.Build(), Today()));
  EXPECT_EQ(j["valid"], true);
  EXPECT_EQ(j["format"], "TD3");
  EXPECT_EQ(j["problems"], json::array());
  const json& f = j["fields"];
  EXPECT_EQ(f["document_code"], "P");
  EXPECT_EQ(
      f["issuing_state"],
      (json{
          {"code", "D"}, {"kind", "icao_national"}, {"name", "Germany"}, {"iso_country", "DEU"}}));
  EXPECT_EQ(f["nationality"]["kind"], "specimen");
  EXPECT_EQ(f["nationality"]["iso_country"], nullptr);
  EXPECT_EQ(f["primary_identifier"], "ERIKSSON");
  EXPECT_EQ(f["secondary_identifier"], "ANNA MARIA");
  EXPECT_EQ(f["name_truncated"], false);
  EXPECT_EQ(f["document_number"], "L898902C3");
  EXPECT_EQ(
      f["birth_date"],
      (json{
          {"raw", "7408XX"}, {"date", "1974-08"}, {"year", 1974}, {"month", 8}, {"day", nullptr}}));
  EXPECT_EQ(f["sex"], "F");
  EXPECT_EQ(f["expiry_date"]["date"], "2012-04-15");
  EXPECT_EQ(f["personal_number"], "ZE184226B");
  EXPECT_FALSE(f.contains("optional_data"));
  EXPECT_EQ(j["lines"].size(), 2U);
}

TEST(MrzJson, ShowsFieldsAndProblemsOfAnInvalidDocument) {
  std::string text = Td3().Build();
  text[45 + 9] = '5';
  const json j = ToJson(Read(text, Today()));
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["fields"]["document_number"], "L898902C3");
  ASSERT_EQ(j["problems"].size(), 2U);
  EXPECT_EQ(j["problems"][0], (json{{"code", "mrz_check_digit"},
                                    {"message", j["problems"][0]["message"]},
                                    {"field", "document_number"},
                                    {"line", 2},
                                    {"column", 10},
                                    {"expected", "6"},
                                    {"found", "5"}}));
}

TEST(MrzJson, ShowsOnlyProblemsAfterAStructuralError) {
  const json j = ToJson(Read("P<UTO\nL898", Today()));
  EXPECT_EQ(j["valid"], false);
  EXPECT_FALSE(j.contains("fields"));
  EXPECT_FALSE(j.contains("format"));
  EXPECT_EQ(j["problems"][0]["code"], "mrz_line_length");
  const json empty = ToJson(Read("", Today()));
  EXPECT_EQ(empty["problems"][0],
            (json{{"code", "mrz_empty"}, {"message", "the input holds no MRZ"}}));
}

TEST(MrzJson, TdOneAndVisaFields) {
  const json td1 = ToJson(Read(testutil::Td1().Build(), Today()));
  EXPECT_EQ(td1["format"], "TD1");
  EXPECT_EQ(td1["fields"]["extended_document_number"], false);
  EXPECT_EQ(td1["fields"]["optional_data"], "");
  EXPECT_EQ(td1["fields"]["optional_data_2"], "");
  EXPECT_FALSE(td1["fields"].contains("personal_number"));
  testutil::TwoLine mrva;
  mrva.width = 44;
  mrva.composite = false;
  mrva.code = "V<";
  const json v = ToJson(Read(mrva.Build(), Today()));
  EXPECT_EQ(v["format"], "MRV-A");
  EXPECT_EQ(v["valid"], true);
}

}  // namespace
}  // namespace ncbnet::mrz
