// The store under a failing disk (issue 14, "I/O faults"): an fsync that fails, a full disk and
// write errors. The hub acknowledges nothing it did not make durable, answers kUnavailable
// (503), loses nothing acknowledged before, reopens its connection after a failed fsync rather
// than trust the same file handle again (PostgreSQL's lesson: the kernel may have dropped the
// dirty pages), and serves again once the fault clears.
#include <gtest/gtest.h>

#include "store/sqlite/faulty_vfs.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet::store {
namespace {

using testing_support::FaultyVfs;

class SqliteFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.File("faults.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    ASSERT_TRUE(store_
                    ->Write([](Transaction& tx) {
                      return tx.Exec("CREATE TABLE t (name TEXT PRIMARY KEY)").status();
                    })
                    .ok());
  }

  Status Insert(const std::string& name) {
    return store_->Write(
        [&](Transaction& tx) { return tx.Exec("INSERT INTO t VALUES (?)", {name}).status(); });
  }

  std::vector<std::string> Names() {
    std::vector<std::string> out;
    EXPECT_TRUE(store_
                    ->Read([&](Transaction& tx) -> Status {
                      NCBNET_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT name FROM t ORDER BY 1"));
                      for (const Row& r : rows) out.push_back(r[0].AsText());
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }

  // Reopens the file as the hub does at its next start: what is there is what was durable.
  std::vector<std::string> NamesAfterRestart() {
    store_.reset();
    auto s = OpenSqliteStore(dir_.File("faults.db"));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    return Names();
  }

  FaultyVfs vfs_;  // before the store, so that every connection goes through it
  testutil::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteFaultsTest, AFailedFsyncIsNotAcknowledgedAndTheConnectionIsReopened) {
  ASSERT_TRUE(Insert("acknowledged").ok());
  vfs_.Inject(FaultyVfs::Fault::kSyncFails);
  const Status failed = Insert("not durable");
  EXPECT_EQ(failed.code(), StatusCode::kUnavailable) << failed.ToString();
  EXPECT_EQ(failed.reason(), "store_io_error");
  EXPECT_GT(vfs_.faults(), 0);
  const int opens = vfs_.opens();
  vfs_.Inject(FaultyVfs::Fault::kNone);
  ASSERT_TRUE(Insert("after").ok());
  EXPECT_GT(vfs_.opens(), opens) << "the writer was reopened, not trusted again";
  EXPECT_EQ(Names(), (std::vector<std::string>{"acknowledged", "after"}));
  EXPECT_EQ(NamesAfterRestart(), (std::vector<std::string>{"acknowledged", "after"}));
}

TEST_F(SqliteFaultsTest, AFullDiskRefusesWritesServesReadsAndRecovers) {
  ASSERT_TRUE(Insert("before").ok());
  vfs_.Inject(FaultyVfs::Fault::kWriteFull);
  for (int i = 0; i < 3; ++i) {
    const Status full = Insert("refused" + std::to_string(i));
    EXPECT_EQ(full.code(), StatusCode::kUnavailable) << full.ToString();
    EXPECT_EQ(full.reason(), "store_full");
  }
  EXPECT_EQ(Names(), std::vector<std::string>{"before"}) << "reads go on";
  // Not ready for writes (GET /readyz) while the disk is full, ready again after a commit.
  EXPECT_EQ(store_->CheckWritable().reason(), "store_unavailable");
  vfs_.Inject(FaultyVfs::Fault::kNone);
  ASSERT_TRUE(Insert("after").ok());
  EXPECT_TRUE(store_->CheckWritable().ok());
  EXPECT_EQ(NamesAfterRestart(), (std::vector<std::string>{"after", "before"}));
}

TEST_F(SqliteFaultsTest, WriteErrorsAreUnavailableAndLoseNothingAcknowledged) {
  ASSERT_TRUE(Insert("before").ok());
  vfs_.Inject(FaultyVfs::Fault::kWriteIoError);
  const Status eio = Insert("refused");
  EXPECT_EQ(eio.code(), StatusCode::kUnavailable) << eio.ToString();
  EXPECT_EQ(eio.reason(), "store_io_error");
  vfs_.Inject(FaultyVfs::Fault::kNone);
  ASSERT_TRUE(Insert("after").ok());
  EXPECT_EQ(NamesAfterRestart(), (std::vector<std::string>{"after", "before"}));
}

}  // namespace
}  // namespace ncbnet::store
