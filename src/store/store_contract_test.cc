// The store's contract (store/store.h), run on every back end: SQLite always, PostgreSQL when
// NCBNET_TEST_POSTGRES names a server (scripts/test.sh starts one with tests/pg/pg_server.sh;
// without it those cases are skipped, and say so). Each PostgreSQL case gets a schema of its
// own on that server.
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <future>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/migrations.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet::store {
namespace {

const char* PostgresServer() { return std::getenv("NCBNET_TEST_POSTGRES"); }

// A location no other case uses: a file, or a new schema on the test server.
std::string FreshLocation(const std::string& backend, const testutil::TempDir& dir) {
  if (backend == "sqlite") return dir.File("contract.db");
  const std::string server = PostgresServer();
  static std::atomic<int> counter{0};
  const std::string schema =
      "contract_" + std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1));
  auto admin = internal::PgConnection::Open(server, std::chrono::milliseconds(5000));
  EXPECT_TRUE(admin.ok()) << admin.status().ToString();
  if (!admin.ok()) return "";
  const std::string create =
      "DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema;
  EXPECT_TRUE((*admin)->Control(create.c_str()).ok());
  return server + (server.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         schema;
}

Result<std::unique_ptr<Store>> Open(const std::string& location) {
  if (IsPostgresUri(location)) return OpenPostgresStore(location);
  return OpenSqliteStore(location);
}

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql" && PostgresServer() == nullptr) {
      GTEST_SKIP() << "NCBNET_TEST_POSTGRES is not set: no PostgreSQL server to test against";
    }
    location_ = FreshLocation(GetParam(), dir_);
    ASSERT_FALSE(location_.empty());
    store_ = OpenOrDie();
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                     " i INTEGER, r REAL, s TEXT, b BLOB)")
                    .ok());
  }

  std::unique_ptr<Store> OpenOrDie() {
    Result<std::unique_ptr<Store>> store = Open(location_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  Status Exec(const std::string& sql, std::vector<Value> params = {}) {
    return store_->Write([&](Transaction& tx) { return tx.Exec(sql, params).status(); });
  }

  std::vector<Row> Query(const std::string& sql, Store* store = nullptr) {
    std::vector<Row> rows;
    const Status s = (store != nullptr ? *store : *store_).Read([&](Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(rows, tx.Query(sql));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return rows;
  }

  std::int64_t Count() { return Query("SELECT COUNT(*) FROM t").at(0).at(0).AsInt(); }

  testutil::TempDir dir_;
  std::string location_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreContract, RoundTripsEveryValueType) {
  const std::string text =
      "gr\xC3\xBC\xC3\x9F"
      "e \xE2\x9C\x93 \xD8\xB9";
  const std::string bytes("\x00\xff\x01\x80'\\", 6);
  ASSERT_TRUE(Exec("INSERT INTO t (id, name, i, r, s, b) VALUES (?, ?, ?, ?, ?, ?)",
                   {1, "min", std::numeric_limits<std::int64_t>::min(), -2.5, text, Blob{bytes}})
                  .ok());
  ASSERT_TRUE(Exec("INSERT INTO t (id, name, i, r, s, b) VALUES (?, ?, ?, ?, ?, ?)",
                   {2, "max", std::numeric_limits<std::int64_t>::max(), Value(), "", Blob{""}})
                  .ok());
  const std::vector<Row> rows = Query("SELECT i, r, s, b FROM t ORDER BY id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0].AsInt(), std::numeric_limits<std::int64_t>::min());
  EXPECT_TRUE(rows[0][1].is_real());
  EXPECT_EQ(rows[0][1].AsReal(), -2.5);
  EXPECT_TRUE(rows[0][2].is_text());
  EXPECT_EQ(rows[0][2].AsText(), text);
  EXPECT_TRUE(rows[0][3].is_blob());
  EXPECT_EQ(rows[0][3].AsText(), bytes);
  EXPECT_EQ(rows[1][0].AsInt(), std::numeric_limits<std::int64_t>::max());
  EXPECT_TRUE(rows[1][1].is_null());
  EXPECT_TRUE(rows[1][2].is_text());
  EXPECT_EQ(rows[1][2].AsText(), "");
  EXPECT_TRUE(rows[1][3].is_blob()) << "an empty blob must not turn into NULL";
}

TEST_P(StoreContract, AHealthyStoreIsWritable) {
  // Twice: a back end may answer the second from its first probe.
  EXPECT_TRUE(store_->CheckWritable().ok());
  EXPECT_TRUE(store_->CheckWritable().ok());
}

TEST_P(StoreContract, AggregatesAndPredicatesAreIntegers) {
  for (int id = 1; id <= 3; ++id) {
    ASSERT_TRUE(Exec("INSERT INTO t (id, name, i) VALUES (?, ?, ?)",
                     {id, "n" + std::to_string(id), id * 10})
                    .ok());
  }
  const std::vector<Row> rows = Query(
      "SELECT COUNT(*), SUM(i), MAX(i), EXISTS (SELECT 1 FROM t WHERE i = 20),"
      " CAST('42' AS INTEGER) FROM t");
  ASSERT_EQ(rows.size(), 1u);
  for (std::size_t c = 0; c < rows[0].size(); ++c) {
    EXPECT_TRUE(rows[0][c].is_int()) << "column " << c;
  }
  EXPECT_EQ(rows[0][0].AsInt(), 3);
  EXPECT_EQ(rows[0][1].AsInt(), 60);
  EXPECT_EQ(rows[0][2].AsInt(), 30);
  EXPECT_EQ(rows[0][3].AsInt(), 1);
  EXPECT_EQ(rows[0][4].AsInt(), 42);
}

TEST_P(StoreContract, TextOrdersBytewise) {
  const std::vector<std::string> names = {"b", "B", "a", "\xC3\xA9", "_", "Z"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    ASSERT_TRUE(
        Exec("INSERT INTO t (id, name) VALUES (?, ?)", {static_cast<std::int64_t>(i), names[i]})
            .ok());
  }
  std::vector<std::string> got;
  for (const Row& row : Query("SELECT name FROM t ORDER BY name")) got.push_back(row[0].AsText());
  EXPECT_EQ(got, (std::vector<std::string>{"B", "Z", "_", "a", "b", "\xC3\xA9"}));
}

TEST_P(StoreContract, RefusesTextThatIsNotUtf8OrHoldsNul) {
  for (const std::string& bad :
       {std::string("a\0b", 3), std::string("\xff\xfe"), std::string("\xC3")}) {
    const Status s = Exec("INSERT INTO t (id, name) VALUES (1, ?)", {bad});
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    EXPECT_EQ(s.reason(), "invalid_text");
  }
  EXPECT_EQ(Count(), 0);
}

TEST_P(StoreContract, ExecReturnsChangedRows) {
  ASSERT_TRUE(
      store_
          ->Write([](Transaction& tx) -> Status {
            for (int i = 0; i < 3; ++i) {
              NCBNET_ASSIGN_OR_RETURN(
                  std::int64_t n,
                  tx.Exec("INSERT INTO t (id, name) VALUES (?, ?)", {i, "x" + std::to_string(i)}));
              EXPECT_EQ(n, 1);
            }
            NCBNET_ASSIGN_OR_RETURN(std::int64_t updated, tx.Exec("UPDATE t SET i = 1"));
            EXPECT_EQ(updated, 3);
            NCBNET_ASSIGN_OR_RETURN(std::int64_t none, tx.Exec("DELETE FROM t WHERE id < 0"));
            EXPECT_EQ(none, 0);
            return Status::Ok();
          })
          .ok());
}

TEST_P(StoreContract, CallbackErrorRollsBackEverything) {
  const Status status = store_->Write([](Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (id, name) VALUES (1, 'a')").status());
    return Status::NotFound("nope", "callback failed");
  });
  EXPECT_EQ(status.reason(), "nope");
  EXPECT_EQ(Count(), 0);
  EXPECT_TRUE(Exec("INSERT INTO t (id, name) VALUES (1, 'a')").ok());
  EXPECT_EQ(Count(), 1);
}

TEST_P(StoreContract, MapsConstraintViolations) {
  ASSERT_TRUE(Exec("INSERT INTO t (id, name) VALUES (1, 'a')").ok());
  const Status unique = Exec("INSERT INTO t (id, name) VALUES (2, 'a')");
  EXPECT_EQ(unique.code(), StatusCode::kAlreadyExists) << unique.ToString();
  EXPECT_EQ(unique.reason(), "constraint_violation");
  const Status not_null = Exec("INSERT INTO t (id, name) VALUES (3, NULL)");
  EXPECT_EQ(not_null.code(), StatusCode::kInvalidArgument) << not_null.ToString();
  EXPECT_EQ(not_null.reason(), "constraint_violation");
  // ON CONFLICT is the portable way to tolerate a clash.
  ASSERT_TRUE(Exec("INSERT INTO t (id, name) VALUES (4, 'a') ON CONFLICT (name) DO NOTHING").ok());
  ASSERT_TRUE(Exec("INSERT INTO t (id, name, i) VALUES (1, 'a', 7)"
                   " ON CONFLICT (id) DO UPDATE SET i = excluded.i")
                  .ok());
  EXPECT_EQ(Query("SELECT i FROM t WHERE id = 1").at(0).at(0).AsInt(), 7);
  EXPECT_EQ(Count(), 1);
}

TEST_P(StoreContract, ReadRefusesWrites) {
  const Status s = store_->Read(
      [](Transaction& tx) { return tx.Exec("INSERT INTO t (id, name) VALUES (1, 'a')").status(); });
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  EXPECT_EQ(s.reason(), "read_only_transaction");
  EXPECT_EQ(Count(), 0);
}

TEST_P(StoreContract, NestedWriteIsRefused) {
  const Status s = store_->Write(
      [&](Transaction&) { return store_->Write([](Transaction&) { return Status::Ok(); }); });
  EXPECT_EQ(s.reason(), "nested_write");
}

TEST_P(StoreContract, AFailedStatementTheCallbackIgnoredUndoesThatCallbackOnly) {
  ASSERT_TRUE(Exec("INSERT INTO t (id, name) VALUES (1, 'a')").ok());
  const Status s = store_->Write([](Transaction& tx) -> Status {
    // Written before the clash; ignoring the clash must not commit a half-done callback on a
    // back end whose transaction refuses everything after an error.
    NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (id, name) VALUES (2, 'b')").status());
    static_cast<void>(tx.Exec("INSERT INTO t (id, name) VALUES (3, 'a')"));
    static_cast<void>(tx.Exec("INSERT INTO t (id, name) VALUES (4, 'c')"));
    return Status::Ok();
  });
  if (s.ok()) {
    EXPECT_EQ(GetParam(), "sqlite") << "only SQLite goes on after a failed statement";
    EXPECT_EQ(Count(), 3);
  } else {
    EXPECT_EQ(Count(), 1);
  }
  EXPECT_TRUE(Exec("INSERT INTO t (id, name) VALUES (5, 'e')").ok()) << "the writer recovers";
}

TEST_P(StoreContract, ConcurrentWritesShareCommitsAndFailuresStayAlone) {
  constexpr int kThreads = 8;
  constexpr int kWritesEach = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        const int id = t * kWritesEach + i;
        // Every fifth write clashes on the unique name and must fail alone.
        const std::string name = (id % 5 == 4) ? "clash" : "n" + std::to_string(id);
        const Status s = Exec("INSERT INTO t (id, name) VALUES (?, ?)", {id, name});
        if (!s.ok()) failed.fetch_add(1);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const int clashes = kThreads * kWritesEach / 5;
  EXPECT_EQ(failed.load(), clashes - 1);  // the first "clash" wins
  EXPECT_EQ(Count(), kThreads * kWritesEach - clashes + 1);
  const StoreStats stats = store_->Stats();
  EXPECT_LT(stats.commits, kThreads * kWritesEach);
  EXPECT_EQ(stats.queued_writes, 0);
}

TEST_P(StoreContract, CommitHooksRunOncePerCommitAfterTheCallbacks) {
  int runs = 0;
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> Status {
                    for (int i = 0; i < 2; ++i) {
                      tx.AddCommitHook("count", [&](Transaction& hook_tx) -> Status {
                        ++runs;
                        return hook_tx.Exec("UPDATE t SET i = (SELECT COUNT(*) FROM t)").status();
                      });
                    }
                    return tx.Exec("INSERT INTO t (id, name) VALUES (1, 'a')").status();
                  })
                  .ok());
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(Query("SELECT i FROM t").at(0).at(0).AsInt(), 1);
  const Status failing = store_->Write([](Transaction& tx) -> Status {
    tx.AddCommitHook("fail", [](Transaction&) { return Status::Internal("hook", "no"); });
    return tx.Exec("INSERT INTO t (id, name) VALUES (2, 'b')").status();
  });
  EXPECT_EQ(failing.reason(), "hook");
  EXPECT_EQ(Count(), 1);
}

TEST_P(StoreContract, ReadsSeeOneSnapshot) {
  ASSERT_TRUE(Exec("INSERT INTO t (id, name) VALUES (1, 'a')").ok());
  std::promise<void> first_read;
  std::promise<void> written;
  std::thread reader([&] {
    const Status s = store_->Read([&](Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(std::optional<Row> before, tx.QueryOne("SELECT COUNT(*) FROM t"));
      first_read.set_value();
      written.get_future().wait();
      NCBNET_ASSIGN_OR_RETURN(std::optional<Row> after, tx.QueryOne("SELECT COUNT(*) FROM t"));
      EXPECT_EQ((*before)[0].AsInt(), 1);
      EXPECT_EQ((*after)[0].AsInt(), 1) << "a read sees the state it began with";
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
  });
  first_read.get_future().wait();
  EXPECT_TRUE(Exec("INSERT INTO t (id, name) VALUES (2, 'b')").ok());
  written.set_value();
  reader.join();
  EXPECT_EQ(Count(), 2);
}

// Two processes' stores on one database (two hub nodes) number rows max + 1 without a clash:
// writes are serialised across them, and commit in the order of their numbers.
TEST_P(StoreContract, TwoStoresOnOneDatabaseSerialiseTheirWrites) {
  std::unique_ptr<Store> other = OpenOrDie();
  ASSERT_NE(other, nullptr);
  constexpr int kEach = 60;
  auto run = [&](Store& store, const std::string& who) {
    for (int i = 0; i < kEach; ++i) {
      const Status s = store.Write([&](Transaction& tx) -> Status {
        NCBNET_ASSIGN_OR_RETURN(std::optional<Row> next,
                                tx.QueryOne("SELECT COALESCE(MAX(id), 0) + 1 FROM t"));
        return tx
            .Exec("INSERT INTO t (id, name) VALUES (?, ?)",
                  {(*next)[0].AsInt(), who + std::to_string(i)})
            .status();
      });
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
  };
  std::thread a([&] { run(*store_, "a"); });
  std::thread b([&] { run(*other, "b"); });
  a.join();
  b.join();
  EXPECT_EQ(Count(), 2 * kEach);
  EXPECT_EQ(Query("SELECT MAX(id) FROM t", other.get()).at(0).at(0).AsInt(), 2 * kEach);
}

TEST_P(StoreContract, DataAndSchemaSurviveReopenAndNewerSchemasAreRefused) {
  ASSERT_TRUE(Exec("INSERT INTO t (id, name) VALUES (1, 'a')").ok());
  const std::int64_t version = store_->Stats().schema_version;
  EXPECT_EQ(version, static_cast<std::int64_t>(AllMigrations().size()));
  store_.reset();
  store_ = OpenOrDie();
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(Count(), 1);
  EXPECT_EQ(store_->Stats().schema_version, version);
  ASSERT_TRUE(Exec("UPDATE schema_version SET version = ? WHERE id = 1", {version + 1}).ok());
  const bool postgres = GetParam() == std::string("postgresql");
  // On PostgreSQL, opening installs SQLite's hex() and randomblob() when they are missing: a
  // refused newer schema must not be written to, those functions included.
  if (postgres) {
    ASSERT_TRUE(Exec("DROP FUNCTION randomblob(INTEGER)").ok());
  }
  store_.reset();
  const Result<std::unique_ptr<Store>> newer = Open(location_);
  EXPECT_EQ(newer.status().reason(), "schema_too_new");
  if (postgres) {
    auto conn = internal::PgConnection::Open(location_, std::chrono::milliseconds(2000));
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    auto rows = (*conn)->Query(
        "SELECT CASE WHEN to_regprocedure('randomblob(integer)') IS NULL THEN 0 ELSE 1 END", {});
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(rows->at(0).at(0).AsInt(), 0) << "the refused store was written to";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& param_info) { return param_info.param; });

TEST(PostgresStore, UnreachableServerIsUnavailableAndSaysWhy) {
  const testutil::TempDir dir;
  const Result<std::unique_ptr<Store>> store = OpenPostgresStore(
      "postgresql://nobody@/ncbnet?host=" + dir.path().string() + "&connect_timeout=2");
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store.status().reason(), "store_unavailable");
  EXPECT_NE(store.status().message().find("postgresql:"), std::string::npos);
}

TEST(PostgresStore, PasswordIsNeverInTheError) {
  const Result<std::unique_ptr<Store>> store =
      OpenPostgresStore("postgresql://u:s3cr3t-pw@127.0.0.1:1/db?connect_timeout=2");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().message().find("s3cr3t-pw"), std::string::npos);
}

TEST(PostgresStore, RefusesWhatIsNotAPostgresUri) {
  EXPECT_EQ(OpenPostgresStore("/var/lib/ncbnet.db").status().reason(), "invalid_options");
}

}  // namespace
}  // namespace ncbnet::store
