// Moving a network from its embedded SQLite store to another store (PostgreSQL): `ncbnet store
// copy`. Every row of every table, in the order the tables were created (so that a row's
// foreign keys point at rows already copied), in one transaction of the target: it holds the
// whole network or nothing. The rows keep their values exactly, so the audit log's chain and
// signed head, the records' MACs and the messages' signatures verify after the move as before.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace ncbnet::store {

struct CopyReport {
  std::map<std::string, std::int64_t> rows;  // table -> rows copied
  std::int64_t total = 0;
};

// Copies `from` (a SQLite store, opened and migrated) into `to`, which must hold no row yet in
// any table but schema_version, at the same schema version. Errors: kFailedPrecondition
// "target_not_empty" (naming the table), "schema_mismatch"; the stores' errors otherwise.
Result<CopyReport> CopySqliteStore(Store& from, Store& to);

}  // namespace ncbnet::store
