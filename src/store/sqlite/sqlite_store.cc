#include "store/sqlite/sqlite_store.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <deque>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/check.h"
#include "store/connection_pool.h"
#include "store/group_commit.h"
#include "store/migrations.h"
#include "store/sqlite/checkpointer.h"
#include "store/sqlite/sqlite_connection.h"

namespace ncbnet::store {
namespace {

using internal::Connection;
using internal::ConnectionMode;

class SqliteTransaction final : public internal::HookedTransaction {
 public:
  SqliteTransaction(Connection& conn, bool read_only, internal::CommitHooks* hooks = nullptr)
      : HookedTransaction(hooks), conn_(conn), read_only_(read_only) {}

  using Transaction::Exec;
  using Transaction::Query;
  Result<std::int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
    NCBNET_RETURN_IF_ERROR(CheckOpen());
    return conn_.Exec(sql, params, read_only_);
  }
  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params) override {
    NCBNET_RETURN_IF_ERROR(CheckOpen());
    return conn_.Query(sql, params, read_only_);
  }

 private:
  // Some errors (I/O, disk full, INSERT OR ROLLBACK) make SQLite roll back the whole
  // transaction. Statements run after that would autocommit one by one, outside the group
  // commit and beyond any rollback: refuse them.
  Status CheckOpen() const {
    if (conn_.InTransaction()) return Status::Ok();
    return Status::Internal("store_error", "sqlite: the transaction was rolled back by an error");
  }

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

// Below this much space left for the database's file system, a write would likely fail: the
// WAL grows by whole pages and a checkpoint needs room too.
constexpr std::uint64_t kMinFreeBytes = 1 << 20;
// How long a failed write on a full disk or with an I/O error keeps the store not writable
// (CheckWritable) unless a commit succeeds first: long enough for a load balancer to see it,
// short enough that a node nobody writes to any more is tried again.
constexpr std::chrono::seconds kDiskFaultMemory{5};

std::int64_t SteadyNowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

class SqliteStore final : public Store, private internal::GroupWriter {
 public:
  SqliteStore(std::string path, const SqliteOptions& options, std::unique_ptr<Connection> writer,
              std::unique_ptr<internal::Checkpointer> checkpointer)
      : path_(std::move(path)),
        options_(options),
        writer_(std::move(writer)),
        checkpointer_(std::move(checkpointer)) {}

  Status Write(const TxFn& fn) override { return group_commit_.Write(fn); }
  Status Read(const TxFn& fn) override;
  StoreStats Stats() override;
  Status CheckWritable() override;

 private:
  // internal::GroupWriter, driven by group_commit_ from the leader's thread.
  Status Begin() override;
  Status Control(const char* sql) override { return writer_->Control(sql); }
  bool InTransaction() const override { return writer_ != nullptr && writer_->InTransaction(); }
  Status CheckCallback() override;
  std::unique_ptr<Transaction> NewTransaction(internal::CommitHooks* hooks) override {
    return std::make_unique<SqliteTransaction>(*writer_, /*read_only=*/false, hooks);
  }
  void AfterCommit() override;
  void EndFailedWrite(const Status& cause) override;

  static bool IsDiskFault(const Status& s);
  void ForgetConnections();

  const std::string path_;
  const SqliteOptions options_;

  std::unique_ptr<Connection> writer_;  // the leader's; null if lost and not reopened
  const std::unique_ptr<internal::Checkpointer> checkpointer_;
  internal::GroupCommit group_commit_{*this};
  // When the last write failed on a full disk or an I/O error (steady ms), 0 once a commit
  // succeeded since.
  std::atomic<std::int64_t> disk_fault_at_ms_{0};

  internal::ConnectionPool<Connection> readers_{
      options_.max_readers,
      [this] { return Connection::Open(path_, ConnectionMode::kReader, options_.busy_timeout); }};
};

Status SqliteStore::Begin() {
  if (writer_ == nullptr) {
    NCBNET_ASSIGN_OR_RETURN(
        writer_, Connection::Open(path_, ConnectionMode::kWriter, options_.busy_timeout));
  }
  return writer_->Control("BEGIN IMMEDIATE");
}

// A deferred foreign key would fail the COMMIT, and with it the whole group: fail this
// callback alone instead, with the error COMMIT would have given.
Status SqliteStore::CheckCallback() {
  if (!writer_->HasPendingForeignKeyViolations()) return Status::Ok();
  return Status::InvalidArgument("constraint_violation", "sqlite: FOREIGN KEY constraint failed");
}

void SqliteStore::AfterCommit() {
  disk_fault_at_ms_.store(0, std::memory_order_relaxed);
  if (checkpointer_->OnCommit()) {
    // Between groups, on the writer: short, since the checkpointer copied most pages already.
    static_cast<void>(internal::Checkpointer::FinishInCommitPath(*writer_));
  }
}

bool SqliteStore::IsDiskFault(const Status& s) {
  return s.reason() == "store_io_error" || s.reason() == "store_full";
}

// After a failed fsync the kernel may have dropped the dirty pages while the file handle still
// looks sound (PostgreSQL's fsync lesson): the next write opens a new connection, and idle
// readers are closed so that every page is read again from the file.
void SqliteStore::ForgetConnections() {
  writer_.reset();
  readers_.CloseIdle();
}

// Leaves nothing of a failed transaction behind. SQLite may already have rolled back (on I/O
// errors, for example); if our ROLLBACK fails, closing the connection rolls back instead, and
// the next leader opens a new one.
void SqliteStore::EndFailedWrite(const Status& cause) {
  if (IsDiskFault(cause)) {
    disk_fault_at_ms_.store(SteadyNowMillis(), std::memory_order_relaxed);
    ForgetConnections();
    return;
  }
  if (writer_ == nullptr || !writer_->InTransaction()) return;
  if (writer_->Control("ROLLBACK").ok() && !writer_->InTransaction()) return;
  writer_.reset();
}

Status SqliteStore::Read(const TxFn& fn) {
  NCBNET_ASSIGN_OR_RETURN(auto lease, readers_.Acquire());
  Status status = lease.conn().Control("BEGIN DEFERRED");
  if (status.ok()) {
    SqliteTransaction tx(lease.conn(), /*read_only=*/true);
    status = fn(tx);
    const Status end = lease.conn().Control(status.ok() ? "COMMIT" : "ROLLBACK");
    if (status.ok()) status = end;
  }
  // A connection still inside a transaction would pin an old snapshot: drop it.
  if (lease.conn().InTransaction()) lease.Discard();
  return status;
}

// No write transaction: the file system's free space, and whether the last write failed on
// the disk. Both are cheap enough to answer every probe afresh.
Status SqliteStore::CheckWritable() {
  struct statvfs fs {};
  if (::statvfs(path_.c_str(), &fs) != 0) {
    return Status::Unavailable("store_unavailable", "sqlite: cannot read the file system's state");
  }
  if (static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize < kMinFreeBytes) {
    return Status::Unavailable("store_unavailable", "sqlite: the file system is full");
  }
  const std::int64_t fault_at = disk_fault_at_ms_.load(std::memory_order_relaxed);
  const std::int64_t memory_ms = std::chrono::milliseconds(kDiskFaultMemory).count();
  if (fault_at != 0 && SteadyNowMillis() - fault_at < memory_ms) {
    return Status::Unavailable("store_unavailable", "sqlite: the last write failed on the disk");
  }
  return Status::Ok();
}

StoreStats SqliteStore::Stats() {
  StoreStats stats;
  stats.backend = "sqlite";
  group_commit_.FillStats(stats);
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

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options) {
  if (options.max_readers < 1 || options.busy_timeout.count() < 0) {
    return Status::InvalidArgument("invalid_options", "max_readers must be at least 1");
  }
  NCBNET_RETURN_IF_ERROR(CreateFileIfMissing(path));
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer,
                          Connection::Open(path, ConnectionMode::kWriter, options.busy_timeout));
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<internal::Checkpointer> checkpointer,
                          internal::Checkpointer::Start(path, options.busy_timeout));
  auto store =
      std::make_unique<SqliteStore>(path, options, std::move(writer), std::move(checkpointer));
  NCBNET_RETURN_IF_ERROR(ApplyMigrations(*store));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace ncbnet::store
