#include "audit/audit_log.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet::audit {
namespace {

constexpr int kEntries = 8;

AuditEntry Sample(int i) {
  AuditEntry e;
  e.time_ms = 1'790'000'000'000 + i;
  e.request_id = "req-" + std::to_string(i);
  e.user_id = "user-" + std::to_string(i % 2);
  e.agency_id = i % 3 == 0 ? "FRA" : (i % 3 == 1 ? "DEU" : "ITA");
  e.source = "192.0.2." + std::to_string(i);
  e.action = "GET /v1/records";
  e.object = "rec:" + std::to_string(i);
  e.outcome = "ok";
  return e;
}

ListFilter Filter(std::int64_t after_seq, int limit, std::vector<std::string> agency_ids = {}) {
  ListFilter filter;
  filter.after_seq = after_seq;
  filter.limit = limit;
  filter.agency_ids = std::move(agency_ids);
  return filter;
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<store::Store>> store = store::OpenSqliteStore(dir_.File("audit.db"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    // As `ncbnet init` does in the transaction that creates the network.
    const Status anchored = store_->Write([&](store::Transaction& tx) { return Anchor(tx, key_); });
    ASSERT_TRUE(anchored.ok()) << anchored.ToString();
  }

  void AppendEntries(int n) {
    for (int i = 1; i <= n; ++i) {
      ASSERT_TRUE(
          store_
              ->Write([&](store::Transaction& tx) { return Append(tx, key_, Sample(i)).status(); })
              .ok());
    }
  }

  void Sql(const std::string& sql, const std::vector<store::Value>& params = {}) {
    const Status status =
        store_->Write([&](store::Transaction& tx) { return tx.Exec(sql, params).status(); });
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  std::vector<AuditEntry> All() {
    std::vector<AuditEntry> entries;
    EXPECT_TRUE(store_
                    ->Read([&](store::Transaction& tx) -> Status {
                      NCBNET_ASSIGN_OR_RETURN(entries, List(tx, Filter(0, 1000)));
                      return Status::Ok();
                    })
                    .ok());
    return entries;
  }

  // Overwrites the row at `seq` with `e` (its seq included), as a tamperer with file access could.
  void Store(std::int64_t seq, const AuditEntry& e) {
    Sql("UPDATE audit_log SET seq = ?, time_ms = ?, request_id = ?, user_id = ?, agency_id = ?,"
        " source = ?, action = ?, object = ?, outcome = ?, prev_hash = ?, hash = ? WHERE seq = ?",
        {e.seq, e.time_ms, e.request_id, e.user_id, e.agency_id, e.source, e.action, e.object,
         e.outcome, e.prev_hash, e.hash, seq});
  }

  // A tamperer who knows the format (but not the key) recomputes hashes.
  static AuditEntry Rehashed(AuditEntry e) {
    e.hash = EntryHash(e);
    return e;
  }

  VerifyReport VerifyNow(std::string_view public_key = {}) {
    Result<VerifyReport> report =
        Verify(*store_, public_key.empty() ? key_.public_key() : public_key);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : VerifyReport{};
  }

  void ExpectProblem(const std::string& problem, std::int64_t seq) {
    const VerifyReport report = VerifyNow();
    EXPECT_FALSE(report.intact);
    EXPECT_EQ(report.problem, problem) << report.detail;
    EXPECT_EQ(report.first_bad_seq, seq) << report.detail;
  }

  testutil::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  crypto::SigningKey key_ = crypto::SigningKey::Generate();
};

TEST(AuditEncoding, MatchesTheDocumentedTestVector) {
  AuditEntry e;
  e.seq = 1;
  e.time_ms = 1'790'000'000'000;
  e.request_id = "req-1";
  e.user_id = "u-42";
  e.agency_id = "FRA";
  e.source = "192.0.2.7";
  e.action = "POST /v1/messages";
  e.object = "msg:9";
  e.outcome = "ok";
  e.prev_hash = std::string(kGenesisHash);
  EXPECT_EQ(CanonicalEncoding(e),
            "1:1\n13:1790000000000\n5:req-1\n4:u-42\n3:FRA\n9:192.0.2.7\n17:POST /v1/messages\n"
            "5:msg:9\n2:ok\n64:" +
                std::string(kGenesisHash) + "\n");
  EXPECT_EQ(EntryHash(e), "4143e2665f9a1c90fc3f7027aa4510eb10b82f530d0edc706781e3e333f959f9");
  EXPECT_EQ(HeadMessage(7, "ab"), "ncbnet-audit-head\n7\nab");
}

TEST(AuditEncoding, IsUnambiguous) {
  AuditEntry a;
  a.user_id = "ab";
  a.agency_id = "c";
  AuditEntry b;
  b.user_id = "a";
  b.agency_id = "bc";
  EXPECT_NE(EntryHash(a), EntryHash(b));
  AuditEntry c;
  c.user_id = "1:x\n";  // a field that looks like an encoded field
  AuditEntry d;
  d.request_id = "1:x";
  EXPECT_NE(EntryHash(c), EntryHash(d));
}

TEST_F(AuditLogTest, AppendLinksEntriesAndSignsTheHead) {
  AppendEntries(kEntries);
  const std::vector<AuditEntry> entries = All();
  ASSERT_EQ(entries.size(), static_cast<std::size_t>(kEntries));
  std::string prev(kGenesisHash);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(entries[i].prev_hash, prev);
    EXPECT_EQ(entries[i].hash, EntryHash(entries[i]));
    EXPECT_EQ(entries[i].request_id, Sample(static_cast<int>(i + 1)).request_id);
    prev = entries[i].hash;
  }
  std::optional<store::Row> head;
  ASSERT_TRUE(store_
                  ->Read([&](store::Transaction& tx) -> Status {
                    NCBNET_ASSIGN_OR_RETURN(
                        head, tx.QueryOne("SELECT seq, hash, signature FROM audit_head"));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ((*head)[0].AsInt(), kEntries);
  EXPECT_EQ((*head)[1].AsText(), prev);
  Result<std::string> signature = crypto::HexDecode((*head)[2].AsText());
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(crypto::VerifySignature(key_.public_key(), HeadMessage(kEntries, prev), *signature));
}

TEST_F(AuditLogTest, AppendReturnsTheStoredEntry) {
  Result<AuditEntry> stored = AuditEntry{};
  ASSERT_TRUE(store_
                  ->Write([&](store::Transaction& tx) {
                    AuditEntry e = Sample(1);
                    e.seq = 99;  // ignored: Append assigns seq and hashes
                    e.prev_hash = "forged";
                    stored = Append(tx, key_, e);
                    return stored.status();
                  })
                  .ok());
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->seq, 1);
  EXPECT_EQ(stored->prev_hash, kGenesisHash);
  EXPECT_EQ(stored->hash, All().at(0).hash);
}

TEST_F(AuditLogTest, NothingIsAppendedWhenTheTransactionFails) {
  const Status status = store_->Write([&](store::Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(Append(tx, key_, Sample(1)).status());
    return Status::Internal("change_failed", "the recorded change failed");
  });
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(All().empty());
  EXPECT_TRUE(VerifyNow().intact);
}

TEST_F(AuditLogTest, AppendsInOneTransactionLinkAndTheHeadSignsTheLast) {
  ASSERT_TRUE(store_
                  ->Write([&](store::Transaction& tx) -> Status {
                    for (int i = 1; i <= 3; ++i) {
                      NCBNET_RETURN_IF_ERROR(Append(tx, key_, Sample(i)).status());
                    }
                    return Status::Ok();
                  })
                  .ok());
  const std::vector<AuditEntry> entries = All();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[2].prev_hash, entries[1].hash);
  const VerifyReport report = VerifyNow();
  EXPECT_TRUE(report.intact) << report.detail;
  EXPECT_EQ(report.entries, 3);
}

// Writes from many threads share group commits, some of them failing after their append: the
// chain stays whole and the head signs the last entry each commit leaves.
TEST_F(AuditLogTest, GroupedAppendsKeepTheChainWhole) {
  constexpr int kThreads = 8;
  constexpr int kWritesEach = 40;
  std::atomic<int> kept{0};
  auto run = [&](int thread) {
    for (int i = 0; i < kWritesEach; ++i) {
      const bool fail = (thread + i) % 5 == 0;
      const Status s = store_->Write([&](store::Transaction& tx) -> Status {
        NCBNET_RETURN_IF_ERROR(Append(tx, key_, Sample(thread * 1000 + i)).status());
        if (fail) return Status::Internal("change_failed", "the recorded change failed");
        return Status::Ok();
      });
      EXPECT_EQ(s.ok(), !fail) << s.ToString();
      if (s.ok()) kept.fetch_add(1);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(run, t);
  for (std::thread& t : threads) t.join();
  const VerifyReport report = VerifyNow();
  EXPECT_TRUE(report.intact) << report.problem << " " << report.detail;
  EXPECT_EQ(report.entries, kept.load());
  EXPECT_EQ(static_cast<int>(All().size()), kept.load());
}

TEST_F(AuditLogTest, VerifyReportsAnIntactChain) {
  VerifyReport empty = VerifyNow();
  EXPECT_TRUE(empty.intact) << empty.problem << ": " << empty.detail;
  EXPECT_EQ(empty.entries, 0);
  AppendEntries(kEntries);
  const VerifyReport report = VerifyNow();
  EXPECT_TRUE(report.intact) << report.problem << ": " << report.detail;
  EXPECT_EQ(report.entries, kEntries);
  EXPECT_EQ(report.problem, "");
}

TEST_F(AuditLogTest, VerifyWalksLongChainsPageByPage) {
  constexpr int kLong = 2500;  // more than two pages of the walk
  ASSERT_TRUE(store_
                  ->Write([&](store::Transaction& tx) -> Status {
                    for (int i = 1; i <= kLong; ++i) {
                      NCBNET_RETURN_IF_ERROR(Append(tx, key_, Sample(i)).status());
                    }
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_TRUE(VerifyNow().intact);
  Sql("DELETE FROM audit_log WHERE seq = 2001");
  ExpectProblem("removed", 2001);
}

TEST_F(AuditLogTest, VerifyReportsAnEditedField) {
  AppendEntries(kEntries);
  Sql("UPDATE audit_log SET object = 'rec:other' WHERE seq = 4");
  ExpectProblem("edited", 4);
  EXPECT_EQ(VerifyNow().entries, kEntries);
}

TEST_F(AuditLogTest, VerifyReportsARemovedMiddleEntry) {
  AppendEntries(kEntries);
  Sql("DELETE FROM audit_log WHERE seq = 5");
  ExpectProblem("removed", 5);
}

TEST_F(AuditLogTest, VerifyReportsARemovalHiddenByRenumbering) {
  AppendEntries(kEntries);
  std::vector<AuditEntry> entries = All();
  Sql("DELETE FROM audit_log WHERE seq = 5");
  for (int seq = 6; seq <= kEntries; ++seq) {
    AuditEntry moved = entries[static_cast<std::size_t>(seq - 1)];
    moved.seq = seq - 1;
    Store(seq, Rehashed(moved));
  }
  ExpectProblem("removed", 5);
}

TEST_F(AuditLogTest, VerifyReportsSwappedContentsAsEdited) {
  // seq is inside the hash, so an entry moved to another seq no longer matches its hash.
  AppendEntries(kEntries);
  std::vector<AuditEntry> entries = All();
  AuditEntry third = entries[2];
  AuditEntry sixth = entries[5];
  std::swap(third.seq, sixth.seq);
  Store(3, sixth);
  Store(6, third);
  ExpectProblem("edited", 3);
}

TEST_F(AuditLogTest, VerifyReportsSwappedAndRehashedEntriesAsReordered) {
  AppendEntries(kEntries);
  std::vector<AuditEntry> entries = All();
  AuditEntry third = entries[2];
  AuditEntry fourth = entries[3];
  std::swap(third.seq, fourth.seq);
  Store(3, Rehashed(fourth));
  Store(4, Rehashed(third));
  ExpectProblem("reordered", 3);
}

TEST_F(AuditLogTest, VerifyReportsALinkToAnOlderEntryAsReordered) {
  AppendEntries(kEntries);
  std::vector<AuditEntry> entries = All();
  AuditEntry fifth = entries[4];
  fifth.prev_hash = entries[2].hash;  // skips entry 4
  Store(5, Rehashed(fifth));
  ExpectProblem("reordered", 5);
}

TEST_F(AuditLogTest, VerifyReportsADeletedLastEntryAsTruncated) {
  AppendEntries(kEntries);
  Sql("DELETE FROM audit_log WHERE seq = ?", {kEntries});
  ExpectProblem("truncated", kEntries);
  Sql("DELETE FROM audit_log");
  ExpectProblem("truncated", 1);
}

TEST_F(AuditLogTest, VerifyReportsAReplacedLastEntryAsTruncated) {
  AppendEntries(kEntries);
  AuditEntry last = All().back();
  last.outcome = "denied:forbidden";
  Store(kEntries, Rehashed(last));
  ExpectProblem("truncated", kEntries);
}

TEST_F(AuditLogTest, VerifyReportsEntriesPastTheSignedHead) {
  AppendEntries(kEntries);
  AuditEntry extra = Sample(kEntries + 1);
  extra.seq = kEntries + 1;
  extra.prev_hash = All().back().hash;
  extra = Rehashed(extra);
  Sql("INSERT INTO audit_log (seq, time_ms, request_id, user_id, agency_id, source, action,"
      " object, outcome, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {extra.seq, extra.time_ms, extra.request_id, extra.user_id, extra.agency_id, extra.source,
       extra.action, extra.object, extra.outcome, extra.prev_hash, extra.hash});
  ExpectProblem("unsigned_entries", kEntries + 1);
}

TEST_F(AuditLogTest, VerifyReportsAForgedHead) {
  AppendEntries(kEntries);
  // Truncate, then sign the new end with a key that is not the hub's.
  Sql("DELETE FROM audit_log WHERE seq = ?", {kEntries});
  const AuditEntry last = All().back();
  const crypto::SigningKey forger = crypto::SigningKey::Generate();
  Sql("UPDATE audit_head SET seq = ?, hash = ?, signature = ?",
      {last.seq, last.hash, crypto::HexEncode(forger.Sign(HeadMessage(last.seq, last.hash)))});
  ExpectProblem("head_signature_invalid", kEntries - 1);
  // The forger's own key sees an intact chain: the check depends on the hub's key.
  EXPECT_TRUE(VerifyNow(forger.public_key()).intact);

  Sql("UPDATE audit_head SET signature = 'not hex'");
  EXPECT_EQ(VerifyNow().problem, "head_signature_invalid");
  Sql("DELETE FROM audit_head");
  EXPECT_EQ(VerifyNow().problem, "head_signature_invalid");
}

TEST_F(AuditLogTest, VerifyRejectsAMalformedKey) {
  Result<VerifyReport> report = Verify(*store_, "short");
  EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(AuditLogTest, AppendRefusesToExtendATamperedEnd) {
  AppendEntries(kEntries);
  const auto append = [&] {
    return store_->Write(
        [&](store::Transaction& tx) { return Append(tx, key_, Sample(99)).status(); });
  };
  Sql("DELETE FROM audit_log WHERE seq = ?", {kEntries});
  Status status = append();
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  EXPECT_EQ(status.reason(), "audit_chain_broken");
  EXPECT_EQ(VerifyNow().problem, "truncated") << "the truncation must stay visible";

  Sql("UPDATE audit_head SET seq = ?, hash = ?", {kEntries - 1, All().back().hash});
  EXPECT_EQ(append().code(), StatusCode::kDataLoss) << "a head with a stale signature";

  Sql("DELETE FROM audit_head");
  EXPECT_EQ(append().code(), StatusCode::kDataLoss) << "entries without a head";
}

TEST_F(AuditLogTest, AppendRefusesALastEntryEditedInPlace) {
  AppendEntries(2);
  Sql("UPDATE audit_log SET outcome = 'ok2' WHERE seq = 2");
  const Status status =
      store_->Write([&](store::Transaction& tx) { return Append(tx, key_, Sample(3)).status(); });
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
}

TEST_F(AuditLogTest, AnAnchoredLogIsIntactBeforeItsFirstEntry) {
  const Status check =
      store_->Read([&](store::Transaction& tx) { return CheckEnd(tx, key_.public_key()); });
  EXPECT_TRUE(check.ok()) << check.ToString();
  const Status again = store_->Write([&](store::Transaction& tx) { return Anchor(tx, key_); });
  EXPECT_EQ(again.reason(), "audit_already_anchored");
  AppendEntries(1);
  EXPECT_EQ(All().front().prev_hash, kGenesisHash);
}

TEST_F(AuditLogTest, AWipedLogIsReportedAndNeverRestarted) {
  AppendEntries(3);
  // The tester's attack: both tables emptied with plain SQL.
  Sql("DELETE FROM audit_log");
  Sql("DELETE FROM audit_head");
  ExpectProblem("head_missing", 0);
  const Status append =
      store_->Write([&](store::Transaction& tx) { return Append(tx, key_, Sample(9)).status(); });
  EXPECT_EQ(append.reason(), "audit_chain_broken");
  const Status check =
      store_->Read([&](store::Transaction& tx) { return CheckEnd(tx, key_.public_key()); });
  EXPECT_EQ(check.reason(), "audit_chain_broken");
  EXPECT_EQ(VerifyNow().entries, 0) << "nothing was written over the wiped log";
}

TEST_F(AuditLogTest, AGenesisHeadIsNoCoverForDeletedEntries) {
  AppendEntries(3);
  // Entries removed and the head replaced by a genesis head the tamperer cannot sign.
  Sql("DELETE FROM audit_log");
  Sql("UPDATE audit_head SET seq = 0, hash = ?", {std::string(kGenesisHash)});
  ExpectProblem("head_signature_invalid", 0);
}

TEST_F(AuditLogTest, ListFiltersByAgencyAndSeq) {
  AppendEntries(kEntries);  // agencies by i % 3: 1 DEU, 2 ITA, 3 FRA, 4 DEU, ...
  std::vector<AuditEntry> listed;
  const auto list = [&](const ListFilter& filter) {
    return store_->Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(listed, List(tx, filter));
      return Status::Ok();
    });
  };
  ASSERT_TRUE(list(Filter(0, 100, {"DEU"})).ok());
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].seq, 1);
  EXPECT_EQ(listed[1].seq, 4);
  EXPECT_EQ(listed[2].seq, 7);

  ASSERT_TRUE(list(Filter(4, 100, {"DEU", "FRA"})).ok());
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].seq, 6);
  EXPECT_EQ(listed[1].seq, 7);

  ASSERT_TRUE(list(Filter(2, 3)).ok());
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].seq, 3);
  EXPECT_EQ(listed[2].seq, 5);

  EXPECT_EQ(list(Filter(0, 0)).code(), StatusCode::kInvalidArgument);
  std::int64_t count = 0;
  ASSERT_TRUE(store_
                  ->Read([&](store::Transaction& tx) -> Status {
                    NCBNET_ASSIGN_OR_RETURN(count, Count(tx));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(count, kEntries);
}

}  // namespace
}  // namespace ncbnet::audit
