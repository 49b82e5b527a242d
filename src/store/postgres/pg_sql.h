// Portable SQL (store.h) rewritten for PostgreSQL. Internal to store/postgres/.
//
// Outside string literals, quoted identifiers and comments:
//   ?            -> $1, $2, ... in order
//   INTEGER      -> BIGINT  (SQLite's INTEGER holds 64 bits; PostgreSQL's holds 32)
//   BLOB         -> BYTEA
//   REAL         -> DOUBLE PRECISION
//   x'0a1b'      -> '\x0a1b'::bytea  (SQLite's blob literal)
// The type words are matched as whole upper-case words, as the migrations write them.
#pragma once

#include <string>
#include <string_view>

namespace ncbnet::store::internal {

struct PostgresSql {
  std::string text;
  int params = 0;  // how many `?` were numbered
};

PostgresSql ToPostgresSql(std::string_view portable);

}  // namespace ncbnet::store::internal
