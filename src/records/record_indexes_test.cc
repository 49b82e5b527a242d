#include "records/record_indexes.h"

#include <gtest/gtest.h>

#include "records/record_fields.h"
#include "records/records_test_env.h"

namespace ncbnet::records {
namespace {

using access::AgencyKind;
constexpr std::int64_t kDayMs = std::int64_t{24} * 3600 * 1000;

class RecordIndexesTest : public RecordsTest {
 protected:
  void SetUp() override {
    RecordsTest::SetUp();
    indexes_ = std::make_unique<RecordIndexes>(Catalogue::Builtin(), secret_);
    ASSERT_TRUE(indexes_->Build(*store_).ok());
  }

  std::vector<std::int64_t> Check(const std::string& number, const Viewer& v,
                                  const std::string& country = "FRA") {
    EXPECT_TRUE(indexes_->CatchUp(*store_).ok());
    auto id = NormaliseIdentifier(*Schema("SLTD").Identifier("document"),
                                  {{"number", number}, {"issuing_country", country}});
    EXPECT_TRUE(id.ok());
    return indexes_->Match({"SLTD", *id, std::nullopt, "document"}, v, clock_.NowMillis());
  }

  std::unique_ptr<RecordIndexes> indexes_;
};

TEST_F(RecordIndexesTest, MatchesFollowEveryChange) {
  auto r = Create("SLTD", Passport("12AB34567"));
  ASSERT_TRUE(r.ok());
  const Viewer deu = ViewerOf("ncb-deu", "DEU");
  EXPECT_EQ(Check("12 ab 34567", deu), std::vector<std::int64_t>{r->ref});
  EXPECT_TRUE(Check("12AB34568", deu).empty());
  EXPECT_TRUE(Check("12AB34567", deu, "DEU").empty()) << "another issuing country";

  RecordInput in;
  in.fields = Passport("77XY00001");
  in.restrictions = {Visibility::kExcept, {"DEU"}, true};
  ASSERT_TRUE(Write([&](store::Transaction& tx) {
                return UpdateRecord(tx, Schema("SLTD"), secret_, WriterOf("ncb-fra", "FRA"), r->id,
                                    1, in, clock_.NowMillis())
                    .status();
              }).ok());
  EXPECT_TRUE(Check("12AB34567", ViewerOf("ncb-ita", "ITA")).empty()) << "the old number left";
  EXPECT_EQ(Check("77XY00001", ViewerOf("ncb-ita", "ITA")).size(), 1u);
  EXPECT_TRUE(Check("77XY00001", deu).empty()) << "now restricted from Germany";

  ASSERT_TRUE(Write([&](store::Transaction& tx) {
                return CancelRecord(tx, Schema("SLTD"), secret_, WriterOf("ncb-fra", "FRA"), r->id,
                                    2, "found", clock_.NowMillis())
                    .status();
              }).ok());
  EXPECT_TRUE(Check("77XY00001", ViewerOf("ncb-ita", "ITA")).empty()) << "cancelled";
  EXPECT_TRUE(Check("77XY00001", ViewerOf("ncb-fra", "FRA")).empty());
}

TEST_F(RecordIndexesTest, FrontlineRestrictionHidesFromTerminals) {
  ASSERT_TRUE(Create("SLTD", Passport("12AB34567"), {Visibility::kAll, {}, false}).ok());
  EXPECT_TRUE(Check("12AB34567", ViewerOf("t", "DEU", AgencyKind::kTerminal)).empty());
  EXPECT_EQ(Check("12AB34567", ViewerOf("ncb-deu", "DEU")).size(), 1u);
  EXPECT_EQ(Check("12AB34567", ViewerOf(fra_terminal_, "FRA", AgencyKind::kTerminal)).size(), 1u);
}

TEST_F(RecordIndexesTest, PastItsReviewDateARecordStopsMatchingUntilReviewed) {
  auto r = Create("SLTD", Passport("12AB34567"));
  ASSERT_TRUE(r.ok());
  clock_.Advance(std::chrono::milliseconds(3653 * kDayMs));
  EXPECT_TRUE(Check("12AB34567", ViewerOf("ncb-deu", "DEU")).empty());
  ASSERT_TRUE(Write([&](store::Transaction& tx) {
                return ReviewRecord(tx, Schema("SLTD"), secret_, WriterOf("ncb-fra", "FRA"), r->id,
                                    1, std::nullopt, clock_.NowMillis())
                    .status();
              }).ok());
  EXPECT_EQ(Check("12AB34567", ViewerOf("ncb-deu", "DEU")).size(), 1u);
}

TEST_F(RecordIndexesTest, SeriesMatchTheirNumberRange) {
  auto r = Create("SAD", {{"issuing_country", "FRA"},
                          {"document_type", "vehicle registration certificate"},
                          {"series", "CR-2024"},
                          {"number_from", 1000},
                          {"number_to", 1999}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(indexes_->CatchUp(*store_).ok());
  auto id = NormaliseIdentifier(*Schema("SAD").Identifier("series"),
                                {{"issuing_country", "fra"}, {"series", "cr 2024"}});
  ASSERT_TRUE(id.ok());
  const Viewer v = ViewerOf("ncb-deu", "DEU");
  EXPECT_EQ(indexes_->Match({"SAD", *id, 1500, "series"}, v, clock_.NowMillis()).size(), 1u);
  EXPECT_TRUE(indexes_->Match({"SAD", *id, 2000, "series"}, v, clock_.NowMillis()).empty());
}

TEST_F(RecordIndexesTest, ARebuildAgreesWithTheCaughtUpIndex) {
  std::vector<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    auto r = Create("SLTD", Passport("P" + std::to_string(i)));
    ASSERT_TRUE(r.ok());
    ids.push_back(r->id);
  }
  for (int i = 0; i < 50; i += 3) {
    ASSERT_TRUE(Write([&](store::Transaction& tx) {
                  return CancelRecord(tx, Schema("SLTD"), secret_, WriterOf("ncb-fra", "FRA"),
                                      ids[i], 1, "found", clock_.NowMillis())
                      .status();
                }).ok());
  }
  std::vector<std::vector<std::int64_t>> before;
  for (int i = 0; i < 50; ++i)
    before.push_back(Check("P" + std::to_string(i), ViewerOf("ncb-deu", "DEU")));
  RecordIndexes rebuilt(Catalogue::Builtin(), secret_);
  ASSERT_TRUE(rebuilt.Build(*store_).ok());
  EXPECT_EQ(rebuilt.records(), 50);
  EXPECT_EQ(rebuilt.feed_position(), indexes_->feed_position());
  indexes_ = std::make_unique<RecordIndexes>(Catalogue::Builtin(), secret_);
  ASSERT_TRUE(indexes_->Build(*store_).ok());
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(Check("P" + std::to_string(i), ViewerOf("ncb-deu", "DEU")), before[i]) << i;
    EXPECT_EQ(before[i].empty(), i % 3 == 0);
  }
}

}  // namespace
}  // namespace ncbnet::records

namespace ncbnet::records {
namespace {

TEST_F(RecordIndexesTest, ASnapshotPlusTheFeedSinceEqualsTheStore) {
  std::vector<std::string> ids;
  for (int i = 0; i < 30; ++i) {
    auto r = Create("SLTD", Passport("S" + std::to_string(i)),
                    i % 4 == 1 ? Restrictions{Visibility::kOnly, {"ITA"}, true} : Restrictions{});
    ASSERT_TRUE(r.ok());
    ids.push_back(r->id);
  }
  ASSERT_TRUE(Create("SAD", {{"issuing_country", "FRA"},
                             {"document_type", "x"},
                             {"series", "Q"},
                             {"number_from", 1},
                             {"number_to", 9}})
                  .ok());
  ASSERT_TRUE(indexes_->CatchUp(*store_).ok());
  const std::string dir = dir_.File("indexes");
  ASSERT_TRUE(indexes_->Save(dir).ok());
  // Changes after the snapshot: a cancellation and a new record.
  ASSERT_TRUE(Write([&](store::Transaction& tx) {
                return CancelRecord(tx, Schema("SLTD"), secret_, WriterOf("ncb-fra", "FRA"), ids[0],
                                    1, "found", clock_.NowMillis())
                    .status();
              }).ok());
  ASSERT_TRUE(Create("SLTD", Passport("S-NEW")).ok());

  RecordIndexes loaded(Catalogue::Builtin(), secret_);
  ASSERT_TRUE(loaded.Load(dir).ok());
  EXPECT_EQ(loaded.records(), 31);
  ASSERT_TRUE(loaded.CatchUp(*store_).ok());
  EXPECT_EQ(loaded.feed_position(), indexes_->feed_position() + 2);
  ASSERT_TRUE(indexes_->CatchUp(*store_).ok());
  for (const char* country : {"DEU", "ITA"}) {
    const Viewer v = ViewerOf("x", country);
    for (int i = 0; i < 30; ++i) {
      auto id =
          NormaliseIdentifier(*Schema("SLTD").Identifier("document"),
                              {{"number", "S" + std::to_string(i)}, {"issuing_country", "FRA"}});
      const IdentifierQuery q{"SLTD", *id, std::nullopt, "document"};
      EXPECT_EQ(loaded.Match(q, v, clock_.NowMillis()), indexes_->Match(q, v, clock_.NowMillis()))
          << i << country;
    }
  }
  auto fresh = NormaliseIdentifier(*Schema("SLTD").Identifier("document"),
                                   {{"number", "S-NEW"}, {"issuing_country", "FRA"}});
  EXPECT_EQ(loaded
                .Match({"SLTD", *fresh, std::nullopt, "document"}, ViewerOf("x", "DEU"),
                       clock_.NowMillis())
                .size(),
            1u);
  auto series = NormaliseIdentifier(*Schema("SAD").Identifier("series"),
                                    {{"series", "Q"}, {"issuing_country", "FRA"}});
  EXPECT_EQ(
      loaded.Match({"SAD", *series, 5, "series"}, ViewerOf("x", "DEU"), clock_.NowMillis()).size(),
      1u);
}

TEST_F(RecordIndexesTest, ADamagedOrForeignSnapshotIsRefused) {
  ASSERT_TRUE(Create("SLTD", Passport("S1")).ok());
  ASSERT_TRUE(indexes_->CatchUp(*store_).ok());
  const std::string dir = dir_.File("indexes");
  RecordIndexes other(Catalogue::Builtin(), secret_);
  EXPECT_EQ(other.Load(dir).reason(), "snapshot_missing");
  ASSERT_TRUE(indexes_->Save(dir).ok());
  ASSERT_TRUE(other.Load(dir).ok());

  auto foreign_secret = DeriveIndexSecret(std::string(32, 'Z'));
  RecordIndexes foreign(Catalogue::Builtin(), *foreign_secret);
  EXPECT_EQ(foreign.Load(dir).reason(), "snapshot_corrupt");

  const std::string meta = dir + "/meta-" + std::to_string(indexes_->feed_position()) + ".bin";
  std::FILE* f = std::fopen(meta.c_str(), "r+b");
  ASSERT_NE(f, nullptr);
  std::fseek(f, 80, SEEK_SET);
  std::fputc('!', f);
  std::fclose(f);
  EXPECT_EQ(other.Load(dir).reason(), "snapshot_corrupt");
}

}  // namespace
}  // namespace ncbnet::records

namespace ncbnet::records {
namespace {

nlohmann::json Person(const std::string& name, const std::string& latin, const std::string& dob) {
  return {{"name", name},
          {"name_latin", latin},
          {"date_of_birth", dob},
          {"sex", "M"},
          {"nationalities", {"RUS"}}};
}

TEST_F(RecordIndexesTest, NameSearchSeesOnlyWhatTheViewerMaySee) {
  auto visible = Create("NOMINAL", Person("Алексей Иванов", "Aleksei Ivanov", "1980-05-17"));
  auto hidden = Create("NOMINAL", Person("Алексей Иванов", "Aleksei Ivanov", "1980-05-17"),
                       Restrictions{Visibility::kOnly, {"DEU"}, true});
  ASSERT_TRUE(visible.ok() && hidden.ok()) << visible.status().ToString();
  ASSERT_TRUE(indexes_->CatchUp(*store_).ok());
  const DatabaseSchema& nominal = Schema("NOMINAL");
  index::NameQuery q;
  q.name = "Aleksey Ivanov";
  q.date_of_birth = "1980-05-17";
  auto refs = [&](const Viewer& v) {
    std::vector<std::int64_t> out;
    auto hits = indexes_->SearchNames(nominal, q, v, clock_.NowMillis());
    EXPECT_TRUE(hits.ok()) << hits.status().ToString();
    for (const index::NameHit& h : *hits) out.push_back(static_cast<std::int64_t>(h.ref));
    return out;
  };
  EXPECT_EQ(refs(ViewerOf("ncb-ita", "ITA")), std::vector<std::int64_t>{visible->ref});
  EXPECT_EQ(refs(ViewerOf("ncb-deu", "DEU")).size(), 2u);
  EXPECT_EQ(indexes_->SearchNames(Schema("SLTD"), q, ViewerOf("x", "DEU"), 0).status().reason(),
            "no_name_search");

  ASSERT_TRUE(Write([&](store::Transaction& tx) {
                return CancelRecord(tx, nominal, secret_, WriterOf("ncb-fra", "FRA"), visible->id,
                                    1, "arrested", clock_.NowMillis())
                    .status();
              }).ok());
  ASSERT_TRUE(indexes_->CatchUp(*store_).ok());
  EXPECT_TRUE(refs(ViewerOf("ncb-ita", "ITA")).empty()) << "cancelled: no longer found";

  // A snapshot holds no names: they come back from the store.
  const std::string dir = dir_.File("indexes");
  ASSERT_TRUE(indexes_->Save(dir).ok());
  indexes_ = std::make_unique<RecordIndexes>(Catalogue::Builtin(), secret_);
  ASSERT_TRUE(indexes_->Load(dir).ok());
  ASSERT_TRUE(indexes_->LoadNames(*store_).ok());
  EXPECT_EQ(refs(ViewerOf("ncb-deu", "DEU")), std::vector<std::int64_t>{hidden->ref});
}

TEST_F(RecordIndexesTest, NamesThatCannotBeSearchedAreRefusedOnWrite) {
  auto r = Create("NOMINAL", {{"name", "1234 5678"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "invalid_field");
}

}  // namespace
}  // namespace ncbnet::records
