#include "store/sqlite/sqlite_store.h"

#include <sys/stat.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <future>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/migrations.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet::store {
namespace {

std::unique_ptr<Store> OpenOrDie(const std::string& path, const SqliteOptions& options = {}) {
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(path, options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

Status CreateTable(Store& store) {
  return store.Write([](Transaction& tx) {
    return tx.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, v)")
        .status();
  });
}

std::int64_t CountRows(Store& store, const std::string& table = "t") {
  std::int64_t count = -1;
  EXPECT_TRUE(store
                  .Read([&](Transaction& tx) -> Status {
                    NCBNET_ASSIGN_OR_RETURN(std::optional<Row> row,
                                            tx.QueryOne("SELECT COUNT(*) FROM " + table));
                    count = (*row)[0].AsInt();
                    return Status::Ok();
                  })
                  .ok());
  return count;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenOrDie(path_);
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(CreateTable(*store_).ok());
  }

  testutil::TempDir dir_;
  std::string path_ = dir_.File("hub.db");
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, RoundTripsEveryValueType) {
  const std::string text("grüße \xE2\x9C\x93 with\0nul", 20);
  const std::string bytes("\x00\xff\x01\x80", 4);
  const std::vector<Value> values = {Value(),
                                     Value(std::numeric_limits<std::int64_t>::min()),
                                     Value(std::numeric_limits<std::int64_t>::max()),
                                     Value(-2.5),
                                     Value(text),
                                     Value(Blob{bytes}),
                                     Value(Blob{""}),
                                     Value(std::string())};
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> Status {
                    for (std::size_t i = 0; i < values.size(); ++i) {
                      NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (id, name, v) VALUES (?, ?, ?)",
                                                     {static_cast<std::int64_t>(i),
                                                      "n" + std::to_string(i), values[i]})
                                                 .status());
                    }
                    return Status::Ok();
                  })
                  .ok());
  std::vector<Row> rows;
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> Status {
                    NCBNET_ASSIGN_OR_RETURN(rows, tx.Query("SELECT v FROM t ORDER BY id"));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(rows.size(), values.size());
  EXPECT_TRUE(rows[0][0].is_null());
  EXPECT_TRUE(rows[1][0].is_int());
  EXPECT_EQ(rows[1][0].AsInt(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(rows[2][0].AsInt(), std::numeric_limits<std::int64_t>::max());
  EXPECT_TRUE(rows[3][0].is_real());
  EXPECT_EQ(rows[3][0].AsReal(), -2.5);
  EXPECT_TRUE(rows[4][0].is_text());
  EXPECT_EQ(rows[4][0].AsText(), text);
  EXPECT_TRUE(rows[5][0].is_blob());
  EXPECT_EQ(rows[5][0].AsText(), bytes);
  EXPECT_TRUE(rows[6][0].is_blob()) << "an empty blob must not turn into NULL";
  EXPECT_TRUE(rows[7][0].is_text());
  EXPECT_EQ(rows[7][0].AsText(), "");
}

TEST_F(SqliteStoreTest, ExecReturnsChangedRows) {
  ASSERT_TRUE(store_
                  ->Write([](Transaction& tx) -> Status {
                    for (int i = 0; i < 3; ++i) {
                      NCBNET_ASSIGN_OR_RETURN(
                          std::int64_t n,
                          tx.Exec("INSERT INTO t (name) VALUES (?)", {"x" + std::to_string(i)}));
                      EXPECT_EQ(n, 1);
                    }
                    NCBNET_ASSIGN_OR_RETURN(std::int64_t updated, tx.Exec("UPDATE t SET v = 1"));
                    EXPECT_EQ(updated, 3);
                    NCBNET_ASSIGN_OR_RETURN(std::int64_t ddl, tx.Exec("CREATE TABLE u (a)"));
                    EXPECT_EQ(ddl, 0);
                    NCBNET_ASSIGN_OR_RETURN(std::int64_t none, tx.Exec("DELETE FROM t WHERE 0"));
                    EXPECT_EQ(none, 0);
                    return Status::Ok();
                  })
                  .ok());
}

TEST_F(SqliteStoreTest, CallbackErrorRollsBackEverything) {
  const Status status = store_->Write([](Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (name) VALUES ('a')").status());
    NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (name) VALUES ('b')").status());
    return Status::NotFound("nope", "callback failed");
  });
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.reason(), "nope");
  EXPECT_EQ(CountRows(*store_), 0);
  EXPECT_EQ(store_->Stats().rollbacks, 1);
  // The writer is usable afterwards.
  EXPECT_TRUE(store_
                  ->Write([](Transaction& tx) {
                    return tx.Exec("INSERT INTO t (name) VALUES ('a')").status();
                  })
                  .ok());
  EXPECT_EQ(CountRows(*store_), 1);
}

TEST_F(SqliteStoreTest, CommitFailureRollsBackEverything) {
  // A deferred foreign key is checked only at COMMIT, so the commit itself fails.
  ASSERT_TRUE(store_
                  ->Write([](Transaction& tx) {
                    return tx
                        .Exec(
                            "CREATE TABLE child (id INTEGER PRIMARY KEY, t_id INTEGER"
                            " REFERENCES t(id) DEFERRABLE INITIALLY DEFERRED)")
                        .status();
                  })
                  .ok());
  const Status status = store_->Write([](Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (name) VALUES ('a')").status());
    return tx.Exec("INSERT INTO child (t_id) VALUES (999)").status();
  });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
  EXPECT_EQ(status.reason(), "constraint_violation");
  EXPECT_EQ(CountRows(*store_), 0);
  EXPECT_EQ(CountRows(*store_, "child"), 0);
}

TEST_F(SqliteStoreTest, MapsConstraintViolations) {
  ASSERT_TRUE(store_
                  ->Write([](Transaction& tx) {
                    return tx.Exec("INSERT INTO t (id, name) VALUES (1, 'a')").status();
                  })
                  .ok());
  Status unique = store_->Write(
      [](Transaction& tx) { return tx.Exec("INSERT INTO t (name) VALUES ('a')").status(); });
  EXPECT_EQ(unique.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(unique.reason(), "constraint_violation");
  Status primary = store_->Write(
      [](Transaction& tx) { return tx.Exec("INSERT INTO t (id, name) VALUES (1, 'b')").status(); });
  EXPECT_EQ(primary.code(), StatusCode::kAlreadyExists);
  Status not_null = store_->Write([](Transaction& tx) {
    return tx.Exec("INSERT INTO t (name) VALUES (?)", {nullptr}).status();
  });
  EXPECT_EQ(not_null.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(not_null.reason(), "constraint_violation");
  Status foreign = store_->Write([](Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(
        tx.Exec("CREATE TABLE c (t_id INTEGER NOT NULL REFERENCES t(id))").status());
    return tx.Exec("INSERT INTO c (t_id) VALUES (42)").status();
  });
  EXPECT_EQ(foreign.code(), StatusCode::kInvalidArgument) << "foreign_keys must be ON";
  EXPECT_EQ(foreign.reason(), "constraint_violation");
  // Operator text names the constraint but never the bound values.
  Status secret = store_->Write([](Transaction& tx) {
    return tx.Exec("INSERT INTO t (id, name) VALUES (?, ?)", {1, "secret-value"}).status();
  });
  EXPECT_EQ(secret.message().find("secret-value"), std::string::npos) << secret.message();
}

TEST_F(SqliteStoreTest, OtherErrorsAreInternal) {
  Status bad_sql = store_->Read([](Transaction& tx) { return tx.Query("SELEKT 1").status(); });
  EXPECT_EQ(bad_sql.code(), StatusCode::kInternal);
  EXPECT_EQ(bad_sql.reason(), "store_error");
  Status two =
      store_->Read([](Transaction& tx) { return tx.Query("SELECT 1; SELECT 2").status(); });
  EXPECT_EQ(two.code(), StatusCode::kInternal);
  Status params = store_->Read([](Transaction& tx) {
    return tx.Query("SELECT ?", {1, 2}).status();
  });
  EXPECT_EQ(params.code(), StatusCode::kInternal);
}

TEST_F(SqliteStoreTest, ReadRefusesWrites) {
  const Status status = store_->Read([](Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(tx.Query("SELECT * FROM t").status());
    return tx.Exec("INSERT INTO t (name) VALUES ('a')").status();
  });
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.reason(), "read_only_transaction");
  const Status ddl = store_->Read([](Transaction& tx) { return tx.Exec("DROP TABLE t").status(); });
  EXPECT_EQ(ddl.reason(), "read_only_transaction");
  EXPECT_EQ(CountRows(*store_), 0);
}

TEST_F(SqliteStoreTest, CallbacksCannotEndTheTransaction) {
  const Status status = store_->Write([](Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (name) VALUES ('a')").status());
    (void)tx.Exec("COMMIT");  // refused; the insert must still roll back below
    return Status::Internal("later_failure", "x");
  });
  EXPECT_EQ(status.reason(), "later_failure");
  EXPECT_EQ(CountRows(*store_), 0);
  const Status commit = store_->Write([](Transaction& tx) { return tx.Exec("COMMIT").status(); });
  EXPECT_FALSE(commit.ok());
  const Status attach = store_->Write([this](Transaction& tx) {
    return tx.Exec("ATTACH DATABASE ? AS other", {dir_.File("other.db")}).status();
  });
  EXPECT_FALSE(attach.ok());
}

TEST_F(SqliteStoreTest, NestedWriteIsRefused) {
  Status inner;
  const Status outer = store_->Write([&](Transaction&) {
    inner = store_->Write([](Transaction&) { return Status::Ok(); });
    return Status::Ok();
  });
  EXPECT_TRUE(outer.ok());
  EXPECT_EQ(inner.reason(), "nested_write");
}

TEST_F(SqliteStoreTest, BusyIsUnavailable) {
  std::unique_ptr<Store> other = OpenOrDie(
      path_, SqliteOptions{.max_readers = 1, .busy_timeout = std::chrono::milliseconds(20)});
  ASSERT_NE(other, nullptr);
  Status busy;
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> Status {
                    busy = other->Write([](Transaction& tx2) {
                      return tx2.Exec("INSERT INTO t (name) VALUES ('b')").status();
                    });
                    return tx.Exec("INSERT INTO t (name) VALUES ('a')").status();
                  })
                  .ok());
  EXPECT_EQ(busy.code(), StatusCode::kUnavailable);
  EXPECT_EQ(busy.reason(), "store_busy");
  EXPECT_EQ(CountRows(*other), 1);
}

TEST_F(SqliteStoreTest, DataSurvivesReopen) {
  ASSERT_TRUE(
      store_
          ->Write([](Transaction& tx) {
            return tx.Exec("INSERT INTO t (name, v) VALUES ('kept', ?)", {Blob{"b"}}).status();
          })
          .ok());
  store_.reset();
  std::unique_ptr<Store> reopened = OpenOrDie(path_);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(CountRows(*reopened), 1);
}

TEST_F(SqliteStoreTest, AppliesMigrationsOnceAndReopensIdempotently) {
  const std::int64_t latest = AllMigrations().back().version;
  StoreStats stats = store_->Stats();
  EXPECT_EQ(stats.backend, "sqlite");
  EXPECT_EQ(stats.schema_version, latest);
  EXPECT_GT(stats.size_bytes, 0);
  // Bootstrap + one per migration + CreateTable in SetUp.
  EXPECT_EQ(stats.commits, 1 + latest + 1);
  EXPECT_EQ(CountRows(*store_, "audit_log"), 0);
  store_.reset();

  std::unique_ptr<Store> reopened = OpenOrDie(path_);
  ASSERT_NE(reopened, nullptr);
  stats = reopened->Stats();
  EXPECT_EQ(stats.schema_version, latest);
  EXPECT_EQ(stats.commits, 1) << "only the bootstrap check may run on reopen";
  EXPECT_EQ(CountRows(*reopened, "schema_version"), 1);
}

TEST_F(SqliteStoreTest, RefusesSchemaNewerThanBinary) {
  ASSERT_TRUE(store_
                  ->Write([](Transaction& tx) {
                    return tx.Exec("UPDATE schema_version SET version = version + 1").status();
                  })
                  .ok());
  store_.reset();
  Result<std::unique_ptr<Store>> reopened = OpenSqliteStore(path_);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(reopened.status().reason(), "schema_too_new");
}

TEST_F(SqliteStoreTest, CreatesFilesWithMode0600) {
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((path_ + "-wal").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(SqliteStore, RejectsBadOptions) {
  testutil::TempDir dir;
  Result<std::unique_ptr<Store>> store =
      OpenSqliteStore(dir.File("x.db"), SqliteOptions{.max_readers = 0});
  EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SqliteStoreTest, ReadersSeeSnapshotsWhileAWriteIsOpen) {
  std::promise<void> inserted;
  std::promise<void> readers_done;
  std::thread writer([&] {
    EXPECT_TRUE(store_
                    ->Write([&](Transaction& tx) -> Status {
                      NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (name) VALUES ('w')").status());
                      inserted.set_value();
                      readers_done.get_future().wait();
                      return Status::Ok();
                    })
                    .ok());
  });
  inserted.get_future().wait();
  // Readers run to completion while the write is still open: they do not block on it and do
  // not see its uncommitted row.
  std::vector<std::thread> readers;
  std::atomic<int> saw_zero{0};
  for (int i = 0; i < 6; ++i) {
    readers.emplace_back([&] {
      if (CountRows(*store_) == 0) saw_zero.fetch_add(1);
    });
  }
  for (std::thread& r : readers) r.join();
  readers_done.set_value();
  writer.join();
  EXPECT_EQ(saw_zero.load(), 6);
  EXPECT_EQ(CountRows(*store_), 1);
}

TEST_F(SqliteStoreTest, ConcurrentWritersAndReaders) {
  constexpr int kWriters = 4;
  constexpr int kRowsEach = 40;
  std::atomic<bool> done{false};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kRowsEach; ++i) {
        EXPECT_TRUE(store_
                        ->Write([&](Transaction& tx) {
                          return tx
                              .Exec("INSERT INTO t (name) VALUES (?)",
                                    {std::to_string(w) + "-" + std::to_string(i)})
                              .status();
                        })
                        .ok());
      }
    });
  }
  std::atomic<int> non_monotonic{0};
  for (int r = 0; r < 12; ++r) {  // more readers than the pool holds
    threads.emplace_back([&] {
      std::int64_t last = 0;
      while (!done.load()) {
        const std::int64_t now = CountRows(*store_);
        if (now < last) non_monotonic.fetch_add(1);
        last = now;
        if (now == kWriters * kRowsEach) break;
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) threads[static_cast<std::size_t>(w)].join();
  done.store(true);
  for (std::size_t i = kWriters; i < threads.size(); ++i) threads[i].join();
  EXPECT_EQ(non_monotonic.load(), 0);
  EXPECT_EQ(CountRows(*store_), kWriters * kRowsEach);
  EXPECT_EQ(store_->Stats().commits, 1 + AllMigrations().back().version + 1 + kWriters * kRowsEach);
}

}  // namespace
}  // namespace ncbnet::store
