// Versioned schema migrations, applied in order at start by every back end. Each migration is
// portable SQL (see store.h) and runs in one transaction together with the bump of
// schema_version, so a crash leaves the schema at one version or the next, never between.
// Migrations are append-only: never edit one that has shipped; add the next.
#pragma once

#include <string_view>
#include <vector>

namespace ncbnet::store {

struct Migration {
  int version;
  std::string_view description;
  std::vector<std::string_view> statements;
};

// Every migration, by ascending version starting at 1.
const std::vector<Migration>& AllMigrations();

}  // namespace ncbnet::store
