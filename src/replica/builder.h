// The hub's side of the offline replica: the snapshot and the deltas of the check databases a
// replica may hold, read from the store inside the caller's transaction (so that the records
// and the change-feed position agree), as unsigned packages (replica/package.h).
//
// What enters a replica (docs/replica-format.md, "What a replica holds"): active records of
// the scope's databases, not past their review date, whose restrictions let the scope's viewer
// see them as a frontline terminal, and never a record whose owner withheld it from frontline
// terminals (`frontline: false`), not even for the owner's own country. Series identifiers
// (SAD ranges) are not carried. Identifiers are keyed-hashed under the replica's key.
//
// Thread safety: plain functions; a Transaction belongs to its callback.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "index/identifier_index.h"
#include "records/catalogue.h"
#include "records/records.h"
#include "records/visibility.h"
#include "replica/package.h"
#include "store/store.h"

namespace ncbnet::replica {

struct ReplicaScope {
  std::string network_id;
  std::string replica_id;
  records::Viewer viewer;  // the replica's agency; always judged as a frontline terminal
  std::vector<const records::DatabaseSchema*> databases;  // those it holds record.check for
  // Checks each record version's MAC (records/records.h) before it goes into a package.
  const records::IndexSecret* record_secret = nullptr;
};

// The change-feed position: the last seq of record_changes (0 when empty).
Result<std::int64_t> FeedPosition(store::Transaction& tx);

// Every entry the scope may hold at `now_ms`, at the current feed position.
Result<Package> BuildSnapshot(store::Transaction& tx, const ReplicaScope& scope,
                              const index::IndexKeyer& keyer, std::int64_t now_ms);

// The changes after `from_seq`, at most `max_changes` feed rows (the replica asks again for
// the rest): an upsert for each changed record the scope may hold, a removal for each it may
// not. Errors: kFailedPrecondition "replica_ahead" if `from_seq` is past the feed (a replica
// of another hub, or a hub restored from an older backup); kInvalidArgument "invalid_request"
// if from_seq < 0 or max_changes < 1.
Result<Package> BuildDelta(store::Transaction& tx, const ReplicaScope& scope,
                           const index::IndexKeyer& keyer, std::int64_t from_seq,
                           std::int64_t now_ms, std::int64_t max_changes);

}  // namespace ncbnet::replica
