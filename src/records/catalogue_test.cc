#include "records/catalogue.h"

#include <gtest/gtest.h>

namespace ncbnet::records {
namespace {

TEST(CatalogueTest, BuiltinHasTheSevenDatabases) {
  const Catalogue& c = Catalogue::Builtin();
  for (const char* code : {"SLTD", "SMV", "NOMINAL", "FIREARMS", "WOA", "SAD", "VESSELS"}) {
    auto db = c.Find(code);
    ASSERT_TRUE(db.ok()) << code;
    EXPECT_EQ((*db)->code, code);
  }
  EXPECT_EQ((*c.Find("SLTD"))->review_years, 10);
  EXPECT_EQ((*c.Find("SLTD"))->Identifier("document")->kind, IdentifierKind::kDocument);
  EXPECT_EQ((*c.Find("NOMINAL"))->name_fields.front(), "name");
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
