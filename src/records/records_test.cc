#include "records/records.h"

#include <gtest/gtest.h>

#include "records/records_test_env.h"

namespace ncbnet::records {
namespace {

using access::AgencyKind;

Restrictions Only(std::vector<std::string> countries, bool frontline = true) {
  return {Visibility::kOnly, std::move(countries), frontline};
}

TEST_F(RecordsTest, OwnerCreatesAndEveryoneReads) {
  auto r = Create("SLTD", Passport("12AB34567"), {}, WriterOf(fra_police_, "FRA"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->owner_agency, "ncb-fra");
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(r->changed_by_agency, fra_police_);
  // SLTD reviews every 10 years.
  EXPECT_GT(r->review_ms, clock_.NowMillis() + std::int64_t{3650} * 24 * 3600 * 1000 - 1);
  auto seen = Get("SLTD", r->id, ViewerOf("ncb-deu", "DEU"));
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->fields["number"], "12AB34567");
  EXPECT_EQ(Get("SMV", r->id, ViewerOf("ncb-deu", "DEU")).status().reason(), "record_not_found");
}

TEST_F(RecordsTest, ARestrictedRecordLooksExactlyLikeAMissingOne) {
  auto r = Create("SLTD", Passport("12AB34567"), Only({"DEU"}, false));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(Get("SLTD", r->id, ViewerOf("ncb-deu", "DEU")).ok());
  EXPECT_TRUE(Get("SLTD", r->id, ViewerOf(fra_terminal_, "FRA", AgencyKind::kTerminal)).ok())
      << "the owner's own country always sees it";
  const Status hidden = Get("SLTD", r->id, ViewerOf("ncb-ita", "ITA")).status();
  const Status absent = Get("SLTD", "rec_doesnotexist", ViewerOf("ncb-ita", "ITA")).status();
  EXPECT_EQ(hidden.code(), absent.code());
  EXPECT_EQ(hidden.reason(), absent.reason());
  EXPECT_EQ(hidden.message(), absent.message());
  EXPECT_FALSE(Get("SLTD", r->id, ViewerOf("gs", "", AgencyKind::kGs)).ok());

  auto except = Create("SLTD", Passport("99ZZ00001"), {Visibility::kExcept, {"ITA"}, false});
  ASSERT_TRUE(except.ok());
  EXPECT_TRUE(Get("SLTD", except->id, ViewerOf("gs", "", AgencyKind::kGs)).ok());
  EXPECT_FALSE(Get("SLTD", except->id, ViewerOf("ncb-ita", "ITA")).ok());
  EXPECT_TRUE(Get("SLTD", except->id, ViewerOf("ncb-deu", "DEU")).ok());
  EXPECT_FALSE(Get("SLTD", except->id, ViewerOf("t", "DEU", AgencyKind::kTerminal)).ok());
}

TEST_F(RecordsTest, OnlyTheOwnerChangesARecordAndEveryVersionIsKept) {
  auto r = Create("SLTD", Passport("12AB34567"));
  ASSERT_TRUE(r.ok());
  RecordInput in;
  in.fields = Passport("12AB34567");
  in.fields["status"] = "revoked";
  auto update = [&](const Writer& w, std::int64_t version) {
    Record out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, UpdateRecord(tx, Schema("SLTD"), secret_, w, r->id, version, in,
                                                clock_.NowMillis()));
      return Status::Ok();
    });
    return s.ok() ? Result<Record>(out) : Result<Record>(s);
  };
  EXPECT_EQ(update(WriterOf("ncb-deu", "DEU"), 1).status().reason(), "not_record_owner");
  EXPECT_EQ(update(WriterOf("gs", ""), 1).status().reason(), "not_record_owner");
  EXPECT_EQ(update(WriterOf("ncb-fra", "FRA"), 7).status().reason(), "version_conflict");
  auto v2 = update(WriterOf(fra_police_, "FRA"), 1);
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->fields["status"], "revoked");

  std::vector<Record> versions;
  ASSERT_TRUE(store_
                  ->Read([&](store::Transaction& tx) -> Status {
                    NCBNET_ASSIGN_OR_RETURN(versions, RecordVersions(tx, secret_, "SLTD", r->id,
                                                                     ViewerOf("ncb-fra", "FRA")));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].fields["status"], "stolen");
  EXPECT_EQ(versions[0].changed_by_agency, "ncb-fra");
  EXPECT_EQ(versions[1].fields["status"], "revoked");
  EXPECT_EQ(versions[1].changed_by_agency, fra_police_);
}

TEST_F(RecordsTest, AHiddenRecordCannotBeProbedThroughWrites) {
  auto r = Create("SLTD", Passport("12AB34567"), Only({"DEU"}));
  ASSERT_TRUE(r.ok());
  Status s = Write([&](store::Transaction& tx) {
    return CancelRecord(tx, Schema("SLTD"), secret_, WriterOf("ncb-ita", "ITA"), r->id, 1, "x",
                        clock_.NowMillis())
        .status();
  });
  EXPECT_EQ(s.reason(), "record_not_found");
}

TEST_F(RecordsTest, CancelledRecordsStayWithTheirOwnerOnly) {
  auto r = Create("SLTD", Passport("12AB34567"));
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(Write([&](store::Transaction& tx) {
                return CancelRecord(tx, Schema("SLTD"), secret_, WriterOf("ncb-fra", "FRA"), r->id,
                                    1, "document found", clock_.NowMillis())
                    .status();
              }).ok());
  auto own = Get("SLTD", r->id, ViewerOf("ncb-fra", "FRA"));
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->status, RecordStatus::kCancelled);
  EXPECT_EQ(own->cancel_reason, "document found");
  EXPECT_EQ(Get("SLTD", r->id, ViewerOf("ncb-deu", "DEU")).status().reason(), "record_not_found");
  Status again = Write([&](store::Transaction& tx) {
    return ReviewRecord(tx, Schema("SLTD"), secret_, WriterOf("ncb-fra", "FRA"), r->id, 2,
                        std::nullopt, clock_.NowMillis())
        .status();
  });
  EXPECT_EQ(again.reason(), "record_cancelled");
}

TEST_F(RecordsTest, ExternalIdsMakeCreatesSafeToRetry) {
  RecordInput in;
  in.fields = Passport("12AB34567");
  in.external_id = "FR-SLTD-2026-0001";
  auto create = [&](const Writer& w) {
    return Write([&](store::Transaction& tx) {
      return CreateRecord(tx, Schema("SLTD"), secret_, w, in, clock_.NowMillis()).status();
    });
  };
  ASSERT_TRUE(create(WriterOf("ncb-fra", "FRA")).ok());
  EXPECT_EQ(create(WriterOf(fra_police_, "FRA")).reason(), "record_exists");
  EXPECT_TRUE(create(WriterOf("ncb-deu", "DEU")).ok()) << "another owner's reference space";
  EXPECT_EQ(create(WriterOf("gs", "")).reason(), "no_owner_ncb");
}

TEST_F(RecordsTest, ParsesRecordInput) {
  auto in = ParseRecordInput({{"fields", Passport("1")},
                              {"restrictions", {{"visibility", "only"}, {"countries", {"DEU"}}}},
                              {"review_date", "2030-01-31"},
                              {"action", "Arrest"}});
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(in->restrictions.visibility, Visibility::kOnly);
  EXPECT_TRUE(in->review_ms.has_value());
  EXPECT_EQ(ParseRecordInput({{"fields", {}}, {"bogus", 1}}).status().reason(), "invalid_record");
  EXPECT_EQ(ParseRecordInput({{"fields", {}}, {"review_date", "tomorrow"}}).status().reason(),
            "invalid_record");
  EXPECT_EQ(ParseRecordInput({{"fields", {}}, {"restrictions", {{"visibility", "only"}}}})
                .status()
                .reason(),
            "invalid_restrictions");
  EXPECT_EQ(ParseRecordInput(nlohmann::json::object()).status().reason(), "invalid_record");
}

TEST_F(RecordsTest, ListsOwnRecordsAndThoseDueForReview) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Create("SLTD", Passport("N" + std::to_string(i))).ok());
  ASSERT_TRUE(Create("SLTD", Passport("D1", "DEU"), {}, WriterOf("ncb-deu", "DEU")).ok());
  std::vector<Record> page, due;
  ASSERT_TRUE(store_
                  ->Read([&](store::Transaction& tx) -> Status {
                    NCBNET_ASSIGN_OR_RETURN(page, OwnRecords(tx, secret_, "SLTD", "FRA", 0, 3));
                    NCBNET_ASSIGN_OR_RETURN(
                        due,
                        DueForReview(tx, secret_, "FRA",
                                     clock_.NowMillis() + std::int64_t{11} * 365 * 24 * 3600 * 1000,
                                     100));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(page.size(), 3u);
  EXPECT_LT(page[0].ref, page[1].ref);
  EXPECT_EQ(due.size(), 5u);
}

}  // namespace
}  // namespace ncbnet::records
