// The SQLite back end of store::Store (store/store.h), the default embedded store.
//
// One file in WAL mode with synchronous=FULL, foreign_keys=ON and a busy timeout on every
// connection. Writes go through one writer connection under a mutex (BEGIN IMMEDIATE); reads
// use a small pool of read-only connections, opened lazily, each Read() in its own snapshot, so
// reads run concurrently with each other and with the write. Opening applies every migration of
// store/migrations.h that the file lacks.
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
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options = {});

}  // namespace ncbnet::store
