#include "store/postgres/pg_store.h"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

#include "store/connection_pool.h"
#include "store/group_commit.h"
#include "store/migrations.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_notifier.h"

namespace ncbnet::store {
namespace {

using internal::PgConnection;

// The advisory lock every ncbnet write transaction takes ("ncbnet" in ASCII): one writer at a
// time on the database, whichever hub node it runs on.
constexpr const char* kBeginWrite = "BEGIN; SELECT pg_advisory_xact_lock(121399469221236)";
constexpr const char* kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";

// Names this process in the notifications it sends: 32 hex digits from the server's strong
// random source, never the same twice in practice, and safe inside a SQL string literal.
Result<std::string> NewNodeId(PgConnection& conn) {
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      conn.Query("SELECT replace(CAST(gen_random_uuid() AS TEXT), '-', '')", {}));
  if (rows.size() != 1 || rows[0].size() != 1 || rows[0][0].AsText().size() != 32) {
    return Status::Internal("store_error", "postgresql: cannot draw a node id");
  }
  return rows[0][0].AsText();
}

class PgTransaction final : public internal::HookedTransaction {
 public:
  PgTransaction(PgConnection& conn, internal::CommitHooks* hooks = nullptr)
      : HookedTransaction(hooks), conn_(conn) {}

  using Transaction::Exec;
  using Transaction::Query;
  Result<std::int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
    return conn_.Exec(sql, params);
  }
  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params) override {
    return conn_.Query(sql, params);
  }

 private:
  PgConnection& conn_;
};

// Refuses a server or database on which ncbnet's guarantees would not hold.
Status CheckServer(PgConnection& conn) {
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      conn.Query("SELECT current_setting('fsync'), current_setting('synchronous_commit'),"
                 " current_setting('full_page_writes'),"
                 " (SELECT datcollate FROM pg_database WHERE datname = current_database())",
                 {}));
  if (rows.size() != 1 || rows[0].size() != 4) {
    return Status::Internal("store_error", "postgresql: cannot read the server's settings");
  }
  const Row& r = rows[0];
  if (r[0].AsText() != "on" || r[1].AsText() == "off" || r[1].AsText() == "local" ||
      r[2].AsText() != "on") {
    return Status::FailedPrecondition(
        "store_not_durable", "postgresql: fsync=" + r[0].AsText() + ", synchronous_commit=" +
                                 r[1].AsText() + ", full_page_writes=" + r[2].AsText() +
                                 "; ncbnet acknowledges only durable writes: set all three to on");
  }
  // C and POSIX compare bytes; C.UTF-8 compares code points, which orders UTF-8 the same way.
  const std::string& collation = r[3].AsText();
  if (collation != "C" && collation != "POSIX" && collation != "C.UTF-8" && collation != "C.utf8") {
    return Status::FailedPrecondition(
        "store_collation",
        "postgresql: the database's collation is " + collation +
            "; ncbnet orders text bytewise: create it with LC_COLLATE 'C' (CREATE DATABASE ..."
            " TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C')");
  }
  return Status::Ok();
}

// The SQLite functions that shipped migrations use (migration 12 makes grant ids with
// lower(hex(randomblob(16)))), as PostgreSQL functions, so that one list of migrations serves
// both back ends. randomblob() draws from gen_random_uuid(), the server's strong random source.
constexpr const char* kSqliteFunctions[] = {
    "CREATE OR REPLACE FUNCTION hex(b BYTEA) RETURNS TEXT LANGUAGE SQL IMMUTABLE STRICT"
    " AS 'SELECT upper(encode(b, ''hex''))'",
    "CREATE OR REPLACE FUNCTION randomblob(n INTEGER) RETURNS BYTEA LANGUAGE SQL VOLATILE STRICT"
    " AS 'SELECT substring(string_agg(decode(replace(gen_random_uuid()::text, ''-'', ''''),"
    " ''hex''), ''''::bytea) FROM 1 FOR CAST(n AS INT)) FROM generate_series(1, (n + 15) / 16)'",
};

// Installs them once: a start that finds them (every start but the first) writes nothing.
Status InstallSqliteFunctions(Store& store) {
  bool installed = false;
  NCBNET_RETURN_IF_ERROR(store.Read([&installed](Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        std::optional<Row> row,
        tx.QueryOne("SELECT CASE WHEN to_regprocedure('hex(bytea)') IS NULL"
                    " OR to_regprocedure('randomblob(integer)') IS NULL THEN 0 ELSE 1 END"));
    installed = row && !row->empty() && (*row)[0].is_int() && (*row)[0].AsInt() == 1;
    return Status::Ok();
  }));
  if (installed) return Status::Ok();
  return store.Write([](Transaction& tx) -> Status {
    for (const char* sql : kSqliteFunctions) NCBNET_RETURN_IF_ERROR(tx.Exec(sql).status());
    return Status::Ok();
  });
}

// Readiness (CheckWritable): the server is asked at most this often; between two probes the
// last answer stands. A probe still running after kProbeStale makes the answer "unavailable".
constexpr std::chrono::milliseconds kProbeInterval{500};
constexpr std::chrono::milliseconds kProbeStale{2000};

class PostgresStore final : public Store, private internal::GroupWriter {
 public:
  PostgresStore(std::string uri, const PostgresOptions& options, std::string node,
                std::unique_ptr<PgConnection> writer)
      : uri_(std::move(uri)),
        options_(options),
        node_(std::move(node)),
        writer_(std::move(writer)) {}

  Status Write(const TxFn& fn) override { return group_commit_.Write(fn); }
  Status Read(const TxFn& fn) override;
  StoreStats Stats() override;
  void Publish(std::string_view topic) override { notifier_.Publish(topic); }
  int Subscribe(std::function<void(const std::string& topic)> fn) override {
    return notifier_.Subscribe(std::move(fn));
  }
  void Unsubscribe(int id) override { notifier_.Unsubscribe(id); }
  Result<std::optional<std::int64_t>> ServerTimeMillis() override;
  Status CheckWritable() override;

 private:
  // internal::GroupWriter, driven by group_commit_ from the leader's thread.
  Status Begin() override;
  Status Control(const char* sql) override { return writer_->Control(sql); }
  // The commit announces itself to the other nodes: PostgreSQL delivers the notification when,
  // and only if, the transaction commits, in commit order.
  Status Commit() override { return writer_->Control(commit_sql_.c_str()); }
  bool InTransaction() const override { return writer_ != nullptr && writer_->InTransaction(); }
  Status CheckCallback() override;
  std::unique_ptr<Transaction> NewTransaction(internal::CommitHooks* hooks) override {
    return std::make_unique<PgTransaction>(*writer_, hooks);
  }
  void EndFailedWrite(const Status& cause) override;

  Result<std::unique_ptr<PgConnection>> Connect() const {
    return PgConnection::Open(uri_, options_.lock_timeout);
  }

  const std::string uri_;
  const PostgresOptions options_;
  const std::string node_;
  const std::string commit_sql_ =
      "SELECT pg_notify('" + std::string(internal::kNotifyChannel) + "', '" + node_ + " '); COMMIT";
  std::unique_ptr<PgConnection> writer_;  // the leader's; null if lost and not reopened
  internal::GroupCommit group_commit_{*this};
  internal::ConnectionPool<PgConnection> readers_{options_.max_readers,
                                                  [this] { return Connect(); }};
  internal::PgNotifier notifier_{uri_, node_};

  Status ProbeWritable();
  // Readiness probes: one at a time on a connection of their own, so that a probe neither
  // waits for a busy reader nor takes one.
  std::mutex probe_mu_;  // held while a probe runs; guards probe_conn_
  std::unique_ptr<PgConnection> probe_conn_;
  std::mutex answer_mu_;  // guards the three below
  Status probe_answer_ = Status::Unavailable("store_unavailable", "postgresql: not probed yet");
  std::chrono::steady_clock::time_point probed_at_{};
  std::chrono::steady_clock::time_point probe_started_{};
};

Status PostgresStore::Begin() {
  if (writer_ == nullptr) {
    NCBNET_ASSIGN_OR_RETURN(writer_, Connect());
  }
  return writer_->Control(kBeginWrite);
}

// A statement that failed inside a callback the callback then ignored leaves PostgreSQL's
// transaction refusing everything (SQLite would go on): undo that callback alone.
Status PostgresStore::CheckCallback() {
  if (!writer_->TransactionFailed()) return Status::Ok();
  return Status::Internal("store_error", "postgresql: a statement failed inside the write");
}

// Leaves nothing of a failed transaction behind: ROLLBACK, or close the connection (the server
// then rolls back) when it is broken or the ROLLBACK fails; the next Begin() reconnects.
void PostgresStore::EndFailedWrite(const Status& cause) {
  if (writer_ == nullptr) return;
  const bool broken = cause.reason() == "store_unavailable" || !writer_->Healthy();
  if (broken) {
    writer_.reset();
    readers_.CloseIdle();
    return;
  }
  if (!writer_->InTransaction()) return;
  if (writer_->Control("ROLLBACK").ok() && !writer_->InTransaction()) return;
  writer_.reset();
}

Status PostgresStore::Read(const TxFn& fn) {
  NCBNET_ASSIGN_OR_RETURN(auto lease, readers_.Acquire());
  Status status = lease.conn().Control(kBeginRead);
  if (status.ok()) {
    PgTransaction tx(lease.conn());
    status = fn(tx);
    const Status end = lease.conn().Control(status.ok() ? "COMMIT" : "ROLLBACK");
    if (status.ok()) status = end;
  }
  if (!lease.conn().Healthy() || lease.conn().InTransaction()) lease.Discard();
  return status;
}

Result<std::optional<std::int64_t>> PostgresStore::ServerTimeMillis() {
  std::optional<std::int64_t> now;
  NCBNET_RETURN_IF_ERROR(Read([&now](Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        std::optional<Row> row,
        tx.QueryOne("SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"));
    if (row && !row->empty() && (*row)[0].is_int()) now = (*row)[0].AsInt();
    return Status::Ok();
  }));
  if (!now) return Status::Internal("store_error", "postgresql: cannot read the server's clock");
  return now;
}

// A standby answers pg_is_in_recovery() true: connected to one (after a failover the old
// primary comes back as a standby), this node cannot write, and its pooled readers may be on
// it too, so they are closed and reopen through the URI (target_session_attrs=read-write finds
// the new primary).
Status PostgresStore::ProbeWritable() {
  if (probe_conn_ == nullptr) {
    NCBNET_ASSIGN_OR_RETURN(probe_conn_, Connect());
  }
  Result<std::vector<Row>> rows = probe_conn_->Query("SELECT pg_is_in_recovery()", {});
  if (!rows.ok() || rows->size() != 1 || rows->front().size() != 1) {
    probe_conn_.reset();
    return Status::Unavailable("store_unavailable", "postgresql: readiness probe failed");
  }
  if (rows->front()[0].AsInt() != 0) {
    probe_conn_.reset();
    readers_.CloseIdle();
    return Status::FailedPrecondition("store_read_only", "postgresql: connected to a standby");
  }
  return Status::Ok();
}

Status PostgresStore::CheckWritable() {
  const auto now = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> probing(probe_mu_, std::try_to_lock);
  if (!probing.owns_lock()) {  // another probe runs: its predecessor's answer, unless it hangs
    std::lock_guard<std::mutex> lock(answer_mu_);
    if (now - probe_started_ > kProbeStale) {
      return Status::Unavailable("store_unavailable", "postgresql: readiness probe hangs");
    }
    return probe_answer_;
  }
  {
    std::lock_guard<std::mutex> lock(answer_mu_);
    if (probed_at_ != std::chrono::steady_clock::time_point{} &&
        now - probed_at_ < kProbeInterval) {
      return probe_answer_;
    }
    probe_started_ = now;
  }
  Status answer = ProbeWritable();
  std::lock_guard<std::mutex> lock(answer_mu_);
  probe_answer_ = answer;
  probed_at_ = std::chrono::steady_clock::now();
  return answer;
}

StoreStats PostgresStore::Stats() {
  StoreStats stats;
  stats.backend = "postgresql";
  group_commit_.FillStats(stats);
  // Best effort: Stats() has no error channel, so a failed read leaves zeros.
  (void)Read([&stats](Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(std::optional<Row> size,
                            tx.QueryOne("SELECT pg_database_size(current_database())"));
    if (size && !size->empty()) stats.size_bytes = (*size)[0].AsInt();
    NCBNET_ASSIGN_OR_RETURN(stats.schema_version, SchemaVersion(tx));
    return Status::Ok();
  });
  return stats;
}

}  // namespace

bool IsPostgresUri(std::string_view s) {
  return s.starts_with("postgresql://") || s.starts_with("postgres://");
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri,
                                                 const PostgresOptions& options) {
  if (options.max_readers < 1 || options.lock_timeout.count() < 0) {
    return Status::InvalidArgument("invalid_options", "max_readers must be at least 1");
  }
  if (!IsPostgresUri(uri)) {
    return Status::InvalidArgument("invalid_options",
                                   "a PostgreSQL store is named by a postgresql:// URI");
  }
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> writer,
                          PgConnection::Open(uri, options.lock_timeout));
  NCBNET_RETURN_IF_ERROR(CheckServer(*writer));
  NCBNET_ASSIGN_OR_RETURN(std::string node, NewNodeId(*writer));
  auto store = std::make_unique<PostgresStore>(uri, options, std::move(node), std::move(writer));
  NCBNET_RETURN_IF_ERROR(InstallSqliteFunctions(*store));
  NCBNET_RETURN_IF_ERROR(ApplyMigrations(*store));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace ncbnet::store
