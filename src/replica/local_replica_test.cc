#include "replica/local_replica.h"

#include <fstream>

#include <gtest/gtest.h>

#include "replica/replica_test_util.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet::replica {
namespace {

using testutil::EntryFor;
using testutil::kHashKey;
using testutil::PackageFor;
using testutil::PinsFor;

class LocalReplicaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Package snap = PackageFor(pins_, PackageKind::kSnapshot, 0, 10, 1000);
    snap.upserts = {EntryFor(1, "FRA:AB123"), EntryFor(2, "FRA:CD456"),
                    EntryFor(3, "1M8GDM9AXKP042788", "SMV")};
    ASSERT_TRUE(replica_.Apply(snap).ok());
  }

  Package Delta(std::int64_t from, std::int64_t to, std::int64_t issued) {
    return PackageFor(pins_, PackageKind::kDelta, from, to, issued);
  }

  std::size_t Found(std::string_view db, std::string_view id, std::int64_t now = 2000) {
    return replica_.Lookup(db, id, now).size();
  }

  crypto::SigningKey key_ = crypto::SigningKey::Generate();
  Pins pins_ = PinsFor(key_);
  LocalReplica replica_{pins_, kHashKey};
  ::ncbnet::testutil::TempDir dir_;
};

TEST_F(LocalReplicaTest, FindsWhatTheSnapshotHolds) {
  const auto m = replica_.Lookup("SLTD", "FRA:AB123", 2000);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0]->record_id, "rec_1");
  EXPECT_EQ(m[0]->action, "Seize the document");
  EXPECT_EQ(Found("SLTD", "FRA:AB124"), 0u);
  EXPECT_EQ(Found("SMV", "FRA:AB123"), 0u);  // the database is part of the key
  EXPECT_EQ(replica_.seq(), 10);
  EXPECT_EQ(replica_.CountsByDatabase(),
            (std::map<std::string, std::size_t>{{"SLTD", 2}, {"SMV", 1}}));
}

TEST_F(LocalReplicaTest, StopsMatchingAtTheReviewDate) {
  Package d = Delta(10, 11, 1001);
  d.upserts = {EntryFor(4, "FRA:EF789", "SLTD", 5000)};
  ASSERT_TRUE(replica_.Apply(d).ok());
  EXPECT_EQ(Found("SLTD", "FRA:EF789", 4999), 1u);
  EXPECT_EQ(Found("SLTD", "FRA:EF789", 5000), 0u);
}

TEST_F(LocalReplicaTest, AppliesUpsertsAndRemovals) {
  Package d = Delta(10, 12, 1001);
  d.upserts = {EntryFor(2, "FRA:ZZ999"), EntryFor(5, "FRA:NEW1")};
  d.removals = {1, 99};  // 99: a record the replica never held
  ASSERT_TRUE(replica_.Apply(d).ok());
  EXPECT_EQ(Found("SLTD", "FRA:AB123"), 0u);
  EXPECT_EQ(Found("SLTD", "FRA:CD456"), 0u);  // replaced: its old key is gone
  EXPECT_EQ(Found("SLTD", "FRA:ZZ999"), 1u);
  EXPECT_EQ(Found("SLTD", "FRA:NEW1"), 1u);
  EXPECT_EQ(replica_.seq(), 12);
  EXPECT_EQ(replica_.size(), 3u);
}

TEST_F(LocalReplicaTest, RefusesAGapAndKeepsWhatItHad) {
  Package d = Delta(11, 12, 1001);
  d.removals = {1};
  EXPECT_EQ(replica_.Apply(d).reason(), "replica_gap");
  EXPECT_EQ(replica_.seq(), 10);
  EXPECT_EQ(Found("SLTD", "FRA:AB123"), 1u);
}

TEST_F(LocalReplicaTest, RefusesReplaysAndOlderPackages) {
  ASSERT_TRUE(replica_.Apply(Delta(10, 11, 1001)).ok());
  EXPECT_EQ(replica_.Apply(Delta(10, 11, 1001)).reason(), "replica_replay");
  EXPECT_EQ(replica_.Apply(Delta(11, 11, 1001)).reason(), "replica_replay");  // same issue
  EXPECT_EQ(replica_.Apply(Delta(11, 11, 1002)).reason(), "");                // newer, empty
  EXPECT_EQ(replica_.issued_ms(), 1002);
  Package old = PackageFor(pins_, PackageKind::kSnapshot, 0, 9, 5000);
  EXPECT_EQ(replica_.Apply(old).reason(), "replica_replay");
  Package stale = PackageFor(pins_, PackageKind::kSnapshot, 0, 20, 900);
  EXPECT_EQ(replica_.Apply(stale).reason(), "replica_replay");
  EXPECT_EQ(replica_.seq(), 11);
}

TEST_F(LocalReplicaTest, RefusesADeltaBeforeAnySnapshot) {
  LocalReplica empty(pins_, kHashKey);
  EXPECT_EQ(empty.Apply(Delta(0, 1, 1)).reason(), "replica_no_snapshot");
}

TEST_F(LocalReplicaTest, DropsADatabaseNoLongerHeld) {
  Package d = Delta(10, 11, 1001);
  d.databases = {"SLTD"};
  ASSERT_TRUE(replica_.Apply(d).ok());
  EXPECT_EQ(Found("SMV", "1M8GDM9AXKP042788"), 0u);
  EXPECT_EQ(replica_.size(), 2u);
}

TEST_F(LocalReplicaTest, SavesAndLoadsTheSameReplica) {
  const std::string path = dir_.File("replica.bin");
  ASSERT_TRUE(replica_.Save(path).ok());
  auto loaded = LocalReplica::Load(path, pins_, kHashKey);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->seq(), 10);
  EXPECT_EQ(loaded->issued_ms(), 1000);
  EXPECT_EQ(loaded->Lookup("SLTD", "FRA:CD456", 2000).size(), 1u);
  Pins other = pins_;
  other.replica_id = "rpl_other";
  EXPECT_EQ(LocalReplica::Load(path, other, kHashKey).status().reason(), "replica_corrupt");
  EXPECT_EQ(LocalReplica::Load(dir_.File("none"), pins_, kHashKey).status().reason(),
            "replica_missing");
}

TEST_F(LocalReplicaTest, RefusesADamagedFile) {
  const std::string path = dir_.File("replica.bin");
  ASSERT_TRUE(replica_.Save(path).ok());
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(40);
  f.put('\x7f');
  f.close();
  EXPECT_EQ(LocalReplica::Load(path, pins_, kHashKey).status().reason(), "replica_corrupt");
}

}  // namespace
}  // namespace ncbnet::replica
