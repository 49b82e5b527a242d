#include "apps/ncbnet/demo_records.h"

#include <map>
#include <set>

#include <gtest/gtest.h>

#include "index/identifiers.h"
#include "records/catalogue.h"

namespace ncbnet::apps {
namespace {

TEST(DemoRecords, AreTheSameOnEveryRun) {
  const std::vector<DemoRecord> a = DemoRecords();
  const std::vector<DemoRecord> b = DemoRecords();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].input.fields, b[i].input.fields) << i;
    EXPECT_EQ(a[i].input.restrictions, b[i].input.restrictions) << i;
  }
}

TEST(DemoRecords, FillEveryDatabaseWithValidIdentifiersFromSeveralOwners) {
  std::map<std::string, int> per_database;
  std::set<std::string> owners;
  int restricted = 0;
  for (const DemoRecord& r : DemoRecords()) {
    ++per_database[r.database];
    owners.insert(r.owner_country);
    if (r.input.restrictions != records::Restrictions{}) ++restricted;
    const nlohmann::json& f = r.input.fields;
    if (r.database == "SMV") {
      const std::string vin = f.at("vin").get<std::string>();
      const bool north_american = vin[0] >= '1' && vin[0] <= '5';
      EXPECT_TRUE(index::NormaliseVin(vin, north_american).ok()) << vin;
      if (north_american) {
        EXPECT_EQ(vin[8], index::VinCheckDigit(vin)) << vin;
      }
    }
    if (r.database == "VESSELS") {
      EXPECT_TRUE(index::NormaliseImo(f.at("imo").get<std::string>()).ok()) << f.dump();
    }
    if (r.database == "SLTD") {
      EXPECT_TRUE(index::NormaliseDocumentNumber(f.at("number").get<std::string>()).ok())
          << f.dump();
    }
  }
  for (const records::DatabaseSchema& db : records::Catalogue::Builtin().databases()) {
    // A managed database (NOTICES) is filled by its service: the demo's notices.
    if (db.managed) {
      EXPECT_EQ(per_database[db.code], 0) << db.code;
    } else {
      EXPECT_GT(per_database[db.code], 0) << db.code;
    }
  }
  EXPECT_GE(per_database["SLTD"], 3000);
  EXPECT_GE(owners.size(), 10u);
  EXPECT_GT(restricted, 10);
}

TEST(DemoChecks, NameShowcaseRecords) {
  const std::vector<DemoCheck> checks = DemoChecks();
  ASSERT_GE(checks.size(), 3u);
  int matches = 0;
  for (const DemoCheck& c : checks) matches += c.expect == "MATCH" ? 1 : 0;
  EXPECT_GE(matches, 2);
  EXPECT_LT(matches, static_cast<int>(checks.size()));  // one shows a restriction
}

}  // namespace
}  // namespace ncbnet::apps
