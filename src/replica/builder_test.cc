#include "replica/builder.h"

#include <gtest/gtest.h>

#include "records/records_test_env.h"
#include "replica/hub_keys.h"
#include "replica/local_replica.h"

namespace ncbnet::replica {
namespace {

using records::Restrictions;
using records::Visibility;

class BuilderTest : public records::RecordsTest {
 protected:
  void SetUp() override {
    records::RecordsTest::SetUp();
    scope_.network_id = "net-0123456789abcdef";
    scope_.replica_id = "rpl_1";
    // A German terminal: it sees French records shown to all, or to Germany.
    scope_.viewer = {"deu-terminal", "DEU", access::AgencyKind::kTerminal};
    scope_.databases = {&Schema("SLTD")};
    scope_.record_secret = &secret_;
  }

  Package Snapshot() {
    Package p;
    EXPECT_TRUE(store_
                    ->Read([&](store::Transaction& tx) -> Status {
                      NCBNET_ASSIGN_OR_RETURN(
                          p, BuildSnapshot(tx, scope_, keyer_, clock_.NowMillis()));
                      return Status::Ok();
                    })
                    .ok());
    return p;
  }

  Result<Package> Delta(std::int64_t from, std::int64_t max = 1000) {
    Package p;
    Status s = store_->Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(p, BuildDelta(tx, scope_, keyer_, from, clock_.NowMillis(), max));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return p;
  }

  static std::vector<std::string> Ids(const Package& p) {
    std::vector<std::string> ids;
    for (const Entry& e : p.upserts) ids.push_back(e.record_id);
    return ids;
  }

  std::string hash_key_ = std::string(32, 'r');
  index::IndexKeyer keyer_{hash_key_};
  ReplicaScope scope_;
};

TEST_F(BuilderTest, SnapshotHoldsOnlyWhatAFrontlineTerminalMaySee) {
  auto open = Create("SLTD", Passport("AB1"));
  auto for_deu = Create("SLTD", Passport("AB2"), Restrictions{Visibility::kOnly, {"DEU"}, true});
  auto for_ita = Create("SLTD", Passport("AB3"), Restrictions{Visibility::kOnly, {"ITA"}, true});
  auto off = Create("SLTD", Passport("AB4"), Restrictions{Visibility::kAll, {}, false});
  auto german_off = Create("SLTD", Passport("AB5", "DEU"),
                           Restrictions{Visibility::kAll, {}, false}, WriterOf("ncb-deu", "DEU"));
  ASSERT_TRUE(open.ok() && for_deu.ok() && for_ita.ok() && off.ok() && german_off.ok());
  const Package p = Snapshot();
  // Frontline-off records stay on the hub even for the owner's own terminals.
  EXPECT_EQ(Ids(p), (std::vector<std::string>{open->id, for_deu->id}));
  EXPECT_EQ(p.databases, (std::vector<std::string>{"SLTD"}));
  EXPECT_GT(p.to_seq, 0);
  EXPECT_EQ(p.upserts[0].status, "stolen");
  EXPECT_EQ(p.upserts[0].action, "Seize the document and call NCB Paris");
  EXPECT_EQ(p.upserts[0].owner_country, "FRA");
}

TEST_F(BuilderTest, ATamperedRecordFailsThePackageRatherThanReachATerminal) {
  auto r = Create("SLTD", Passport("12AB34567"), Restrictions{Visibility::kOnly, {"ITA"}, true});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(Ids(Snapshot()).empty()) << "restricted to Italy";
  // Widened to everyone in the store, by someone without the key.
  ASSERT_TRUE(
      Write([&](store::Transaction& tx) {
        return tx.Exec("UPDATE records SET visibility = 'all' WHERE id = ?", {r->id}).status();
      }).ok());
  const Status snapshot = store_->Read([&](store::Transaction& tx) {
    return BuildSnapshot(tx, scope_, keyer_, clock_.NowMillis()).status();
  });
  EXPECT_EQ(snapshot.reason(), "record_tampered");
  EXPECT_EQ(Delta(0).status().reason(), "record_tampered");
}

TEST_F(BuilderTest, SnapshotLeavesOutRecordsPastReview) {
  ASSERT_TRUE(Create("SLTD", Passport("AB1")).ok());
  clock_.Advance(std::chrono::hours(24 * 366 * 11));
  EXPECT_TRUE(Snapshot().upserts.empty());
}

TEST_F(BuilderTest, DeltaCarriesNewRecordsAndRemovesCancelledOnes) {
  auto a = Create("SLTD", Passport("AB1"));
  ASSERT_TRUE(a.ok());
  const Package snap = Snapshot();
  auto b = Create("SLTD", Passport("AB2"));
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(Write([&](store::Transaction& tx) {
                return records::CancelRecord(tx, Schema("SLTD"), secret_,
                                             WriterOf("ncb-fra", "FRA"), a->id, 1, "found",
                                             clock_.NowMillis())
                    .status();
              }).ok());
  auto d = Delta(snap.to_seq);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->from_seq, snap.to_seq);
  EXPECT_EQ(d->to_seq, snap.to_seq + 2);
  EXPECT_EQ(Ids(*d), (std::vector<std::string>{b->id}));
  EXPECT_EQ(d->removals, (std::vector<std::int64_t>{a->ref}));
  auto first = Delta(snap.to_seq, 1);  // paged: one change at a time
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->to_seq, snap.to_seq + 1);
  EXPECT_EQ(Delta(d->to_seq + 1).status().reason(), "replica_ahead");
}

TEST_F(BuilderTest, WhatTheHubBuildsTheReplicaFindsByItsNormalisedIdentifier) {
  ASSERT_TRUE(Create("SLTD", Passport("12AB34567")).ok());
  const crypto::SigningKey key = crypto::SigningKey::Generate();
  const Pins pins{scope_.network_id, scope_.replica_id, key.public_key()};
  auto decoded = DecodePackage(EncodePackage(Snapshot(), key), pins);
  ASSERT_TRUE(decoded.ok());
  LocalReplica local(pins, hash_key_);
  ASSERT_TRUE(local.Apply(*decoded).ok());
  EXPECT_EQ(local.Lookup("SLTD", "FRA:12AB34567", clock_.NowMillis()).size(), 1u);
  EXPECT_EQ(local.Lookup("SLTD", "FRA:12AB34568", clock_.NowMillis()).size(), 0u);
  LocalReplica wrong_key(pins, std::string(32, 'x'));
  ASSERT_TRUE(wrong_key.Apply(*decoded).ok());
  EXPECT_EQ(wrong_key.Lookup("SLTD", "FRA:12AB34567", clock_.NowMillis()).size(), 0u);
}

// The subjects of live notices (NOTICES, written by the notices service) reach a terminal
// holding record.check:NOTICES by their identity documents, with the record's action; a
// diffusion to other countries does not; a cancelled notice leaves at the next delta.
TEST_F(BuilderTest, CarriesTheSubjectsOfNoticesAndDropsCancelledOnes) {
  scope_.databases = {&Schema("SLTD"), &Schema("NOTICES")};
  auto subject = [](const std::string& control_number, const std::string& channel,
                    const std::string& number) {
    return nlohmann::json{
        {"control_number", control_number},
        {"kind", "red"},
        {"channel", channel},
        {"name", "Aleksandr Volkov"},
        {"identity_documents", {{{"number", number}, {"issuing_country", "RUS"}}}}};
  };
  auto notice = Create("NOTICES", subject("A-42/11-2026", "notice", "754213986"));
  auto to_italy = Create("NOTICES", subject("DIF-7/11-2026", "diffusion", "754213987"),
                         Restrictions{Visibility::kOnly, {"ITA"}, true});
  ASSERT_TRUE(notice.ok() && to_italy.ok()) << notice.status().ToString();
  const Package snap = Snapshot();
  EXPECT_EQ(Ids(snap), (std::vector<std::string>{notice->id}));
  EXPECT_EQ(snap.databases, (std::vector<std::string>{"NOTICES", "SLTD"}));
  EXPECT_EQ(snap.upserts[0].database, "NOTICES");
  EXPECT_EQ(snap.upserts[0].action, notice->action);
  EXPECT_EQ(snap.upserts[0].owner_country, "FRA");

  const crypto::SigningKey key = crypto::SigningKey::Generate();
  const Pins pins{scope_.network_id, scope_.replica_id, key.public_key()};
  LocalReplica local(pins, hash_key_);
  auto decoded = DecodePackage(EncodePackage(snap, key), pins);
  ASSERT_TRUE(decoded.ok());
  ASSERT_TRUE(local.Apply(*decoded).ok());
  EXPECT_EQ(local.Lookup("NOTICES", "RUS:754213986", clock_.NowMillis()).size(), 1u);
  EXPECT_EQ(local.Lookup("NOTICES", "RUS:754213987", clock_.NowMillis()).size(), 0u);

  clock_.Advance(std::chrono::minutes(10));  // the next sync
  ASSERT_TRUE(Write([&](store::Transaction& tx) {
                return records::CancelRecord(tx, Schema("NOTICES"), secret_,
                                             WriterOf("ncb-fra", "FRA"), notice->id, 1,
                                             "notice cancelled", clock_.NowMillis())
                    .status();
              }).ok());
  auto delta = Delta(snap.to_seq);
  ASSERT_TRUE(delta.ok()) << delta.status().ToString();
  EXPECT_EQ(delta->removals, (std::vector<std::int64_t>{notice->ref}));
  auto next = DecodePackage(EncodePackage(*delta, key), pins);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  const Status applied = local.Apply(*next);
  ASSERT_TRUE(applied.ok()) << applied.ToString();
  EXPECT_EQ(local.Lookup("NOTICES", "RUS:754213986", clock_.NowMillis()).size(), 0u);
}

TEST(ReplicaKeys, DifferPerReplicaAndNetwork) {
  const std::string data_key(32, 'd');
  auto a = ReplicaHashKey(data_key, "rpl_a");
  auto b = ReplicaHashKey(data_key, "rpl_b");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(*a, *b);
  auto s1 = ReplicaSigningKey(data_key);
  auto s2 = ReplicaSigningKey(std::string(32, 'e'));
  ASSERT_TRUE(s1.ok() && s2.ok());
  EXPECT_NE(s1->public_key(), s2->public_key());
  EXPECT_NE(NetworkIdOf("a"), NetworkIdOf("b"));
  EXPECT_EQ(NetworkIdOf("a").size(), 20u);
  EXPECT_EQ(ReplicaHashKey("short", "rpl_a").status().reason(), "invalid_kdf_input");
}

}  // namespace
}  // namespace ncbnet::replica
