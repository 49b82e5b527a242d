// One libpq connection configured the way ncbnet needs it, with a prepared-statement cache.
// Internal to store/postgres/; used only by pg_store.cc.
//
// Callers' SQL is portable SQL (store.h), rewritten once per statement (pg_sql.h) and prepared
// once per connection. Parameters go as text with their types left to the server to infer from
// the statement, except blobs, which go as binary bytea; results come back as text and are
// turned into Values by their column's type (integers, booleans as 0/1, whole numerics as
// integers, floats, bytea as Blob, anything else as text).
//
// Thread safety: none. One thread at a time, which PostgresStore guarantees.
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

struct pg_conn;
struct pg_result;

namespace ncbnet::store::internal {

// libpq prints the server's notices ("relation ... already exists, skipping") on stderr, where
// the hub writes only JSON log lines: every connection of ours drops them instead.
void SilenceNotices(pg_conn* conn);

// Maps a PostgreSQL SQLSTATE to a Status with the codes store.h promises; `message` is the
// server's primary message, kept only for the classes whose messages never quote values.
Status StatusFromSqlstate(std::string_view sqlstate, std::string_view message);

class PgConnection {
 public:
  // Connects (`conninfo`: a postgresql:// URI or key=value pairs) and sets the session up:
  // lock_timeout = `lock_timeout`, UTC, UTF8. Errors: kUnavailable "store_unavailable" when the
  // server cannot be reached or refuses the login (the message says which, never the password).
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& conninfo,
                                                    std::chrono::milliseconds lock_timeout);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs SQL of the store's own (BEGIN, COMMIT, SAVEPOINT...; several statements allowed) with
  // the simple protocol, no parameters.
  Status Control(const char* sql);
  // True while a transaction is open, failed or not.
  bool InTransaction() const;
  // True while the open transaction has failed: every statement is refused until ROLLBACK TO.
  bool TransactionFailed() const;
  // True while the socket is sound; false once the server went away.
  bool Healthy() const;

  Result<std::int64_t> Exec(std::string_view sql, const std::vector<Value>& params);
  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params);

 private:
  explicit PgConnection(pg_conn* conn) : conn_(conn) {}
  Result<std::string> Prepare(std::string_view sql);
  // Runs a prepared statement; the caller owns (PQclear) the result.
  Result<pg_result*> Run(std::string_view sql, const std::vector<Value>& params);
  Status ErrorOf(pg_result* res) const;

  pg_conn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // portable SQL -> statement name
};

}  // namespace ncbnet::store::internal
