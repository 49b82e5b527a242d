// Versioned schema migrations, applied in order at start by every back end. Each migration is
// portable SQL (see store.h) and runs in one transaction together with the bump of
// schema_version, so a crash leaves the schema at one version or the next, never between.
// Migrations are append-only: never edit one that has shipped; add the next.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace ncbnet::store {

struct Migration {
  int version;
  std::string_view description;
  std::vector<std::string_view> statements;
};

// Every migration, by ascending version starting at 1.
const std::vector<Migration>& AllMigrations();

// Creates schema_version if missing and applies, each in its own Write(), every migration newer
// than the store's; a back end calls it when it opens. Errors: kFailedPrecondition
// "schema_too_new" if the store was migrated by a newer binary; the store's errors otherwise.
Status ApplyMigrations(Store& store);

// The store's schema version. Errors: kInternal "store_error" when the row is missing.
Result<std::int64_t> SchemaVersion(Transaction& tx);

}  // namespace ncbnet::store
