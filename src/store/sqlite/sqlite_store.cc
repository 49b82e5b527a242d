#include "store/sqlite/sqlite_store.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
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
#include "store/migrations.h"
#include "store/sqlite/checkpointer.h"
#include "store/sqlite/sqlite_connection.h"

namespace ncbnet::store {
namespace {

using internal::Connection;
using internal::ConnectionMode;

// The commit hooks of one group commit (Transaction::AddCommitHook), in registration order.
using CommitHooks = std::vector<std::pair<std::string, Transaction::CommitHook>>;

class SqliteTransaction final : public Transaction {
 public:
  // `hooks` is where AddCommitHook() registers: the group's, or null (reads, and the hooks
  // themselves, which cannot add more).
  SqliteTransaction(Connection& conn, bool read_only, CommitHooks* hooks = nullptr)
      : conn_(conn), read_only_(read_only), hooks_(hooks) {}

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
  bool HasCommitHook(std::string_view name) const override {
    return hooks_ != nullptr && std::any_of(hooks_->begin(), hooks_->end(),
                                            [&](const auto& hook) { return hook.first == name; });
  }
  void AddCommitHook(std::string_view name, CommitHook fn) override {
    if (hooks_ != nullptr && !HasCommitHook(name)) hooks_->emplace_back(name, std::move(fn));
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
  CommitHooks* const hooks_;
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

// A group commit runs at most this many callbacks in one transaction, so that one fsync is
// shared widely but no caller waits behind an unbounded queue of others' callbacks.
constexpr std::size_t kMaxGroupSize = 64;

// One Write() waiting in the writer queue (LevelDB's DBImpl::Writer). It lives on the caller's
// stack until Write() returns; the leader sets `status`, then `done` under the queue mutex.
struct PendingWrite {
  explicit PendingWrite(const Store::TxFn& f) : fn(f) {}
  const Store::TxFn& fn;
  Status status;
  bool done = false;
  std::condition_variable cv;
};

// Runs a callback; an exception (ours never throw, but a library called inside may) becomes
// kInternal instead of unwinding through the leader, which would strand the writer queue.
Status RunCallback(const Store::TxFn& fn, Transaction& tx) {
  try {
    return fn(tx);
  } catch (...) {
    // The exception's text may quote data; operators get a fixed message.
    return Status::Internal("store_error", "a Write() callback threw an exception");
  }
}

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, const SqliteOptions& options, std::unique_ptr<Connection> writer,
              std::unique_ptr<internal::Checkpointer> checkpointer)
      : path_(std::move(path)),
        options_(options),
        writer_(std::move(writer)),
        checkpointer_(std::move(checkpointer)) {}

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

  using Group = std::span<PendingWrite* const>;

  Result<std::unique_ptr<Connection>> AcquireReader();
  void ReleaseReader(std::unique_ptr<Connection> conn);
  std::size_t RunGroup(Group group);
  bool RunInSavepoint(PendingWrite& w, CommitHooks& hooks);
  void CommitGroup(Group group, const CommitHooks& hooks);
  Status RunCommitHooks(const CommitHooks& hooks);
  void EndFailedWrite();
  static bool IsDiskFault(const Status& s);
  void ForgetConnections();

  const std::string path_;
  const SqliteOptions options_;

  // The writer queue. Only the leader, the writer at the front, touches writer_ and runs
  // callbacks; it stays at the front until its group is finished, so there is one at a time.
  std::mutex write_mu_;
  std::deque<PendingWrite*> writers_;   // guarded by write_mu_
  std::unique_ptr<Connection> writer_;  // the leader's; null if lost and not reopened
  std::atomic<std::thread::id> leader_thread_{};
  const std::unique_ptr<internal::Checkpointer> checkpointer_;

  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;  // guarded by pool_mu_
  int open_readers_ = 0;                                   // guarded by pool_mu_

  std::atomic<std::int64_t> commits_{0};
  std::atomic<std::int64_t> rollbacks_{0};
  std::atomic<std::int64_t> grouped_writes_{0};
};

Status SqliteStore::Write(const TxFn& fn) {
  // Callbacks run on the leader's thread while its writer holds the front of the queue: a
  // Write() from inside one would wait for itself.
  if (leader_thread_.load() == std::this_thread::get_id()) {
    return Status::FailedPrecondition("nested_write", "Write() called inside a Write() callback");
  }
  PendingWrite self(fn);
  std::unique_lock<std::mutex> lock(write_mu_);
  writers_.push_back(&self);
  self.cv.wait(lock, [&] { return self.done || writers_.front() == &self; });
  if (self.done) return self.status;  // a leader ran it in its group

  // Lead: take what is queued now (no waiting for more) and leave it queued, so that writers
  // arriving meanwhile wait behind it.
  std::array<PendingWrite*, kMaxGroupSize> group{};
  const std::size_t size = std::min(writers_.size(), kMaxGroupSize);
  std::copy_n(writers_.begin(), size, group.begin());
  lock.unlock();
  leader_thread_.store(std::this_thread::get_id());
  const std::size_t finished = RunGroup(Group(group.data(), size));
  leader_thread_.store(std::thread::id());
  lock.lock();
  NCBNET_CHECK(finished >= 1 && finished <= size, "a group finishes at least its leader");
  for (std::size_t i = 0; i < finished; ++i) {
    PendingWrite* w = writers_.front();
    writers_.pop_front();
    w->done = true;
    w->cv.notify_one();  // under the mutex: once it is released, `w` may be gone
  }
  if (!writers_.empty()) writers_.front()->cv.notify_one();  // the next leader
  return self.status;
}

// Runs `group`, the front of the writer queue in order, in one transaction: each callback
// inside its own savepoint, so that a failed one is undone alone, then one COMMIT. Sets the
// status of every writer it finishes and returns how many that is, from the front: all of
// them, unless SQLite ended the transaction part-way, when the rest stay queued.
std::size_t SqliteStore::RunGroup(Group group) {
  Status begin = Status::Ok();
  if (writer_ == nullptr) {
    Result<std::unique_ptr<Connection>> conn =
        Connection::Open(path_, ConnectionMode::kWriter, options_.busy_timeout);
    if (conn.ok()) {
      writer_ = std::move(conn).value();
    } else {
      begin = conn.status();
    }
  }
  if (begin.ok()) begin = writer_->Control("BEGIN IMMEDIATE");
  if (!begin.ok()) {
    for (PendingWrite* w : group) w->status = begin;
    return group.size();
  }
  std::size_t ran = 0;
  bool intact = true;
  CommitHooks hooks;
  while (intact && ran < group.size()) intact = RunInSavepoint(*group[ran++], hooks);
  const Group finished = group.first(ran);
  if (intact) {
    CommitGroup(finished, hooks);
    return ran;
  }
  // Everything before the failed callback went with the transaction: none of it committed,
  // although those callbacks succeeded, so they fail too (they are not run again).
  for (PendingWrite* w : finished) {
    if (w->status.ok()) {
      w->status = Status::Unavailable(
          "store_busy", "another write of the same group commit ended the transaction");
    }
  }
  rollbacks_.fetch_add(static_cast<std::int64_t>(ran));
  EndFailedWrite();
  if (IsDiskFault(finished.back()->status)) ForgetConnections();
  return ran;
}

// Runs one callback between SAVEPOINT and RELEASE, or ROLLBACK TO if it fails, and sets its
// status. Returns false if the transaction did not survive (then w.status is an error).
bool SqliteStore::RunInSavepoint(PendingWrite& w, CommitHooks& hooks) {
  w.status = writer_->Control("SAVEPOINT w");
  if (!w.status.ok()) return false;
  SqliteTransaction tx(*writer_, /*read_only=*/false, &hooks);
  w.status = RunCallback(w.fn, tx);
  if (!writer_->InTransaction()) {
    if (w.status.ok()) {
      w.status = Status::Internal("store_error", "sqlite: the transaction was rolled back");
    }
    return false;
  }
  // A deferred foreign key would fail the COMMIT, and with it the whole group: fail this
  // callback alone instead, with the error COMMIT would have given.
  if (w.status.ok() && writer_->HasPendingForeignKeyViolations()) {
    w.status =
        Status::InvalidArgument("constraint_violation", "sqlite: FOREIGN KEY constraint failed");
  }
  if (w.status.ok()) {
    w.status = writer_->Control("RELEASE w");
    return w.status.ok();
  }
  return writer_->Control("ROLLBACK TO w").ok() && writer_->Control("RELEASE w").ok();
}

// Commits the savepoints that were released: the commit hooks, then one COMMIT, one fsync. If
// a hook or COMMIT fails, every callback that succeeded gets its failure. A group in which
// every callback failed has nothing to commit and is rolled back.
void SqliteStore::CommitGroup(Group group, const CommitHooks& hooks) {
  const auto succeeded = static_cast<std::int64_t>(
      std::count_if(group.begin(), group.end(), [](PendingWrite* w) { return w->status.ok(); }));
  const auto size = static_cast<std::int64_t>(group.size());
  if (succeeded == 0) {
    rollbacks_.fetch_add(size);
    EndFailedWrite();
    return;
  }
  Status commit = RunCommitHooks(hooks);
  if (commit.ok()) commit = writer_->Control("COMMIT");
  if (!commit.ok()) {
    for (PendingWrite* w : group) {
      if (w->status.ok()) w->status = commit;
    }
    rollbacks_.fetch_add(size);
    EndFailedWrite();
    if (IsDiskFault(commit)) ForgetConnections();
    return;
  }
  commits_.fetch_add(1);
  if (checkpointer_->OnCommit()) {
    // Between groups, on the writer: short, since the checkpointer copied most pages already.
    static_cast<void>(internal::Checkpointer::FinishInCommitPath(*writer_));
  }
  rollbacks_.fetch_add(size - succeeded);
  if (succeeded >= 2) grouped_writes_.fetch_add(succeeded);
}

Status SqliteStore::RunCommitHooks(const CommitHooks& hooks) {
  SqliteTransaction tx(*writer_, /*read_only=*/false);
  for (const auto& [name, fn] : hooks) {
    NCBNET_RETURN_IF_ERROR(RunCallback(fn, tx));
    if (!writer_->InTransaction()) {
      return Status::Internal("store_error", "sqlite: the transaction was rolled back");
    }
  }
  return Status::Ok();
}

bool SqliteStore::IsDiskFault(const Status& s) {
  return s.reason() == "store_io_error" || s.reason() == "store_full";
}

// After a failed fsync the kernel may have dropped the dirty pages while the file handle still
// looks sound (PostgreSQL's fsync lesson): the next write opens a new connection, and idle
// readers are closed so that every page is read again from the file.
void SqliteStore::ForgetConnections() {
  writer_.reset();
  std::lock_guard<std::mutex> lock(pool_mu_);
  open_readers_ -= static_cast<int>(idle_readers_.size());
  idle_readers_.clear();
}

// Leaves nothing of a failed transaction behind. SQLite may already have rolled back (on I/O
// errors, for example); if our ROLLBACK fails, closing the connection rolls back instead, and
// the next leader opens a new one.
void SqliteStore::EndFailedWrite() {
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
  stats.grouped_writes = grouped_writes_.load();
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    stats.queued_writes = static_cast<std::int64_t>(writers_.size());
  }
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
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<internal::Checkpointer> checkpointer,
                          internal::Checkpointer::Start(path, options.busy_timeout));
  auto store =
      std::make_unique<SqliteStore>(path, options, std::move(writer), std::move(checkpointer));
  NCBNET_RETURN_IF_ERROR(store->Migrate());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace ncbnet::store
