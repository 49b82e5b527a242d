#include "records/record_fields.h"

#include <gtest/gtest.h>

namespace ncbnet::records {
namespace {

using nlohmann::json;

const DatabaseSchema& Schema(const char* code) { return **Catalogue::Builtin().Find(code); }

TEST(RecordFieldsTest, CanonicalisesAValidRecord) {
  auto f = ValidateFields(Schema("SLTD"), {{"number", " ab 12-34567 "},
                                           {"issuing_country", "fra"},
                                           {"document_type", "passport"},
                                           {"status", "stolen"},
                                           {"event_date", "2026-02-29"}});
  EXPECT_FALSE(f.ok());  // 2026 is not a leap year
  f = ValidateFields(Schema("SLTD"), {{"number", " ab 12-34567 "},
                                      {"issuing_country", "fra"},
                                      {"document_type", "passport"},
                                      {"status", "stolen"},
                                      {"event_place", ""}});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ((*f)["number"], "ab 12-34567");
  EXPECT_EQ((*f)["issuing_country"], "FRA");
  EXPECT_FALSE(f->contains("event_place"));
  auto ids = ExtractIdentifiers(Schema("SLTD"), *f);
  ASSERT_TRUE(ids.ok());
  ASSERT_EQ(ids->size(), 1u);
  EXPECT_EQ((*ids)[0], (NormalisedIdentifier{"document", "FRA:AB1234567"}));
}

TEST(RecordFieldsTest, RejectsWithStableCodesNamingTheField) {
  struct Case {
    const char* db;
    json fields;
    const char* reason;
    const char* names;
  };
  const json passport = {{"number", "X1"},
                         {"issuing_country", "FRA"},
                         {"document_type", "passport"},
                         {"status", "stolen"}};
  auto with = [&](const char* key, json value) {
    json j = passport;
    j[key] = std::move(value);
    return j;
  };
  json missing = passport;
  missing.erase("status");
  const Case cases[] = {
      {"SLTD", json::array(), "invalid_record", "fields"},
      {"SLTD", with("colour", "red"), "unknown_field", "colour"},
      {"SLTD", missing, "missing_field", "status"},
      {"SLTD", with("status", "misplaced"), "invalid_field", "status"},
      {"SLTD", with("event_date", "2026-13-01"), "invalid_field", "event_date"},
      {"SLTD", with("issuing_country", "France"), "invalid_field", "issuing_country"},
      {"SLTD", with("number", "AB#12"), "invalid_document_number", ""},
      {"SLTD", with("event_place", std::string("a\x01z")), "invalid_field", "event_place"},
      {"SLTD", with("event_place", std::string(201, 'x')), "invalid_field", "event_place"},
      {"SMV",
       {{"make", "Renault"}, {"vin", "1M8GDM9AXKP042788"}, {"year", 1700}},
       "invalid_field",
       "year"},
      {"SMV", {{"make", "Ford"}, {"vin", "1M8GDM9A1KP042788"}}, "invalid_vin", ""},
      {"NOMINAL",
       {{"name", "A"}, {"identity_documents", {{{"number", "1"}}}}},
       "missing_field",
       "identity_documents[0].issuing_country"},
      {"SAD",
       {{"issuing_country", "FRA"},
        {"document_type", "licence"},
        {"series", "A"},
        {"number_from", 10},
        {"number_to", 5}},
       "invalid_field",
       "number_from"},
      {"VESSELS", {{"imo", "IMO 9074728"}, {"name", "X"}}, "invalid_imo", ""},
  };
  for (const Case& c : cases) {
    auto f = ValidateFields(Schema(c.db), c.fields);
    ASSERT_FALSE(f.ok()) << c.fields.dump();
    EXPECT_EQ(f.status().reason(), c.reason) << c.fields.dump() << " " << f.status().ToString();
    EXPECT_NE(f.status().message().find(c.names), std::string::npos) << f.status().ToString();
  }
}

TEST(RecordFieldsTest, EveryIdentifierOfAPersonsDocumentsAndNames) {
  const json person = {{"name", "Алексей Иванов"},
                       {"name_latin", "Aleksei Ivanov"},
                       {"aliases", {"Alex Ivanoff", "Aleksei Ivanov"}},
                       {"identity_documents",
                        {{{"number", "75 1234567"}, {"issuing_country", "rus"}},
                         {{"number", "751234567"}, {"issuing_country", "RUS"}},
                         {{"number", "C01X00T47"}, {"issuing_country", "DEU"}}}}};
  auto f = ValidateFields(Schema("NOMINAL"), person);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto ids = ExtractIdentifiers(Schema("NOMINAL"), *f);
  ASSERT_TRUE(ids.ok());
  ASSERT_EQ(ids->size(), 2u);  // the two spellings of the Russian passport are one
  EXPECT_EQ((*ids)[0].value, "RUS:751234567");
  EXPECT_EQ((*ids)[1].value, "DEU:C01X00T47");
  const auto names = ExtractNames(Schema("NOMINAL"), *f);
  ASSERT_EQ(names.size(), 3u);  // the alias equal to the Latin name is given once
  EXPECT_EQ(names[0], "Алексей Иванов");
}

TEST(RecordFieldsTest, NormalisesCheckIdentifiers) {
  const DatabaseSchema& smv = Schema("SMV");
  auto plate = NormaliseIdentifier(*smv.Identifier("plate"),
                                   {{"plate", "ab-123-cd"}, {"plate_country", "fra"}});
  ASSERT_TRUE(plate.ok()) << plate.status().ToString();
  EXPECT_EQ(*plate, "FRA:AB123CD");
  auto missing = NormaliseIdentifier(*smv.Identifier("plate"), {{"plate", "AB123CD"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().reason(), "missing_field");
  auto vin = NormaliseIdentifier(*smv.Identifier("vin"), {{"vin", "1m8gdm9axkp042788"}});
  ASSERT_TRUE(vin.ok()) << vin.status().ToString();
  EXPECT_EQ(*vin, "1M8GDM9AXKP042788");
}

}  // namespace
}  // namespace ncbnet::records
