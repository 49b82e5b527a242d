// Helpers shared by the replica's unit tests: pins, keys and entries.
#pragma once

#include <string>

#include "index/identifier_index.h"
#include "replica/package.h"

namespace ncbnet::replica::testutil {

inline const std::string kHashKey(32, 'h');

inline Pins PinsFor(const crypto::SigningKey& key) {
  return {"net-0123456789abcdef", "rpl_000000000000000000000001", key.public_key()};
}

inline Entry EntryFor(std::int64_t ref, const std::string& identifier,
                      const std::string& db = "SLTD", std::int64_t review_ms = 1LL << 50) {
  Entry e;
  e.ref = ref;
  e.record_id = "rec_" + std::to_string(ref);
  e.database = db;
  e.owner_country = "FRA";
  e.status = "stolen";
  e.action = "Seize the document";
  e.review_ms = review_ms;
  e.keys.push_back(index::KeyFor(kHashKey, db, identifier));
  return e;
}

inline Package PackageFor(const Pins& pins, PackageKind kind, std::int64_t from, std::int64_t to,
                          std::int64_t issued) {
  Package p;
  p.kind = kind;
  p.network_id = pins.network_id;
  p.replica_id = pins.replica_id;
  p.from_seq = from;
  p.to_seq = to;
  p.issued_ms = issued;
  p.databases = {"SLTD", "SMV"};
  return p;
}

}  // namespace ncbnet::replica::testutil
