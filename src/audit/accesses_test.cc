#include "audit/accesses.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet::audit {
namespace {

class AccessesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::OpenSqliteStore(dir_.File("audit.db")).value();
    ASSERT_TRUE(store_->Write([&](store::Transaction& tx) { return Anchor(tx, key_); }).ok());
  }

  // A request of `agency` that touched `accesses`; returns its own entry.
  AuditEntry Request(const std::string& agency, const std::vector<Access>& accesses) {
    AuditEntry request;
    request.time_ms = 1'790'000'000'000 + ++requests_;
    request.request_id = "req-" + std::to_string(requests_);
    request.user_id = "usr-" + agency;
    request.agency_id = agency;
    request.source = "198.51.100.7";
    request.action = "GET /v1/checks/{db}";
    request.object = "SLTD checked 1, matched 0";
    request.outcome = "ok";
    AuditEntry appended;
    EXPECT_TRUE(store_
                    ->Write([&](store::Transaction& tx) -> Status {
                      NCBNET_ASSIGN_OR_RETURN(appended, Append(tx, key_, request));
                      return AppendAccesses(tx, key_, appended, accesses);
                    })
                    .ok());
    return appended;
  }

  std::vector<AuditEntry> List(const std::vector<std::string>& owners, std::int64_t after,
                               int limit) {
    std::vector<AuditEntry> out;
    EXPECT_TRUE(store_
                    ->Read([&](store::Transaction& tx) -> Status {
                      NCBNET_ASSIGN_OR_RETURN(out, ListAccesses(tx, owners, after, limit));
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }

  testutil::TempDir dir_;
  crypto::SigningKey key_ = crypto::SigningKey::Generate();
  std::unique_ptr<store::Store> store_;
  int requests_ = 0;
};

TEST_F(AccessesTest, AnAccessEntryIsTheOwnersAndFollowsItsRequest) {
  const AuditEntry request =
      Request("ncb-deu", {{kAccessCheck, "ncb-fra", "SLTD", "rec_1", true, 0}});
  const std::vector<AuditEntry> listed = List({"ncb-fra"}, 0, 10);
  ASSERT_EQ(listed.size(), 1u);
  const AuditEntry& e = listed[0];
  EXPECT_EQ(e.seq, request.seq + 1);
  EXPECT_EQ(e.agency_id, "ncb-fra");
  EXPECT_EQ(e.action, "access check");
  EXPECT_EQ(e.object, "SLTD rec_1; by ncb-deu");
  EXPECT_EQ(e.outcome, "hidden");
  EXPECT_EQ(e.request_id, request.request_id);
  EXPECT_EQ(e.user_id, request.user_id);
  EXPECT_EQ(e.source, request.source);
  EXPECT_EQ(e.time_ms, request.time_ms);
  EXPECT_TRUE(List({"ncb-deu"}, 0, 10).empty());  // the checker has none
}

TEST_F(AccessesTest, ListsEveryKindInOrderPagedAndOnlyTheOwners) {
  Request("ncb-deu", {{kAccessCheck, "ncb-fra", "SLTD", "rec_1", false, 0},
                      {kAccessCheck, "ncb-ita", "SLTD", "rec_2", false, 0}});
  Request("ncb-ita", {{kAccessRead, "ncb-fra", "SLTD", "rec_1", false, 0}});
  Request("ncb-fra", {});
  Request("term-1",
          {{kAccessReplica, "ncb-fra", "SLTD", "2 records in replica r1 snapshot to 9", false, 0}});
  Request("ncb-fra", {{kAccessExport, "ncb-fra", "SLTD", "1 records after ref 0", false, 0}});
  const std::vector<AuditEntry> all = List({"ncb-fra"}, 0, 100);
  std::vector<std::string> actions;
  for (const AuditEntry& e : all) actions.push_back(e.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"access check", "access read", "access replica",
                                               "access export"}));
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].seq, all[i].seq);
  const std::vector<AuditEntry> first = List({"ncb-fra"}, 0, 2);
  ASSERT_EQ(first.size(), 2u);
  const std::vector<AuditEntry> rest = List({"ncb-fra"}, first.back().seq, 2);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].seq, all[2].seq);
  EXPECT_EQ(List({"ncb-fra", "ncb-ita"}, 0, 100).size(), 5u);
  EXPECT_TRUE(List({}, 0, 100).empty());
}

TEST_F(AccessesTest, RefusesALimitOrAgencyListOutOfBounds) {
  Request("ncb-deu", {{kAccessCheck, "ncb-fra", "SLTD", "rec_1", false, 0}});
  const std::vector<std::string> too_many(kMaxListAgencies + 1, "ncb-fra");
  for (const auto& [owners, limit] : std::vector<std::pair<std::vector<std::string>, int>>{
           {{"ncb-fra"}, 0}, {{"ncb-fra"}, -1}, {{"ncb-fra"}, kMaxListLimit + 1}, {too_many, 10}}) {
    Status refused = store_->Read([&](store::Transaction& tx) -> Status {
      return ListAccesses(tx, owners, 0, limit).status();
    });
    EXPECT_EQ(refused.reason(), "invalid_filter") << limit << " " << owners.size();
  }
}

}  // namespace
}  // namespace ncbnet::audit
