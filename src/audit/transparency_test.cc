#include "audit/transparency.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "audit/audit_log.h"
#include "audit/merkle.h"
#include "audit/proof_bundles.h"
#include "crypto/encoding.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet::audit {
namespace {

AuditEntry Sample(int i) {
  AuditEntry e;
  e.time_ms = 1'790'000'000'000 + i;
  e.request_id = "req-" + std::to_string(i);
  e.user_id = "user-" + std::to_string(i % 2);
  e.agency_id = i % 2 == 0 ? "FRA" : "DEU";
  e.source = "192.0.2.1";
  e.action = "GET /v1/records";
  e.object = "rec:" + std::to_string(i);
  e.outcome = "ok";
  return e;
}

class TransparencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::OpenSqliteStore(dir_.File("audit.db")).value();
    ASSERT_TRUE(store_->Write([&](store::Transaction& tx) { return Anchor(tx, key_); }).ok());
  }

  void AppendEntries(int n) {
    for (int i = 0; i < n; ++i) {
      const int k = ++appended_;
      ASSERT_TRUE(
          store_
              ->Write([&](store::Transaction& tx) { return Append(tx, key_, Sample(k)).status(); })
              .ok());
    }
  }

  Sequenced Sequence(std::int64_t max = kMaxSequenceBatch) {
    Result<Sequenced> done = SequenceBatch(*store_, key_, 1'790'000'100'000, max);
    EXPECT_TRUE(done.ok()) << done.status().ToString();
    return done.ok() ? *done : Sequenced{};
  }

  template <typename T>
  T InRead(const std::function<Result<T>(store::Transaction&)>& fn) {
    std::optional<T> out;
    const Status s = store_->Read([&](store::Transaction& tx) -> Status {
      Result<T> r = fn(tx);
      if (!r.ok()) return r.status();
      out = std::move(*r);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out.value_or(T{});
  }

  TreeHead Latest() {
    return InRead<std::optional<TreeHead>>(
               [](store::Transaction& tx) { return LatestTreeHead(tx); })
        .value_or(TreeHead{});
  }

  nlohmann::json InclusionBundle(std::int64_t seq, const TreeHead& head) {
    const auto path = InRead<std::vector<std::string>>(
        [&](store::Transaction& tx) { return InclusionPath(tx, seq - 1, head.tree_size); });
    const auto entries = InRead<std::vector<AuditEntry>>([&](store::Transaction& tx) {
      return List(tx, ListFilter{.after_seq = seq - 1, .limit = 1});
    });
    return {{"entry", EntryToJson(entries.at(0))},
            {"leaf_index", seq - 1},
            {"tree_size", head.tree_size},
            {"inclusion_path", path},
            {"tree_head", TreeHeadToJson(head)}};
  }

  TrustedKeys Trust() const { return {{key_.public_key()}, {}, 0}; }

  testutil::TempDir dir_;
  crypto::SigningKey key_ = crypto::SigningKey::Generate();
  std::unique_ptr<store::Store> store_;
  int appended_ = 0;
};

TEST_F(TransparencyTest, NothingToSequenceWritesNothing) {
  EXPECT_EQ(Sequence().entries, 0);
  const std::int64_t commits = store_->Stats().commits;
  EXPECT_EQ(Sequence().entries, 0);
  EXPECT_EQ(store_->Stats().commits, commits);
  EXPECT_EQ(Latest().tree_size, 0);
}

TEST_F(TransparencyTest, BatchesBecomeSignedHeadsAndEveryProofVerifies) {
  AppendEntries(5);
  EXPECT_EQ(Sequence().tree_size, 5);
  const TreeHead first = Latest();
  AppendEntries(12);
  EXPECT_EQ(Sequence(7).entries, 7);  // bounded batches
  EXPECT_EQ(Sequence().tree_size, 17);
  const TreeHead second = Latest();
  EXPECT_EQ(second.tree_size, 17);
  EXPECT_TRUE(TreeHeadSignatureValid(second, key_.public_key()));
  EXPECT_FALSE(TreeHeadSignatureValid(second, crypto::SigningKey::Generate().public_key()));
  for (std::int64_t seq = 1; seq <= 17; ++seq) {
    EXPECT_TRUE(VerifyBundle(InclusionBundle(seq, second), Trust()).ok()) << seq;
  }
  for (std::int64_t seq = 1; seq <= 5; ++seq) {
    EXPECT_TRUE(VerifyBundle(InclusionBundle(seq, first), Trust()).ok()) << seq;
  }
  const auto path = InRead<std::vector<std::string>>(
      [&](store::Transaction& tx) { return ConsistencyPath(tx, 5, 17); });
  const std::vector<std::string> raw = PathFromJson(nlohmann::json(path), "path").value();
  EXPECT_TRUE(CheckConsistency(first, second, raw).ok());
  EXPECT_EQ(CheckConsistency(second, first, raw).reason(), "wrong_order");
  const Result<TreeCheck> check = CheckTree(*store_, key_.public_key());
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->intact) << check->detail;
  EXPECT_EQ(check->tree_size, 17);
}

TEST_F(TransparencyTest, TamperedBundlesAreRejectedWithTheirReason) {
  AppendEntries(9);
  Sequence();
  const TreeHead head = Latest();
  const nlohmann::json good = InclusionBundle(4, head);
  nlohmann::json edited = good;
  edited["entry"]["object"] = "rec:other";
  EXPECT_EQ(VerifyBundle(edited, Trust()).reason(), "entry_hash_mismatch");
  nlohmann::json flipped = good;
  std::string h = flipped["inclusion_path"][0];
  h[0] = h[0] == '0' ? '1' : '0';
  flipped["inclusion_path"][0] = h;
  EXPECT_EQ(VerifyBundle(flipped, Trust()).reason(), "inclusion_path_invalid");
  nlohmann::json moved = good;
  moved["leaf_index"] = 4;
  EXPECT_EQ(VerifyBundle(moved, Trust()).reason(), "leaf_index_mismatch");
  nlohmann::json resigned = good;
  resigned["tree_head"]["root_hash"] = std::string(64, 'a');
  EXPECT_EQ(VerifyBundle(resigned, Trust()).reason(), "head_signature_invalid");
  EXPECT_EQ(VerifyBundle(good, {{crypto::SigningKey::Generate().public_key()}, {}, 0}).reason(),
            "unknown_key");
  EXPECT_EQ(VerifyBundle(good, {{key_.public_key()}, {key_.public_key()}, 1}).reason(),
            "quorum_not_met");
  nlohmann::json junk = good;
  junk["inclusion_path"] = "not a list";
  EXPECT_EQ(VerifyBundle(junk, Trust()).reason(), "malformed_bundle");
  EXPECT_EQ(VerifyBundle(nlohmann::json::array(), Trust()).reason(), "malformed_bundle");
}

TEST_F(TransparencyTest, CosignaturesCountTowardsAQuorumOfTrustedWitnesses) {
  AppendEntries(3);
  Sequence();
  const TreeHead head = Latest();
  const crypto::SigningKey witness = crypto::SigningKey::Generate();
  const Cosignature c{crypto::HexEncode(witness.public_key()), 42,
                      crypto::HexEncode(witness.Sign(CosignatureMessage(head, 42)))};
  Cosignature forged = c;
  forged.timestamp_ms = 43;
  EXPECT_EQ(
      store_->Write([&](store::Transaction& tx) { return AddCosignature(tx, 3, forged); }).reason(),
      "invalid_cosignature");
  EXPECT_EQ(
      store_->Write([&](store::Transaction& tx) { return AddCosignature(tx, 2, c); }).reason(),
      "tree_head_not_found");
  ASSERT_TRUE(store_->Write([&](store::Transaction& tx) { return AddCosignature(tx, 3, c); }).ok());
  const TreeHead cosigned = Latest();
  ASSERT_EQ(cosigned.cosignatures.size(), 1u);
  const nlohmann::json bundle = InclusionBundle(2, cosigned);
  EXPECT_TRUE(VerifyBundle(bundle, {{key_.public_key()}, {witness.public_key()}, 1}).ok());
  EXPECT_EQ(VerifyBundle(bundle, {{key_.public_key()}, {witness.public_key()}, 2}).reason(),
            "quorum_not_met");
}

TEST_F(TransparencyTest, AnEditedEntryIsNeitherSequencedNorProvable) {
  AppendEntries(6);
  Sequence();
  // Edited after sequencing, hash recomputed: the tree still holds the original leaf.
  AuditEntry e = Sample(3);
  e.seq = 3;
  e.object = "rec:rewritten";
  const auto entries = InRead<std::vector<AuditEntry>>(
      [](store::Transaction& tx) { return List(tx, ListFilter{.after_seq = 2, .limit = 1}); });
  e.prev_hash = entries.at(0).prev_hash;
  e.hash = EntryHash(e);
  ASSERT_TRUE(store_
                  ->Write([&](store::Transaction& tx) {
                    return tx
                        .Exec("UPDATE audit_log SET object = ?, hash = ? WHERE seq = 3",
                              {e.object, e.hash})
                        .status();
                  })
                  .ok());
  EXPECT_EQ(VerifyBundle(InclusionBundle(3, Latest()), Trust()).reason(), "inclusion_path_invalid");
  const Result<TreeCheck> check = CheckTree(*store_, key_.public_key());
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->intact);
  EXPECT_EQ(check->problem, "tree_mismatch");
  // An entry edited before it is sequenced stops the sequencer.
  ASSERT_TRUE(store_
                  ->Write([&](store::Transaction& tx) {
                    return tx
                        .Exec(
                            "INSERT INTO audit_log (seq, time_ms, request_id, user_id,"
                            " agency_id, source, action, object, outcome, prev_hash, hash)"
                            " VALUES (7, 1, 'r', 'u', 'a', 's', 'x', 'o', 'ok', ?, ?)",
                            {std::string(64, '0'), std::string(64, '1')})
                        .status();
                  })
                  .ok());
  EXPECT_EQ(SequenceBatch(*store_, key_, 1).status().reason(), "audit_chain_broken");
  EXPECT_EQ(Latest().tree_size, 6);
}

TEST_F(TransparencyTest, ConcurrentSequencersNeverSequenceAnEntryTwice) {
  AppendEntries(40);
  std::vector<std::thread> sequencers;
  std::atomic<std::int64_t> total{0};
  for (int t = 0; t < 4; ++t) {
    // A sequencer that loses the race to another stores nothing that round; each goes on
    // until the tree holds every entry (or gives up, which the checks below then report).
    sequencers.emplace_back([&] {
      for (int round = 0; round < 1000; ++round) {
        Result<Sequenced> done = SequenceBatch(*store_, key_, 1'790'000'100'000, 3);
        if (!done.ok()) return;
        total += done->entries;
        if (done->tree_size == 40) return;
      }
    });
  }
  for (std::thread& t : sequencers) t.join();
  EXPECT_EQ(total.load(), 40);  // each entry stored once, whoever stored it
  EXPECT_EQ(Latest().tree_size, 40);
  EXPECT_TRUE(CheckTree(*store_, key_.public_key())->intact);
}

}  // namespace
}  // namespace ncbnet::audit
