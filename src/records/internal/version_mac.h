// The integrity of stored record versions (docs/records.md, "Integrity"): each row of `records`
// and `record_history` carries `mac`, HMAC-SHA-256 under a subkey of the hub's data key over
// every column of the version as stored (its keys too), so that a row edited in the store by
// someone without the key (fields, owner, restrictions, status, identifiers) is detected on
// every read and when the indexes are rebuilt, instead of being served.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ncbnet::records::internal {

// A version's columns, as stored. The first six never change over a record's life and come
// from the `records` row when a `record_history` row is checked.
struct VersionColumns {
  std::string_view id, database, owner_agency, owner_country, external_id;
  std::int64_t created_ms = 0;
  std::int64_t version = 0;
  std::string_view status, visibility, countries;
  std::int64_t frontline = 0;
  std::string_view action, fields;
  std::int64_t updated_ms = 0, review_ms = 0;
  std::string_view changed_by_agency, changed_by_user, cancel_reason, keys;
};

// Lower-case hex of HMAC-SHA-256(`mac_key`, the length-prefixed encoding of `v`, after the
// domain tag "ncbnet-record-version-v1").
std::string VersionMac(std::string_view mac_key, const VersionColumns& v);

// Whether `stored` is the MAC of `v`, compared in constant time.
bool VersionMacValid(std::string_view mac_key, const VersionColumns& v, std::string_view stored);

}  // namespace ncbnet::records::internal
