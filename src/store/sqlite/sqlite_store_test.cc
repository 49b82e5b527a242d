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

// Holds the writer queue with a Write() whose callback waits until released, so that Write()
// calls made meanwhile queue up behind it, in a known order, and then run as one group.
// Progress is observed through Stats().queued_writes: no sleeps, no timing.
class QueueHolder {
 public:
  explicit QueueHolder(Store& store) : store_(store) {
    threads_.emplace_back([this] {
      EXPECT_TRUE(store_
                      .Write([&](Transaction&) {
                        holding_.set_value();
                        release_.get_future().wait();
                        return Status::Ok();
                      })
                      .ok());
    });
    holding_.get_future().wait();
  }
  ~QueueHolder() { ReleaseAndJoin(); }
  QueueHolder(const QueueHolder&) = delete;
  QueueHolder& operator=(const QueueHolder&) = delete;

  // Starts Write(fn) on a thread of its own and returns once it is queued; its Status lands in
  // *out when the thread ends.
  void Enqueue(Store::TxFn fn, Status* out) {
    threads_.emplace_back([this, fn = std::move(fn), out] { *out = store_.Write(fn); });
    WaitForQueued(static_cast<std::int64_t>(threads_.size()));
  }

  void WaitForQueued(std::int64_t n) {
    while (store_.Stats().queued_writes < n) std::this_thread::yield();
  }

  void ReleaseAndJoin() {
    if (!released_) release_.set_value();
    released_ = true;
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

 private:
  Store& store_;
  std::promise<void> holding_;
  std::promise<void> release_;
  bool released_ = false;
  std::vector<std::thread> threads_;
};

Store::TxFn Insert(std::vector<std::string> names, Status result = Status::Ok()) {
  return [names = std::move(names), result](Transaction& tx) -> Status {
    for (const std::string& name : names) {
      NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (name) VALUES (?)", {name}).status());
    }
    return result;
  };
}

std::vector<std::string> Names(Store& store) {
  std::vector<std::string> names;
  EXPECT_TRUE(store
                  .Read([&](Transaction& tx) -> Status {
                    NCBNET_ASSIGN_OR_RETURN(std::vector<Row> rows,
                                            tx.Query("SELECT name FROM t ORDER BY name"));
                    for (const Row& row : rows) names.push_back(row[0].AsText());
                    return Status::Ok();
                  })
                  .ok());
  return names;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenOrDie(path_);
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(CreateTable(*store_).ok());
  }

  // child(t_id) references t(id), checked only at COMMIT.
  Status CreateDeferredChildTable() {
    return store_->Write([](Transaction& tx) {
      return tx
          .Exec(
              "CREATE TABLE child (id INTEGER PRIMARY KEY, t_id INTEGER"
              " REFERENCES t(id) DEFERRABLE INITIALLY DEFERRED)")
          .status();
    });
  }

  testutil::TempDir dir_;
  std::string path_ = dir_.File("hub.db");
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, RoundTripsEveryValueType) {
  const std::string text("grüße \xE2\x9C\x93");  // NUL is refused: store_contract_test
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
  // A deferred foreign key left unresolved fails the write (the store checks it before its
  // group's COMMIT, which SQLite would otherwise refuse): none of its rows remain.
  ASSERT_TRUE(CreateDeferredChildTable().ok());
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
  EXPECT_EQ(stats.commits, 0) << "a store at this binary's version is only read on reopen";
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

TEST(Migrations, AreNumberedInOrderAndEachDoesSomething) {
  int last = 0;
  for (const Migration& m : AllMigrations()) {
    EXPECT_EQ(m.version, last + 1);
    EXPECT_FALSE(m.description.empty()) << m.version;
    EXPECT_FALSE(m.statements.empty()) << m.version;
    last = m.version;
  }
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
  // Writes may share commits here; each commit holds at least one of them.
  const StoreStats stats = store_->Stats();
  const std::int64_t commits = stats.commits - (1 + AllMigrations().back().version + 1);
  EXPECT_LE(commits, kWriters * kRowsEach);
  EXPECT_EQ(stats.grouped_writes == 0, commits == kWriters * kRowsEach);
}

TEST_F(SqliteStoreTest, ConcurrentWritesShareCommits) {
  constexpr int kThreads = 16;
  constexpr int kWritesEach = 200;
  const std::int64_t commits_before = store_->Stats().commits;
  std::promise<void> leading;
  auto run = [&](int thread) {
    for (int i = 0; i < kWritesEach; ++i) {
      const bool first = thread == 0 && i == 0;
      EXPECT_TRUE(store_
                      ->Write([&](Transaction& tx) -> Status {
                        if (first) {
                          // Hold the queue until every thread has a write waiting behind this
                          // one, so that at least those are grouped, whatever the scheduler does.
                          leading.set_value();
                          while (store_->Stats().queued_writes < kThreads) {
                            std::this_thread::yield();
                          }
                        }
                        return tx
                            .Exec("INSERT INTO t (name) VALUES (?)",
                                  {std::to_string(thread) + "-" + std::to_string(i)})
                            .status();
                      })
                      .ok());
    }
  };
  std::vector<std::thread> threads;
  threads.emplace_back(run, 0);
  leading.get_future().wait();
  for (int t = 1; t < kThreads; ++t) threads.emplace_back(run, t);
  for (std::thread& t : threads) t.join();

  EXPECT_EQ(CountRows(*store_), kThreads * kWritesEach);
  const StoreStats stats = store_->Stats();
  EXPECT_GT(stats.grouped_writes, 0);
  EXPECT_LT(stats.commits - commits_before, kThreads * kWritesEach);
  EXPECT_EQ(stats.rollbacks, 0);
  EXPECT_EQ(stats.queued_writes, 0);
}

TEST_F(SqliteStoreTest, FailingCallbackInAGroupLeavesNoTraceAndSparesTheOthers) {
  const StoreStats before = store_->Stats();
  Status first;
  Status failing;
  Status last;
  {
    QueueHolder holder(*store_);
    holder.Enqueue(Insert({"a1", "a2"}), &first);
    holder.Enqueue(Insert({"b1", "b2"}, Status::NotFound("nope", "callback failed")), &failing);
    holder.Enqueue(Insert({"c1"}), &last);
  }
  EXPECT_TRUE(first.ok()) << first.ToString();
  EXPECT_EQ(failing.code(), StatusCode::kNotFound);
  EXPECT_EQ(failing.reason(), "nope");
  EXPECT_TRUE(last.ok()) << last.ToString();
  EXPECT_EQ(Names(*store_), (std::vector<std::string>{"a1", "a2", "c1"}));
  const StoreStats after = store_->Stats();
  EXPECT_EQ(after.commits - before.commits, 2) << "the holder's, then one for the group";
  EXPECT_EQ(after.grouped_writes - before.grouped_writes, 2);
  EXPECT_EQ(after.rollbacks - before.rollbacks, 1);
}

// A callback that inserts `name` and registers a hook "count" that records, once per commit,
// how many rows the commit leaves (the hook runs after every callback).
Store::TxFn InsertWithHook(std::string name, Status result = Status::Ok()) {
  return [name = std::move(name), result](Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (name) VALUES (?)", {name}).status());
    tx.AddCommitHook("count", [](Transaction& t) -> Status {
      NCBNET_ASSIGN_OR_RETURN(std::optional<Row> n, t.QueryOne("SELECT COUNT(*) FROM t"));
      return t.Exec("INSERT INTO t (name) VALUES (?)", {"hook:" + std::to_string((*n)[0].AsInt())})
          .status();
    });
    EXPECT_TRUE(tx.HasCommitHook("count"));
    EXPECT_FALSE(tx.HasCommitHook("other"));
    return result;
  };
}

TEST_F(SqliteStoreTest, CommitHooksRunOncePerGroupAfterEveryCallback) {
  Status a;
  Status failing;
  Status c;
  {
    QueueHolder holder(*store_);
    holder.Enqueue(InsertWithHook("a"), &a);
    holder.Enqueue(InsertWithHook("b", Status::NotFound("nope", "callback failed")), &failing);
    holder.Enqueue(InsertWithHook("c"), &c);
  }
  EXPECT_TRUE(a.ok()) << a.ToString();
  EXPECT_EQ(failing.reason(), "nope");
  EXPECT_TRUE(c.ok()) << c.ToString();
  // One hook for the group, registered by "a", kept although "b" failed, run after "c".
  EXPECT_EQ(Names(*store_), (std::vector<std::string>{"a", "c", "hook:2"}));
}

TEST_F(SqliteStoreTest, FailingCommitHookFailsTheWholeGroup) {
  const auto failing_hook = [](Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (name) VALUES ('a')").status());
    tx.AddCommitHook("fail", [](Transaction& t) -> Status {
      NCBNET_RETURN_IF_ERROR(t.Exec("INSERT INTO t (name) VALUES ('hook')").status());
      return Status::DataLoss("hook_failed", "the hook failed");
    });
    return Status::Ok();
  };
  Status first;
  Status second;
  {
    QueueHolder holder(*store_);
    holder.Enqueue(failing_hook, &first);
    holder.Enqueue(Insert({"b"}), &second);
  }
  EXPECT_EQ(first.reason(), "hook_failed");
  EXPECT_EQ(second.reason(), "hook_failed");
  EXPECT_TRUE(Names(*store_).empty());
  // Hooks are per commit: the next write starts without any.
  ASSERT_TRUE(store_->Write(Insert({"c"})).ok());
  EXPECT_EQ(Names(*store_), (std::vector<std::string>{"c"}));
}

TEST_F(SqliteStoreTest, ReadsHaveNoCommitHooks) {
  ASSERT_TRUE(store_
                  ->Read([](Transaction& tx) {
                    tx.AddCommitHook("h", [](Transaction&) { return Status::Ok(); });
                    EXPECT_FALSE(tx.HasCommitHook("h"));
                    return Status::Ok();
                  })
                  .ok());
}

TEST_F(SqliteStoreTest, ConstraintViolationInAGroupFailsOnlyItsCallback) {
  Status first;
  Status clash;
  Status last;
  {
    QueueHolder holder(*store_);
    holder.Enqueue(Insert({"a"}), &first);
    // Sees the group's earlier insert of "a": the clash is with an uncommitted neighbour.
    holder.Enqueue(Insert({"b", "a"}), &clash);
    holder.Enqueue(Insert({"c"}), &last);
  }
  EXPECT_TRUE(first.ok()) << first.ToString();
  EXPECT_EQ(clash.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(clash.reason(), "constraint_violation");
  EXPECT_TRUE(last.ok()) << last.ToString();
  EXPECT_EQ(Names(*store_), (std::vector<std::string>{"a", "c"}));
}

TEST_F(SqliteStoreTest, ThrowingCallbackInAGroupFailsAloneAndFreesTheQueue) {
  Status first;
  Status thrower;
  Status last;
  {
    QueueHolder holder(*store_);
    holder.Enqueue(Insert({"a"}), &first);
    holder.Enqueue(
        [](Transaction& tx) -> Status {
          NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (name) VALUES ('b')").status());
          // As a library called from a callback might: std::out_of_range escapes.
          return Status::Internal("unreachable", std::string("x").substr(5));
        },
        &thrower);
    holder.Enqueue(Insert({"c"}), &last);
  }
  EXPECT_TRUE(first.ok()) << first.ToString();
  EXPECT_EQ(thrower.code(), StatusCode::kInternal);
  EXPECT_EQ(thrower.reason(), "store_error");
  EXPECT_TRUE(last.ok()) << last.ToString();
  EXPECT_EQ(Names(*store_), (std::vector<std::string>{"a", "c"}));
  // The queue still works, from this thread too.
  EXPECT_TRUE(store_->Write(Insert({"d"})).ok());
  EXPECT_EQ(CountRows(*store_), 3);
}

TEST_F(SqliteStoreTest, DeferredForeignKeyViolationFailsOnlyItsCallback) {
  ASSERT_TRUE(CreateDeferredChildTable().ok());
  Status first;
  Status orphan;
  Status last;
  {
    QueueHolder holder(*store_);
    holder.Enqueue(Insert({"a"}), &first);
    holder.Enqueue(
        [](Transaction& tx) { return tx.Exec("INSERT INTO child (t_id) VALUES (999)").status(); },
        &orphan);
    holder.Enqueue(Insert({"c"}), &last);
  }
  EXPECT_TRUE(first.ok()) << first.ToString();
  EXPECT_EQ(orphan.code(), StatusCode::kInvalidArgument) << orphan.ToString();
  EXPECT_EQ(orphan.reason(), "constraint_violation");
  EXPECT_TRUE(last.ok()) << last.ToString();
  EXPECT_EQ(Names(*store_), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(CountRows(*store_, "child"), 0);
}

TEST_F(SqliteStoreTest, TransactionEndedBySqliteFailsTheGroupSoFarAndNothingAutocommits) {
  ASSERT_TRUE(store_->Write(Insert({"taken"})).ok());
  Status first;
  Status ender;
  Status after_end;
  Status last;
  {
    QueueHolder holder(*store_);
    holder.Enqueue(Insert({"a"}), &first);
    holder.Enqueue(
        [&](Transaction& tx) -> Status {
          // OR ROLLBACK makes SQLite roll back the whole transaction, the group's included.
          const Status clash =
              tx.Exec("INSERT OR ROLLBACK INTO t (name) VALUES ('taken')").status();
          EXPECT_EQ(clash.code(), StatusCode::kAlreadyExists);
          // Ignoring the error must not let later statements autocommit on their own.
          after_end = tx.Exec("INSERT INTO t (name) VALUES ('autocommitted')").status();
          return Status::Ok();
        },
        &ender);
    holder.Enqueue(Insert({"c"}), &last);
  }
  EXPECT_EQ(first.code(), StatusCode::kUnavailable) << first.ToString();
  EXPECT_EQ(first.reason(), "store_busy");
  EXPECT_EQ(ender.code(), StatusCode::kInternal) << ender.ToString();
  EXPECT_EQ(after_end.code(), StatusCode::kInternal) << after_end.ToString();
  EXPECT_TRUE(last.ok()) << "a writer not yet run stays queued: " << last.ToString();
  EXPECT_EQ(Names(*store_), (std::vector<std::string>{"c", "taken"}));
}

TEST_F(SqliteStoreTest, CallbacksRunInQueueOrder) {
  ASSERT_TRUE(store_
                  ->Write([](Transaction& tx) {
                    return tx
                        .Exec(
                            "CREATE TABLE seq (hub TEXT NOT NULL, n INTEGER NOT NULL,"
                            " label INTEGER NOT NULL, PRIMARY KEY (hub, n))")
                        .status();
                  })
                  .ok());
  // Each callback numbers its row MAX()+1 for its hub, as the mailboxes do.
  auto append = [](std::string hub, int label) -> Store::TxFn {
    return [hub = std::move(hub), label](Transaction& tx) {
      return tx
          .Exec(
              "INSERT INTO seq (hub, n, label)"
              " SELECT ?, COALESCE(MAX(n), 0) + 1, ? FROM seq WHERE hub = ?",
              {hub, label, hub})
          .status();
    };
  };
  constexpr int kQueued = 8;
  std::vector<Status> statuses(kQueued);
  {
    QueueHolder holder(*store_);
    for (int i = 0; i < kQueued; ++i)
      holder.Enqueue(append(i % 2 == 0 ? "FRA" : "DEU", i), &statuses[static_cast<std::size_t>(i)]);
  }
  for (const Status& s : statuses) EXPECT_TRUE(s.ok()) << s.ToString();
  std::vector<Row> rows;
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> Status {
                    NCBNET_ASSIGN_OR_RETURN(
                        rows, tx.Query("SELECT hub, n, label FROM seq ORDER BY hub, n"));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(rows.size(), static_cast<std::size_t>(kQueued));
  // DEU: labels 1, 3, 5, 7 numbered 1..4; FRA: labels 0, 2, 4, 6 numbered 1..4.
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::int64_t n = static_cast<std::int64_t>(i % 4) + 1;
    const std::int64_t label = 2 * (n - 1) + (i < 4 ? 1 : 0);
    EXPECT_EQ(rows[i][0].AsText(), i < 4 ? "DEU" : "FRA");
    EXPECT_EQ(rows[i][1].AsInt(), n);
    EXPECT_EQ(rows[i][2].AsInt(), label) << "row " << i;
  }
}

TEST_F(SqliteStoreTest, NestedWriteIsRefusedInAGroupedCallback) {
  Status outer;
  Status inner;
  {
    QueueHolder holder(*store_);
    // This callback runs on the holder's thread, the leader, not on its caller's.
    holder.Enqueue(
        [&](Transaction& tx) -> Status {
          inner = store_->Write(Insert({"inner"}));
          return tx.Exec("INSERT INTO t (name) VALUES ('outer')").status();
        },
        &outer);
  }
  EXPECT_TRUE(outer.ok()) << outer.ToString();
  EXPECT_EQ(inner.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(inner.reason(), "nested_write");
  EXPECT_EQ(Names(*store_), (std::vector<std::string>{"outer"}));
}

TEST_F(SqliteStoreTest, CallbacksCannotTouchTheSavepoints) {
  for (const char* sql : {"SAVEPOINT mine", "RELEASE w", "ROLLBACK TO w"}) {
    const Status status = store_->Write([sql](Transaction& tx) -> Status {
      NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (name) VALUES (?)", {sql}).status());
      return tx.Exec(sql).status();
    });
    EXPECT_FALSE(status.ok()) << sql;
  }
  EXPECT_EQ(CountRows(*store_), 0);
}

}  // namespace
}  // namespace ncbnet::store
