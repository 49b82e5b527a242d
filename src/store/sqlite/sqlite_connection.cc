#include "store/sqlite/sqlite_connection.h"

#include <climits>
#include <utility>

#include <sqlite3.h>

namespace ncbnet::store::internal {
namespace {

// Dynamic SQL (IN lists of varying length) must not grow the cache without bound.
constexpr std::size_t kMaxCachedStatements = 128;

std::string SqliteMessage(std::string_view message) { return "sqlite: " + std::string(message); }

// Resets a cached statement on every path out of Run(), so it holds no lock or binding.
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~ResetOnExit() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

int Bind(sqlite3_stmt* stmt, int index, const Value& value) {
  // SQLITE_STATIC: `value` outlives the statement's use; ResetOnExit clears the bindings.
  if (value.is_int()) return sqlite3_bind_int64(stmt, index, value.AsInt());
  if (value.is_real()) return sqlite3_bind_double(stmt, index, value.AsReal());
  if (value.is_text()) {
    const std::string& text = value.AsText();
    return sqlite3_bind_text64(stmt, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
  }
  if (value.is_blob()) {
    // data() is never null, so an empty blob stays a blob rather than becoming NULL.
    const std::string& bytes = value.AsText();
    return sqlite3_bind_blob64(stmt, index, bytes.data(), bytes.size(), SQLITE_STATIC);
  }
  return sqlite3_bind_null(stmt, index);
}

std::string ColumnBytes(const void* data, int size) {
  if (data == nullptr || size <= 0) return std::string();
  return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

Value ReadColumn(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return Value(static_cast<std::int64_t>(sqlite3_column_int64(stmt, i)));
    case SQLITE_FLOAT:
      return Value(sqlite3_column_double(stmt, i));
    case SQLITE_TEXT: {
      const unsigned char* text = sqlite3_column_text(stmt, i);  // before column_bytes
      return Value(ColumnBytes(text, sqlite3_column_bytes(stmt, i)));
    }
    case SQLITE_BLOB: {
      const void* blob = sqlite3_column_blob(stmt, i);  // before column_bytes
      return Value(Blob{ColumnBytes(blob, sqlite3_column_bytes(stmt, i))});
    }
    default:
      return Value();
  }
}

bool OnlyWhitespace(const char* text) {
  for (; text != nullptr && *text != '\0'; ++text) {
    if (*text != ' ' && *text != '\n' && *text != '\t' && *text != '\r') return false;
  }
  return true;
}

}  // namespace

Status StatusFromSqlite(int extended_code, std::string_view message) {
  switch (extended_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
      return Status::AlreadyExists("constraint_violation", SqliteMessage(message));
    default:
      break;
  }
  switch (extended_code & 0xff) {
    case SQLITE_CONSTRAINT:
      return Status::InvalidArgument("constraint_violation", SqliteMessage(message));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable("store_busy", SqliteMessage(message));
    // A full or failing disk: nothing was committed, and retrying later may succeed.
    case SQLITE_FULL:
      return Status::Unavailable("store_full", SqliteMessage(message));
    case SQLITE_IOERR:
      return Status::Unavailable("store_io_error", SqliteMessage(message));
    default:
      return Status::Internal("store_error", SqliteMessage(message));
  }
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, ConnectionMode mode,
                                                     std::chrono::milliseconds busy_timeout) {
  sqlite3* db = nullptr;
  // No SQLITE_OPEN_CREATE: the store creates the file itself, with mode 0600.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  // sqlite3_open_v2 hands back a handle even on failure; the Connection closes it.
  std::unique_ptr<Connection> conn(new Connection(db));
  if (db == nullptr) return Status::Internal("store_error", "sqlite: out of memory");
  if (rc != SQLITE_OK) return conn->LastError(rc);
  NCBNET_RETURN_IF_ERROR(conn->Configure(mode, busy_timeout));
  return conn;
}

Connection::~Connection() {
  ClearCache();
  for (auto& [sql, stmt] : control_cache_) sqlite3_finalize(stmt);
  // Closing with a transaction open rolls it back.
  sqlite3_close(db_);
}

Status Connection::Configure(ConnectionMode mode, std::chrono::milliseconds busy_timeout) {
  const auto timeout_ms = busy_timeout.count();
  sqlite3_busy_timeout(db_, timeout_ms > INT_MAX ? INT_MAX : static_cast<int>(timeout_ms));
  // Defensive mode: no writable_schema tricks that could corrupt the file.
  sqlite3_db_config(db_, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  NCBNET_ASSIGN_OR_RETURN(const std::string journal, PragmaText("PRAGMA journal_mode=WAL"));
  if (journal != "wal") {
    return Status::Internal("store_error",
                            "sqlite: cannot enable WAL (journal_mode=" + journal + ")");
  }
  NCBNET_RETURN_IF_ERROR(Control("PRAGMA synchronous=FULL"));
  NCBNET_RETURN_IF_ERROR(Control("PRAGMA foreign_keys=ON"));
  NCBNET_RETURN_IF_ERROR(Control("PRAGMA trusted_schema=OFF"));
  if (mode == ConnectionMode::kReader) NCBNET_RETURN_IF_ERROR(Control("PRAGMA query_only=ON"));
  // Commits never checkpoint; the store's Checkpointer does, off the commit path.
  if (mode == ConnectionMode::kWriter) {
    NCBNET_RETURN_IF_ERROR(Control("PRAGMA wal_autocheckpoint=0"));
    NCBNET_RETURN_IF_ERROR(Control("PRAGMA journal_size_limit=67108864"));  // 64 MiB
    // A big transaction (a batch check's 50,000 hits, each in five b-trees with random keys)
    // must not spill dirty pages to the WAL again and again: SQLite's default is 2 MiB.
    NCBNET_RETURN_IF_ERROR(Control("PRAGMA cache_size=-65536"));  // 64 MiB
  }
  sqlite3_set_authorizer(db_, &Connection::Authorize, this);
  trusted_ = false;
  return Status::Ok();
}

int Connection::Authorize(void* self, int action, const char* /*a*/, const char* /*b*/,
                          const char* /*c*/, const char* /*d*/) {
  if (static_cast<const Connection*>(self)->trusted_) return SQLITE_OK;
  switch (action) {
    case SQLITE_TRANSACTION:  // would end the store's transaction behind its back
    case SQLITE_SAVEPOINT:    // would release or undo the store's per-callback savepoint
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
      return SQLITE_DENY;
    default:
      return SQLITE_OK;
  }
}

Result<std::string> Connection::PragmaText(const char* sql) {
  std::string value;
  auto callback = [](void* out, int columns, char** values, char** /*names*/) {
    if (columns > 0 && values[0] != nullptr) *static_cast<std::string*>(out) = values[0];
    return 0;
  };
  const int rc = sqlite3_exec(db_, sql, callback, &value, nullptr);
  if (rc != SQLITE_OK) return LastError(rc);
  return value;
}

Status Connection::Control(const char* sql) {
  // Trusted while preparing and while stepping (SQLite prepares again after a schema change).
  const bool was_trusted = trusted_;
  trusted_ = true;
  Status status = RunControl(sql);
  trusted_ = was_trusted;
  return status;
}

// Every request runs several of these (BEGIN, COMMIT, SAVEPOINT, RELEASE); parsing them each
// time cost about 7% of the hub's CPU on single checks. They are prepared once, in a cache of
// their own: caller SQL never finds them, so the authorizer still refuses it transaction control.
Status Connection::RunControl(const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (auto it = control_cache_.find(sql); it != control_cache_.end()) {
    stmt = it->second;
  } else {
    NCBNET_ASSIGN_OR_RETURN(stmt, PrepareOne(sql));
    control_cache_.emplace(sql, stmt);
  }
  return Run(stmt, {}, nullptr);
}

Result<sqlite3_stmt*> Connection::PrepareOne(std::string_view sql) {
  if (sql.size() >= INT_MAX) return Status::Internal("store_error", "sqlite: statement too long");
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) return LastError(rc);
  if (stmt == nullptr) return Status::Internal("store_error", "sqlite: empty statement");
  if (!OnlyWhitespace(tail)) {
    sqlite3_finalize(stmt);
    return Status::Internal("store_error", "sqlite: more than one statement");
  }
  return stmt;
}

bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

bool Connection::HasPendingForeignKeyViolations() const {
  int current = 0;
  int highwater = 0;
  // Non-zero iff some foreign key constraint of the open transaction is still unresolved.
  if (sqlite3_db_status(db_, SQLITE_DBSTATUS_DEFERRED_FKS, &current, &highwater, 0) != SQLITE_OK) {
    return true;  // cannot tell: let the caller treat the write as failed
  }
  return current != 0;
}

Status Connection::LastError(int rc) const {
  const int code = db_ != nullptr ? sqlite3_extended_errcode(db_) : rc;
  return StatusFromSqlite(code, db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
}

void Connection::ClearCache() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  cache_.clear();
}

Result<sqlite3_stmt*> Connection::Prepare(std::string_view sql, bool read_only) {
  std::string key(sql);
  sqlite3_stmt* stmt = nullptr;
  if (auto it = cache_.find(key); it != cache_.end()) {
    stmt = it->second;
  } else {
    NCBNET_ASSIGN_OR_RETURN(stmt, PrepareOne(sql));
    if (cache_.size() >= kMaxCachedStatements) ClearCache();
    cache_.emplace(std::move(key), stmt);
  }
  if (read_only && sqlite3_stmt_readonly(stmt) == 0) {
    return Status::FailedPrecondition("read_only_transaction",
                                      "a statement that writes was run in a read transaction");
  }
  return stmt;
}

Status Connection::Run(sqlite3_stmt* stmt, const std::vector<Value>& params,
                       std::vector<Row>* rows) {
  ResetOnExit reset(stmt);
  NCBNET_RETURN_IF_ERROR(CheckTextParams(params));
  const int expected = sqlite3_bind_parameter_count(stmt);
  if (static_cast<std::size_t>(expected) != params.size()) {
    return Status::Internal("store_error", "sqlite: statement takes " + std::to_string(expected) +
                                               " parameters, " + std::to_string(params.size()) +
                                               " given");
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int rc = Bind(stmt, static_cast<int>(i + 1), params[i]);
    if (rc != SQLITE_OK) return LastError(rc);
  }
  const int columns = sqlite3_column_count(stmt);
  while (true) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) return Status::Ok();
    if (rc != SQLITE_ROW) return LastError(rc);
    if (rows == nullptr) continue;
    Row row;
    row.reserve(static_cast<std::size_t>(columns));
    for (int i = 0; i < columns; ++i) row.push_back(ReadColumn(stmt, i));
    rows->push_back(std::move(row));
  }
}

Result<std::int64_t> Connection::Exec(std::string_view sql, const std::vector<Value>& params,
                                      bool read_only) {
  NCBNET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, read_only));
  // sqlite3_changes64() keeps the count of the last INSERT/UPDATE/DELETE, stale after DDL or a
  // SELECT; the total tells whether this statement changed anything at all.
  const sqlite3_int64 before = sqlite3_total_changes64(db_);
  NCBNET_RETURN_IF_ERROR(Run(stmt, params, nullptr));
  if (sqlite3_total_changes64(db_) == before) return std::int64_t{0};
  return static_cast<std::int64_t>(sqlite3_changes64(db_));
}

Result<std::vector<Row>> Connection::Query(std::string_view sql, const std::vector<Value>& params,
                                           bool read_only) {
  NCBNET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, read_only));
  std::vector<Row> rows;
  NCBNET_RETURN_IF_ERROR(Run(stmt, params, &rows));
  return rows;
}

}  // namespace ncbnet::store::internal
