#include "store/sqlite/sqlite_store.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "core/check.h"
#include "store/migrations.h"
#include "store/sqlite/sqlite_connection.h"

namespace ncbnet::store {
namespace {

using internal::Connection;
using internal::ConnectionMode;

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(Connection& conn, bool read_only) : conn_(conn), read_only_(read_only) {}

  using Transaction::Exec;
  using Transaction::Query;
  Result<std::int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
    return conn_.Exec(sql, params, read_only_);
  }
  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params) override {
    return conn_.Query(sql, params, read_only_);
  }

 private:
  Connection& conn_;
  const bool read_only_;
};

// Creates the database file with mode 0600 if it is missing, so that no other user can read it
// at any moment. SQLite gives the -wal and -shm files the database file's mode.
Status CreateFileIfMissing(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Status::Ok();
    return Status::Internal("store_error", "cannot create " + path + ": " + std::strerror(errno));
  }
  const bool chmod_ok = ::fchmod(fd, 0600) == 0;  // whatever the umask
  ::close(fd);
  if (!chmod_ok) return Status::Internal("store_error", "cannot set the mode of " + path);
  return Status::Ok();
}

Result<std::int64_t> SchemaVersion(Transaction& tx) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<Row> row,
                          tx.QueryOne("SELECT version FROM schema_version WHERE id = 1"));
  if (!row || row->empty() || !(*row)[0].is_int()) {
    return Status::Internal("store_error", "schema_version row missing");
  }
  return (*row)[0].AsInt();
}

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, const SqliteOptions& options, std::unique_ptr<Connection> writer)
      : path_(std::move(path)), options_(options), writer_(std::move(writer)) {}

  Status Write(const TxFn& fn) override;
  Status Read(const TxFn& fn) override;
  StoreStats Stats() override;

  // Creates schema_version if missing and applies every migration newer than the file.
  Status Migrate();

 private:
  // Hands out a reader connection and takes it back, discarding it if it is in a bad state.
  class ReaderLease {
   public:
    ReaderLease(SqliteStore& store, std::unique_ptr<Connection> conn)
        : store_(store), conn_(std::move(conn)) {}
    ~ReaderLease();
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;
    Connection& conn() { return *conn_; }

   private:
    SqliteStore& store_;
    std::unique_ptr<Connection> conn_;
  };

  Result<std::unique_ptr<Connection>> AcquireReader();
  void ReleaseReader(std::unique_ptr<Connection> conn);
  Status WriteLocked(const TxFn& fn);
  void EndFailedWrite();

  const std::string path_;
  const SqliteOptions options_;

  std::mutex write_mu_;
  std::unique_ptr<Connection> writer_;  // guarded by write_mu_; null if lost and not reopened
  std::atomic<std::thread::id> writer_thread_{};

  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;  // guarded by pool_mu_
  int open_readers_ = 0;                                   // guarded by pool_mu_

  std::atomic<std::int64_t> commits_{0};
  std::atomic<std::int64_t> rollbacks_{0};
};

Status SqliteStore::Write(const TxFn& fn) {
  // The writer mutex is not recursive: a nested Write() on the same thread would deadlock.
  if (writer_thread_.load() == std::this_thread::get_id()) {
    return Status::FailedPrecondition("nested_write", "Write() called inside a Write() callback");
  }
  std::lock_guard<std::mutex> lock(write_mu_);
  writer_thread_.store(std::this_thread::get_id());
  Status status = WriteLocked(fn);
  writer_thread_.store(std::thread::id());
  return status;
}

Status SqliteStore::WriteLocked(const TxFn& fn) {
  if (writer_ == nullptr) {
    NCBNET_ASSIGN_OR_RETURN(
        writer_, Connection::Open(path_, ConnectionMode::kWriter, options_.busy_timeout));
  }
  NCBNET_RETURN_IF_ERROR(writer_->Control("BEGIN IMMEDIATE"));
  SqliteTransaction tx(*writer_, /*read_only=*/false);
  Status status = fn(tx);
  if (status.ok()) {
    status = writer_->Control("COMMIT");
    if (status.ok()) {
      commits_.fetch_add(1);
      return status;
    }
  }
  EndFailedWrite();
  return status;
}

// Leaves nothing of a failed write behind. SQLite may already have rolled back (on I/O errors,
// for example); if our ROLLBACK fails, closing the connection rolls back instead, and the next
// Write() opens a new one.
void SqliteStore::EndFailedWrite() {
  rollbacks_.fetch_add(1);
  if (!writer_->InTransaction()) return;
  if (writer_->Control("ROLLBACK").ok() && !writer_->InTransaction()) return;
  writer_.reset();
}

Result<std::unique_ptr<Connection>> SqliteStore::AcquireReader() {
  std::unique_lock<std::mutex> lock(pool_mu_);
  pool_cv_.wait(lock,
                [this] { return !idle_readers_.empty() || open_readers_ < options_.max_readers; });
  if (!idle_readers_.empty()) {
    std::unique_ptr<Connection> conn = std::move(idle_readers_.back());
    idle_readers_.pop_back();
    return conn;
  }
  ++open_readers_;
  lock.unlock();
  Result<std::unique_ptr<Connection>> conn =
      Connection::Open(path_, ConnectionMode::kReader, options_.busy_timeout);
  if (!conn.ok()) ReleaseReader(nullptr);
  return conn;
}

void SqliteStore::ReleaseReader(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (conn != nullptr) {
      idle_readers_.push_back(std::move(conn));
    } else {
      --open_readers_;
    }
  }
  pool_cv_.notify_one();
}

SqliteStore::ReaderLease::~ReaderLease() {
  // A connection still inside a transaction would pin an old snapshot: drop it.
  if (conn_ != nullptr && conn_->InTransaction()) conn_.reset();
  store_.ReleaseReader(std::move(conn_));
}

Status SqliteStore::Read(const TxFn& fn) {
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, AcquireReader());
  ReaderLease lease(*this, std::move(conn));
  NCBNET_RETURN_IF_ERROR(lease.conn().Control("BEGIN DEFERRED"));
  SqliteTransaction tx(lease.conn(), /*read_only=*/true);
  Status status = fn(tx);
  Status end = lease.conn().Control(status.ok() ? "COMMIT" : "ROLLBACK");
  return status.ok() ? end : status;
}

StoreStats SqliteStore::Stats() {
  StoreStats stats;
  stats.backend = "sqlite";
  stats.commits = commits_.load();
  stats.rollbacks = rollbacks_.load();
  // Best effort: Stats() has no error channel, so a failed read leaves zeros.
  (void)Read([&stats](Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(std::optional<Row> count, tx.QueryOne("PRAGMA page_count"));
    NCBNET_ASSIGN_OR_RETURN(std::optional<Row> size, tx.QueryOne("PRAGMA page_size"));
    if (count && size && !count->empty() && !size->empty()) {
      stats.size_bytes = (*count)[0].AsInt() * (*size)[0].AsInt();
    }
    NCBNET_ASSIGN_OR_RETURN(stats.schema_version, SchemaVersion(tx));
    return Status::Ok();
  });
  return stats;
}

Status SqliteStore::Migrate() {
  const std::vector<Migration>& migrations = AllMigrations();
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    NCBNET_CHECK(migrations[i].version == static_cast<int>(i + 1),
                 "migrations must be numbered 1, 2, 3... in order");
  }
  const std::int64_t latest = static_cast<std::int64_t>(migrations.size());
  std::int64_t current = 0;
  // Lambdas are named first: NCBNET_RETURN_IF_ERROR inside another one's argument would shadow.
  const auto bootstrap = [&](Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(
        tx.Exec("CREATE TABLE IF NOT EXISTS schema_version ("
                " id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)")
            .status());
    NCBNET_RETURN_IF_ERROR(
        tx.Exec("INSERT OR IGNORE INTO schema_version (id, version) VALUES (1, 0)").status());
    NCBNET_ASSIGN_OR_RETURN(current, SchemaVersion(tx));
    return Status::Ok();
  };
  NCBNET_RETURN_IF_ERROR(Write(bootstrap));
  if (current > latest) {
    return Status::FailedPrecondition("schema_too_new",
                                      "database schema version " + std::to_string(current) +
                                          " is newer than this binary's " + std::to_string(latest));
  }
  for (const Migration& migration : migrations) {
    if (migration.version <= current) continue;
    const auto apply = [&](Transaction& tx) -> Status {
      // Another process may have migrated the file since we looked.
      NCBNET_ASSIGN_OR_RETURN(const std::int64_t now, SchemaVersion(tx));
      if (now >= migration.version) return Status::Ok();
      for (std::string_view sql : migration.statements) {
        NCBNET_RETURN_IF_ERROR(tx.Exec(sql).status());
      }
      return tx.Exec("UPDATE schema_version SET version = ? WHERE id = 1", {migration.version})
          .status();
    };
    NCBNET_RETURN_IF_ERROR(Write(apply));
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options) {
  if (options.max_readers < 1 || options.busy_timeout.count() < 0) {
    return Status::InvalidArgument("invalid_options", "max_readers must be at least 1");
  }
  NCBNET_RETURN_IF_ERROR(CreateFileIfMissing(path));
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer,
                          Connection::Open(path, ConnectionMode::kWriter, options.busy_timeout));
  auto store = std::make_unique<SqliteStore>(path, options, std::move(writer));
  NCBNET_RETURN_IF_ERROR(store->Migrate());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace ncbnet::store
