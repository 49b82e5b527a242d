#include "replica/package.h"

#include <gtest/gtest.h>

#include "replica/internal/body.h"
#include "replica/internal/bytes.h"
#include "replica/replica_test_util.h"

namespace ncbnet::replica {
namespace {

using testutil::EntryFor;
using testutil::PackageFor;
using testutil::PinsFor;

class PackageTest : public ::testing::Test {
 protected:
  crypto::SigningKey key_ = crypto::SigningKey::Generate();
  Pins pins_ = PinsFor(key_);

  std::string Delta() {
    Package p = PackageFor(pins_, PackageKind::kDelta, 5, 9, 1000);
    p.upserts = {EntryFor(7, "FRA:AB123"), EntryFor(8, "FRA:CD456")};
    p.removals = {3, 4};
    return EncodePackage(p, key_);
  }
};

TEST_F(PackageTest, RoundTripsADelta) {
  auto p = DecodePackage(Delta(), pins_);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->kind, PackageKind::kDelta);
  EXPECT_EQ(p->from_seq, 5);
  EXPECT_EQ(p->to_seq, 9);
  EXPECT_EQ(p->issued_ms, 1000);
  EXPECT_EQ(p->databases, (std::vector<std::string>{"SLTD", "SMV"}));
  ASSERT_EQ(p->upserts.size(), 2u);
  EXPECT_EQ(p->upserts[0], EntryFor(7, "FRA:AB123"));
  EXPECT_EQ(p->removals, (std::vector<std::int64_t>{3, 4}));
}

TEST_F(PackageTest, HoldsNoIdentifier) { EXPECT_EQ(Delta().find("AB123"), std::string::npos); }

TEST_F(PackageTest, RefusesAnotherNetworkOrReplica) {
  Pins other = pins_;
  other.network_id = "net-ffffffffffffffff";
  EXPECT_EQ(DecodePackage(Delta(), other).status().reason(), "replica_wrong_network");
  other = pins_;
  other.replica_id = "rpl_000000000000000000000002";
  EXPECT_EQ(DecodePackage(Delta(), other).status().reason(), "replica_wrong_replica");
}

TEST_F(PackageTest, RefusesEveryFlippedByteOfHeaderBodyAndSignature) {
  const std::string good = Delta();
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    EXPECT_FALSE(DecodePackage(bad, pins_).ok()) << "byte " << i;
  }
  std::string body_flip = good;
  body_flip[good.size() - 70] ^= 0x01;
  EXPECT_EQ(DecodePackage(body_flip, pins_).status().reason(), "replica_bad_signature");
}

TEST_F(PackageTest, RefusesAnotherHubsKey) {
  const crypto::SigningKey other = crypto::SigningKey::Generate();
  Package p = PackageFor(pins_, PackageKind::kSnapshot, 0, 9, 1000);
  EXPECT_EQ(DecodePackage(EncodePackage(p, other), pins_).status().reason(),
            "replica_bad_signature");
}

TEST_F(PackageTest, RefusesEveryTruncation) {
  const std::string good = Delta();
  for (std::size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(DecodePackage(std::string_view(good).substr(0, n), pins_).ok()) << n;
  }
  EXPECT_EQ(DecodePackage("not a package at all, but long enough to have a header of 48 bytes "
                          "and a signature of sixty-four bytes after it......",
                          pins_)
                .status()
                .reason(),
            "replica_malformed");
}

TEST_F(PackageTest, RefusesSequencesOutOfOrder) {
  Package p = PackageFor(pins_, PackageKind::kDelta, 9, 5, 1000);
  EXPECT_EQ(DecodePackage(EncodePackage(p, key_), pins_).status().reason(), "replica_malformed");
}

TEST(ReplicaBody, RefusesHostileCountsBeforeAllocating) {
  std::string body;
  internal::ByteWriter w(body);
  w.U8(1);
  w.Short("SLTD");
  w.U32(0);
  w.U64(std::uint64_t{1} << 60);  // entries
  auto r = internal::DecodeBody(body);
  EXPECT_EQ(r.status().reason(), "replica_malformed");
  std::string unsorted;
  internal::ByteWriter u(unsorted);
  u.U8(2);
  u.Short("SMV");
  u.Short("SLTD");
  EXPECT_EQ(internal::DecodeBody(unsorted).status().reason(), "replica_malformed");
}

TEST(ReplicaBody, RefusesAnEntryOfAnUnlistedDatabase) {
  std::string body;
  const Entry e = EntryFor(1, "X", "SMV");
  const std::vector<std::string> dbs = {"SLTD"};
  internal::EncodeBody(dbs, std::vector<Entry>{e}, {}, body);
  EXPECT_EQ(internal::DecodeBody(body).status().reason(), "replica_malformed");
}

}  // namespace
}  // namespace ncbnet::replica
