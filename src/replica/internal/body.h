// The body shared by packages and the local replica file (docs/replica-format.md, "Body"):
// the databases, a table of interned strings, the entries, the removed refs.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "replica/package.h"

namespace ncbnet::replica::internal {

struct Body {
  std::vector<std::string> databases;
  std::vector<Entry> entries;
  std::vector<std::int64_t> removals;
};

// Appends the body to `out`. The limits of replica/package.h must hold (NCBNET_CHECK).
void EncodeBody(std::span<const std::string> databases, std::span<const Entry> entries,
                std::span<const std::int64_t> removals, std::string& out);

// Reads exactly `bytes` as a body. Error: kInvalidArgument "replica_malformed" naming what is
// wrong; counts are checked against the bytes left before anything is allocated.
Result<Body> DecodeBody(std::string_view bytes);

// A key's 16 bytes as the identifier index writes them (lo, then hi, little-endian).
void PutKey(std::string& out, const index::IndexKey& k);
index::IndexKey KeyFromBytes(std::string_view b16);

}  // namespace ncbnet::replica::internal
