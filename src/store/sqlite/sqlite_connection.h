// One SQLite connection configured the way ncbnet needs it, with a prepared-statement cache.
// Internal to store/sqlite/; used only by sqlite_store.cc.
//
// Callers' SQL runs under an authorizer that refuses transaction control (BEGIN, COMMIT,
// ROLLBACK, SAVEPOINT, RELEASE, ROLLBACK TO) and ATTACH/DETACH, so a callback cannot end the
// transaction that Store::Write() commits or rolls back, nor the savepoint that separates it
// from the other callbacks of its group commit; only the store itself uses Control().
//
// Thread safety: none. One thread at a time, which SqliteStore guarantees (the writer mutex,
// the reader pool).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "store/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ncbnet::store::internal {

enum class ConnectionMode {
  kWriter,  // reads and writes
  kReader,  // PRAGMA query_only; callers' writes are refused before they run
};

// Maps an extended SQLite result code to a Status with the codes store.h promises.
// `message` is SQLite's error text, which names tables and columns but never bound values.
Status StatusFromSqlite(int extended_code, std::string_view message);

class Connection {
 public:
  // Opens an existing file (the store creates it, to choose its mode) and sets busy_timeout,
  // journal_mode=WAL, synchronous=FULL, foreign_keys=ON, trusted_schema=OFF and defensive mode.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, ConnectionMode mode,
                                                  std::chrono::milliseconds busy_timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement written by the store itself (BEGIN, COMMIT, ROLLBACK, SAVEPOINT...),
  // not subject to the authorizer; prepared once per connection, kept apart from the cache of
  // callers' statements.
  Status Control(const char* sql);
  // True while a transaction is open on this connection.
  bool InTransaction() const;
  // True if the open transaction holds foreign key violations not yet resolved (deferred
  // constraints), which COMMIT would refuse.
  bool HasPendingForeignKeyViolations() const;

  // Run one caller statement (exactly one; parameters bound by position). With `read_only`,
  // a statement that could write is refused with kFailedPrecondition "read_only_transaction".
  Result<std::int64_t> Exec(std::string_view sql, const std::vector<Value>& params, bool read_only);
  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params,
                                 bool read_only);

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  Status Configure(ConnectionMode mode, std::chrono::milliseconds busy_timeout);
  Result<std::string> PragmaText(const char* sql);
  Result<sqlite3_stmt*> Prepare(std::string_view sql, bool read_only);
  // Compiles exactly one statement (not cached); the caller finalizes it.
  Result<sqlite3_stmt*> PrepareOne(std::string_view sql);
  Status Run(sqlite3_stmt* stmt, const std::vector<Value>& params, std::vector<Row>* rows);
  Status RunControl(const char* sql);
  Status LastError(int rc) const;
  void ClearCache();
  static int Authorize(void* self, int action, const char* a, const char* b, const char* c,
                       const char* d);

  sqlite3* db_;
  bool trusted_ = true;  // true while the store's own SQL runs: the authorizer lets it all pass
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  std::unordered_map<std::string, sqlite3_stmt*> control_cache_;  // Control()'s statements
};

}  // namespace ncbnet::store::internal
