// The SQLite back end of store::Store (store/store.h), the default embedded store.
//
// One file in WAL mode with synchronous=FULL, foreign_keys=ON and a busy timeout on every
// connection. Writes go through one writer connection with group commit, as LevelDB's
// DBImpl::Write does: each Write() joins a queue; the writer at its front leads, takes up to 64
// queued writers (without waiting for more), runs their callbacks in queue order on its own
// thread in one BEGIN IMMEDIATE transaction, each between SAVEPOINT and RELEASE (ROLLBACK TO if
// it fails or throws), commits once (one fsync), then wakes them with their statuses and hands
// the lead to the next writer. A callback that leaves a deferred foreign key unresolved fails
// alone, before COMMIT. If SQLite itself rolls back the transaction (I/O error, INSERT OR
// ROLLBACK), the callbacks run before it in that group fail with kUnavailable "store_busy".
// Reads use a small pool of read-only connections, opened lazily, each Read() in its own
// snapshot, so reads run concurrently with each other and with the write. Opening applies every
// migration of store/migrations.h that the file lacks.
//
// sqlite3.h stays out of this header: nothing above store/ may depend on it.
//
// Thread safety: the returned Store is safe to use from any number of threads. A Read() must
// not call Read() again on the same thread when the reader pool may be exhausted, and a Write()
// callback must not call Write() (refused with kFailedPrecondition "nested_write").
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace ncbnet::store {

struct SqliteOptions {
  // At most this many read connections are open at once; further readers wait for one.
  int max_readers = 8;
  // How long a statement waits for a lock held by another connection before kUnavailable.
  std::chrono::milliseconds busy_timeout{5000};
};

// Opens (creating it with mode 0600 if missing) the database at `path` and brings its schema
// up to date. Errors: kFailedPrecondition "schema_too_new" if the file was migrated by a newer
// binary; kInvalidArgument "invalid_options"; kUnavailable "store_busy" if another process
// holds the write lock past the busy timeout; kInternal "store_error" otherwise.
//
// Writes (and reads) on a full disk fail with kUnavailable "store_full", on a failing one (an
// I/O error, a failed fsync) with kUnavailable "store_io_error": nothing of that write is
// acknowledged, and the connections are reopened before the next one, since a file handle
// whose fsync failed is not trusted again.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options = {});

}  // namespace ncbnet::store
