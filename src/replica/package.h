// The signed packages a hub sends to an offline replica (issue 5, item 4): a snapshot of the
// check databases a terminal may see, then deltas along the records' change feed. The byte
// format, the signature and the checks are docs/replica-format.md.
//
// A package is signed by the hub's replica key (Ed25519, replica/hub_keys.h) over its whole
// header and body, and names the network, the replica and the change-feed positions it goes
// from and to; DecodePackage refuses one for another network or replica, or whose signature
// does not verify, before it reads the body. Sequence rules (gaps, replays) are the local
// replica's (replica/local_replica.h), which knows where it stands.
//
// Identifiers are never in a package: each entry carries the 16-byte keyed hashes of its
// normalised identifiers under the replica's own key (replica/hub_keys.h), and what an offline
// answer needs: record id, database, owner country, the record's status field and the owner's
// action, and the review date past which it must no longer match.
//
// Thread safety: pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "crypto/sign.h"
#include "index/identifier_index.h"

namespace ncbnet::replica {

inline constexpr std::size_t kMaxPackageBytes = std::size_t{1} << 31;  // 2 GiB
inline constexpr std::size_t kMaxIdBytes = 64;       // network and replica ids, record ids
inline constexpr std::size_t kMaxKeysPerEntry = 16;  // identifiers of one record
inline constexpr std::size_t kMaxDatabases = 64;
inline constexpr std::size_t kSignatureBytes = 64;

// What an offline answer needs of one record, and no more.
struct Entry {
  std::int64_t ref = 0;  // the hub's record ref: deltas replace and remove entries by it
  std::string record_id;
  std::string database;
  std::string owner_country;
  std::string status;          // the record's "status" field ("stolen", "lost"); may be empty
  std::string action;          // the owner's instructions; may be empty
  std::int64_t review_ms = 0;  // from then on the entry does not match
  std::vector<index::IndexKey> keys;  // 1..kMaxKeysPerEntry keyed hashes
  friend bool operator==(const Entry&, const Entry&) = default;
};

enum class PackageKind : std::uint8_t { kSnapshot = 1, kDelta = 2 };

struct Package {
  PackageKind kind = PackageKind::kSnapshot;
  std::string network_id;
  std::string replica_id;
  std::int64_t from_seq = 0;   // a snapshot: 0
  std::int64_t to_seq = 0;     // the change-feed position the replica stands at after it
  std::int64_t issued_ms = 0;  // hub time: the replica's age counts from the last one applied
  // The databases the replica holds after this package (sorted); entries of others are
  // dropped, as when a grant was revoked.
  std::vector<std::string> databases;
  std::vector<Entry> upserts;          // a snapshot: every entry; a delta: new or changed
  std::vector<std::int64_t> removals;  // a delta: refs no longer visible (or never were)
};

// What the replica pinned at enrolment.
struct Pins {
  std::string network_id;
  std::string replica_id;
  std::string public_key;  // the hub's replica key, 32 bytes
};

// The signed bytes of `p` (docs/replica-format.md). `p` must respect the limits above (the
// hub's builder guarantees it; NCBNET_CHECK otherwise).
std::string EncodePackage(const Package& p, const crypto::SigningKey& key);

// Verifies and reads a package. Errors, checked in this order, nothing kept on any:
//   kInvalidArgument "replica_malformed": not a package, truncated, oversized, bad header;
//   kFailedPrecondition "replica_wrong_network": made for another network;
//   kFailedPrecondition "replica_wrong_replica": made for another replica;
//   kUnauthenticated "replica_bad_signature": the signature does not verify (tampered);
//   kInvalidArgument "replica_malformed": a signed body that does not parse.
Result<Package> DecodePackage(std::string_view bytes, const Pins& pins);

}  // namespace ncbnet::replica
