#include "records/catalogue.h"

#include <gtest/gtest.h>

#include "access/capabilities.h"

namespace ncbnet::records {
namespace {

TEST(CatalogueTest, BuiltinHasTheEightDatabases) {
  const Catalogue& c = Catalogue::Builtin();
  EXPECT_EQ(c.databases().size(), 8u);
  for (const char* code :
       {"SLTD", "SMV", "NOMINAL", "FIREARMS", "WOA", "SAD", "VESSELS", "NOTICES"}) {
    auto db = c.Find(code);
    ASSERT_TRUE(db.ok()) << code;
    EXPECT_EQ((*db)->code, code);
  }
  EXPECT_EQ((*c.Find("SLTD"))->review_years, 10);
  EXPECT_EQ((*c.Find("SLTD"))->Identifier("document")->kind, IdentifierKind::kDocument);
  EXPECT_EQ((*c.Find("NOMINAL"))->name_fields.front(), "name");
}

TEST(CatalogueTest, NoticesIsAManagedPersonDatabase) {
  const DatabaseSchema& notices = **Catalogue::Builtin().Find("NOTICES");
  EXPECT_TRUE(notices.managed);
  EXPECT_EQ(notices.review_years, 5);
  for (const char* required : {"control_number", "kind", "channel"}) {
    ASSERT_NE(notices.Field(required), nullptr) << required;
    EXPECT_TRUE(notices.Field(required)->required) << required;
  }
  EXPECT_EQ(notices.Field("kind")->values.size(), 9u);
  EXPECT_EQ(notices.Field("channel")->values, (std::vector<std::string>{"notice", "diffusion"}));
  const IdentifierSpec* document = notices.Identifier("document");
  ASSERT_NE(document, nullptr);
  EXPECT_EQ(document->list, "identity_documents");
  EXPECT_EQ(notices.name_fields, (std::vector<std::string>{"name", "name_latin", "aliases"}));
  EXPECT_EQ(notices.dob_field, "date_of_birth");
  EXPECT_EQ(notices.sex_field, "sex");
  EXPECT_EQ(notices.nationality_field, "nationalities");
  // The databases the records API writes are not managed.
  for (const DatabaseSchema& db : Catalogue::Builtin().databases()) {
    EXPECT_EQ(db.managed, db.code == "NOTICES") << db.code;
  }
}

// access/ sits below records/ and keeps its own list of the databases for the capabilities.
TEST(CatalogueTest, AgreesWithTheCapabilitiesDatabases) {
  std::vector<std::string> codes;
  for (const DatabaseSchema& db : Catalogue::Builtin().databases()) {
    codes.push_back(db.code);
    EXPECT_EQ(access::IsManagedDatabase(db.code), db.managed) << db.code;
    EXPECT_TRUE(access::IsKnownCapability("record.check:" + db.code)) << db.code;
    EXPECT_EQ(access::IsKnownCapability("record.write:" + db.code), !db.managed) << db.code;
  }
  EXPECT_EQ(codes, access::DatabaseCodes());
}

TEST(CatalogueTest, ManagedIsReadFromTheJsonAndDefaultsToFalse) {
  auto c = Catalogue::Parse(R"({"databases": [
      {"code": "A", "managed": true, "fields": [{"name": "a", "type": "text"}]},
      {"code": "B", "fields": [{"name": "b", "type": "text"}]}]})");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_TRUE((*c->Find("A"))->managed);
  EXPECT_FALSE((*c->Find("B"))->managed);
  auto bad = Catalogue::Parse(R"({"databases": [
      {"code": "A", "managed": "yes", "fields": [{"name": "a", "type": "text"}]}]})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().reason(), "invalid_catalogue");
  EXPECT_NE(bad.status().message().find("bad \"managed\""), std::string::npos)
      << bad.status().message();
}

TEST(CatalogueTest, UnknownDatabaseIsNotFound) {
  auto db = Catalogue::Builtin().Find("NOPE");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().reason(), "unknown_database");
}

TEST(CatalogueTest, AddingADatabaseIsConfiguration) {
  auto c = Catalogue::Parse(R"({"databases": [{"code": "BOATS", "title": "Stolen boats",
      "fields": [{"name": "hull_id", "type": "text", "required": true},
                 {"name": "flag", "type": "country"}],
      "identifiers": [{"name": "hull", "kind": "imo", "fields": ["hull_id"]}]}]})");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ((*c->Find("BOATS"))->fields.size(), 2u);
}

TEST(CatalogueTest, RejectsBadSchemasNamingTheFault) {
  struct Case {
    const char* json;
    const char* says;
  };
  const Case cases[] = {
      {R"({"databases": []})", "no databases"},
      {R"({"databases": [{"code": "x", "fields": [{"name": "a", "type": "text"}]}]})", "code"},
      {R"({"databases": [{"code": "X", "fields": [{"name": "a", "type": "blob"}]}]})",
       "unknown type"},
      {R"({"databases": [{"code": "X", "fields": [{"name": "a", "type": "enum"}]}]})",
       "needs values"},
      {R"({"databases": [{"code": "X", "fields": [{"name": "a", "type": "text"}],
          "identifiers": [{"name": "i", "kind": "document", "fields": ["a", "b"]}]}]})",
       "no field \"b\""},
      {R"({"databases": [{"code": "X", "fields": [{"name": "a", "type": "text"}],
          "identifiers": [{"name": "i", "kind": "vin", "fields": ["a", "a"]}]}]})",
       "takes 1 field"},
      {R"({"databases": [{"code": "X", "fields": [{"name": "a", "type": "text"}],
          "surprise": 1}]})",
       "unknown key"},
      {R"({"databases": [{"code": "X", "fields": [{"name": "a", "type": "text"},
          {"name": "a", "type": "text"}]}]})",
       "twice"},
      {"not json", "not JSON"},
  };
  for (const Case& c : cases) {
    auto parsed = Catalogue::Parse(c.json);
    ASSERT_FALSE(parsed.ok()) << c.json;
    EXPECT_EQ(parsed.status().reason(), "invalid_catalogue");
    EXPECT_NE(parsed.status().message().find(c.says), std::string::npos)
        << parsed.status().message();
  }
}

}  // namespace
}  // namespace ncbnet::records
