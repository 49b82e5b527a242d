// Record versions edited in the store without the key (docs/records.md, "Integrity").
#include <gtest/gtest.h>

#include "records/record_indexes.h"
#include "records/records.h"
#include "records/records_test_env.h"

namespace ncbnet::records {
namespace {

class RecordIntegrityTest : public RecordsTest {
 protected:
  void Sql(const std::string& sql, const std::vector<store::Value>& params = {}) {
    ASSERT_TRUE(Write([&](store::Transaction& tx) { return tx.Exec(sql, params).status(); }).ok());
  }

  Result<std::vector<Record>> Versions(const std::string& id) {
    std::vector<Record> out;
    Status s = store_->Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out,
                              RecordVersions(tx, secret_, "SLTD", id, ViewerOf("ncb-fra", "FRA")));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<Record>> Export() {
    std::vector<Record> out;
    Status s = store_->Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, OwnRecords(tx, secret_, "SLTD", "FRA", 0, 100));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Status ByRef(std::int64_t ref) {
    return store_->Read(
        [&](store::Transaction& tx) { return RecordsByRef(tx, secret_, {ref}).status(); });
  }
};

// A row whose MAC verifies but whose status or visibility the code does not know (a bug, or a
// later version's value) is refused for that record, never read as active or visible to all.
TEST_F(RecordIntegrityTest, AnUnknownStoredStatusOrVisibilityIsRefusedNotWidened) {
  for (const char* edit : {"UPDATE records SET visibility = 'everyone', mac = '' WHERE id = ?",
                           "UPDATE records SET status = 'archived', mac = '' WHERE id = ?"}) {
    SCOPED_TRACE(edit);
    auto r = Create("SLTD", Passport("12AB34567"), {Visibility::kOnly, {"DEU"}, true});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    Sql(edit, {r->id});
    // Sealed again as the hub seals rows older than the MACs: the MAC now covers the value.
    ASSERT_TRUE(Write([&](store::Transaction& tx) {
                  return SealUnsealedVersions(tx, secret_).status();
                }).ok());
    for (const auto& viewer : {ViewerOf("ncb-fra", "FRA"), ViewerOf("ncb-ita", "ITA")}) {
      const Status read = Get("SLTD", r->id, viewer).status();
      EXPECT_EQ(read.reason(), "record_undecodable") << viewer.country;
    }
    auto listed = Export();
    ASSERT_TRUE(listed.ok()) << listed.status().ToString();
    bool damaged = false;
    for (const Record& x : *listed) damaged |= x.id == r->id && x.damaged == "record_undecodable";
    EXPECT_TRUE(damaged) << "the export lists it as damaged and goes on";
  }
}

TEST_F(RecordIntegrityTest, EveryEditOfAStoredVersionIsCaughtOnRead) {
  const std::vector<std::pair<std::string, std::vector<store::Value>>> edits = {
      {"UPDATE records SET visibility = 'all', countries = '' WHERE id = ?", {}},
      {"UPDATE records SET fields = replace(fields, '12AB34567', '99ZZ99999') WHERE id = ?", {}},
      {"UPDATE records SET owner_country = 'DEU', owner_agency = 'ncb-deu' WHERE id = ?", {}},
      {"UPDATE records SET status = 'cancelled' WHERE id = ?", {}},
      {"UPDATE records SET keys = x'00' WHERE id = ?", {}},
      {"UPDATE records SET fields = '{\"number\": ' WHERE id = ?", {}},
      {"UPDATE records SET mac = '' WHERE id = ?", {}},
  };
  for (const auto& [sql, unused] : edits) {
    auto r = Create("SLTD", Passport("12AB34567"), {Visibility::kOnly, {"DEU"}, true});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_TRUE(Get("SLTD", r->id, ViewerOf("ncb-fra", "FRA")).ok());
    Sql(sql, {r->id});
    SCOPED_TRACE(sql);
    const Status read = Get("SLTD", r->id, ViewerOf("ncb-fra", "FRA")).status();
    EXPECT_EQ(read.code(), StatusCode::kDataLoss);
    EXPECT_EQ(read.reason(), "record_tampered");
    EXPECT_EQ(ByRef(r->ref).reason(), "record_tampered") << "a check fails closed";
    EXPECT_EQ(Versions(r->id).status().reason(), "record_tampered");
  }
}

TEST_F(RecordIntegrityTest, AnExportListsATamperedVersionAndGoesOn) {
  auto a = Create("SLTD", Passport("11AA11111"));
  auto b = Create("SLTD", Passport("22BB22222"));
  ASSERT_TRUE(a.ok() && b.ok());
  Sql("UPDATE records SET action = 'Let the bearer pass' WHERE id = ?", {a->id});
  auto page = Export();
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->size(), 2U);
  EXPECT_EQ((*page)[0].damaged, "record_tampered");
  EXPECT_EQ(RecordJson((*page)[0]),
            (nlohmann::json{{"id", a->id}, {"damaged", "record_tampered"}}));
  EXPECT_EQ((*page)[1].damaged, "");
  EXPECT_EQ((*page)[1].fields["number"], "22BB22222");
}

TEST_F(RecordIntegrityTest, SupersededVersionsKeepTheirMacs) {
  auto r = Create("SLTD", Passport("12AB34567"));
  ASSERT_TRUE(r.ok());
  RecordInput in;
  in.fields = Passport("12AB34568");
  in.action = "Seize";
  ASSERT_TRUE(Write([&](store::Transaction& tx) {
                return UpdateRecord(tx, Schema("SLTD"), secret_, WriterOf("ncb-fra", "FRA"), r->id,
                                    1, in, clock_.NowMillis())
                    .status();
              }).ok());
  auto versions = Versions(r->id);
  ASSERT_TRUE(versions.ok()) << versions.status().ToString();
  ASSERT_EQ(versions->size(), 2U);
  EXPECT_EQ((*versions)[0].fields["number"], "12AB34567");
  Sql("UPDATE record_history SET fields = replace(fields, '12AB34567', '12AB00000')"
      " WHERE ref = ?",
      {r->ref});
  EXPECT_EQ(Versions(r->id).status().reason(), "record_tampered");
  EXPECT_TRUE(Get("SLTD", r->id, ViewerOf("ncb-fra", "FRA")).ok()) << "the current one is sound";
}

TEST_F(RecordIntegrityTest, RowsWrittenBeforeMacsAreSealedOnceThenRead) {
  auto r = Create("SLTD", Passport("12AB34567"));
  ASSERT_TRUE(r.ok());
  Sql("UPDATE records SET mac = ''");  // as migration 13 leaves older rows
  EXPECT_EQ(Get("SLTD", r->id, ViewerOf("ncb-fra", "FRA")).status().reason(), "record_tampered");
  std::int64_t sealed = 0;
  ASSERT_TRUE(Write([&](store::Transaction& tx) -> Status {
                NCBNET_ASSIGN_OR_RETURN(sealed, SealUnsealedVersions(tx, secret_));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(sealed, 1);
  EXPECT_TRUE(Get("SLTD", r->id, ViewerOf("ncb-fra", "FRA")).ok());
}

TEST_F(RecordIntegrityTest, ARebuiltIndexCountsTamperedVersionsAndStillFindsThem) {
  auto r = Create("SLTD", Passport("12AB34567"));
  ASSERT_TRUE(r.ok());
  Sql("UPDATE records SET action = 'Let the bearer pass' WHERE id = ?", {r->id});
  RecordIndexes indexes(Catalogue::Builtin(), secret_);
  ASSERT_TRUE(indexes.Build(*store_).ok());
  EXPECT_EQ(indexes.tampered_versions(), 1);
  EXPECT_EQ(indexes.records(), 1);
}

TEST_F(RecordIntegrityTest, AnotherKeyReadsNothing) {
  auto r = Create("SLTD", Passport("12AB34567"));
  ASSERT_TRUE(r.ok());
  auto other = DeriveIndexSecret(std::string(32, 'Q'));
  ASSERT_TRUE(other.ok());
  const Status read = store_->Read([&](store::Transaction& tx) {
    return GetRecord(tx, *other, "SLTD", r->id, ViewerOf("ncb-fra", "FRA")).status();
  });
  EXPECT_EQ(read.reason(), "record_tampered");
}

}  // namespace
}  // namespace ncbnet::records
