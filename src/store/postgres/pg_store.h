// The PostgreSQL back end of store::Store (store/store.h), for deployments that need a server
// store: several hub nodes on one database, a standby to fail over to (docs/deployment.md).
//
// Writes go through one writer connection per hub with the group commit of
// store/group_commit.h (one COMMIT, one WAL flush, for up to 64 Write() calls). Each write
// transaction first takes a transaction-scoped advisory lock that every ncbnet process on the
// database shares, so writes are serialised across hub nodes as they are in one SQLite file:
// the numbers the store hands out (audit sequence, mailbox cursors, change feed) are assigned
// and committed in one order, and a follower that reads "after N" never skips a row committed
// late. Reads run in REPEATABLE READ READ ONLY snapshots on a small pool of connections.
//
// Opening checks that the server makes commits durable (fsync, synchronous_commit and
// full_page_writes on) and that the database orders text bytewise (collation C, as SQLite
// does), then applies every migration of store/migrations.h the database lacks.
//
// A lost connection fails the statement with kUnavailable "store_unavailable", nothing of the
// transaction is kept, and the next Write() or Read() connects again.
//
// Thread safety: the returned Store is safe to use from any number of threads.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/store.h"

namespace ncbnet::store {

struct PostgresOptions {
  // At most this many read connections are open at once; further readers wait for one.
  int max_readers = 8;
  // How long a write waits for another node's write transaction before kUnavailable
  // "store_busy".
  std::chrono::milliseconds lock_timeout{5000};
};

// True for a connection string this back end takes: "postgresql://..." or "postgres://...".
bool IsPostgresUri(std::string_view s);

// Connects to `uri` and brings the schema up to date. Errors: kUnavailable "store_unavailable"
// (cannot connect, login refused: the message says why, never the password);
// kFailedPrecondition "store_not_durable" (fsync, synchronous_commit or full_page_writes off),
// "store_collation" (the database's collation is not C), "schema_too_new"; kInvalidArgument
// "invalid_options".
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri,
                                                 const PostgresOptions& options = {});

}  // namespace ncbnet::store
