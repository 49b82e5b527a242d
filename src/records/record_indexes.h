// The hub's in-memory view of the records for checks (issue 4, item 4): the identifier index
// (index/identifier_index.h) and, for each record ref, what a check needs to decide in memory
// whether the viewer may see a match: status, review date, owner country and restrictions.
//
// It follows the store's change feed (record_changes): Build() reads every record once;
// CatchUp() applies the changes committed since. A write path calls CatchUp() after its commit
// and before it answers, so a check that starts after a write's acknowledgement sees it.
//
// Deciding visibility in memory, before any store read, keeps a restricted record in the timing
// class of an absent one: neither touches the store; only a visible match loads its record.
//
// Thread safety: all methods may be called concurrently (a shared mutex: checks share it,
// CatchUp takes it exclusively).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "index/identifier_index.h"
#include "index/name_index.h"
#include "records/catalogue.h"
#include "records/records.h"
#include "store/store.h"

namespace ncbnet::records {

// One identifier to check: `database`, and the normalised value of one of its identifiers.
struct IdentifierQuery {
  std::string database;
  std::string identifier;  // normalised (NormaliseIdentifier)
  // Series identifiers (SAD) only: the document number, matched against each record's range.
  std::optional<std::int64_t> number;
  std::string name;  // the schema's identifier name ("document"), for hits
};

class RecordIndexes {
 public:
  RecordIndexes(const Catalogue& catalogue, IndexSecret secret);
  ~RecordIndexes();

  // Reads every record and the change feed's position from the store.
  Status Build(store::Store& store);

  // Applies the changes committed since the last Build/CatchUp.
  Status CatchUp(store::Store& store);

  // The refs of records matching `q` that `viewer` may see at `now_ms` (active, not past
  // review, restrictions allowing), in ascending order.
  std::vector<std::int64_t> Match(const IdentifierQuery& q, const Viewer& viewer,
                                  std::int64_t now_ms) const;

  // A record that matched but that the viewer's restrictions hide: the viewer is answered as
  // for an absent record, and its owner is told of the access (audit/accesses.h).
  struct HiddenMatch {
    std::size_t query = 0;  // MatchBatch: the index of the query; SearchNames: 0
    std::int64_t ref = 0;
    std::string owner_country;
  };

  // Match() for many queries at once, prefetching ahead; out[i] answers queries[i]. If
  // `hidden` is set, the matches restrictions hide are appended to it, decided in memory too.
  std::vector<std::vector<std::int64_t>> MatchBatch(
      std::span<const IdentifierQuery> queries, const Viewer& viewer, std::int64_t now_ms,
      std::vector<HiddenMatch>* hidden = nullptr) const;

  // Writes a snapshot into `dir` (created, mode 0700): the identifier index and what the
  // checks know of each record, named by the change-feed position, then `dir`/CURRENT naming
  // them (docs/records.md, "Index snapshots"). Checks go on meanwhile; CatchUp waits.
  // Error: kInternal "write_failed".
  Status Save(const std::string& dir) const;

  // Replaces the contents with the snapshot `dir`/CURRENT names; CatchUp() then brings it up
  // to date. Errors: kNotFound "snapshot_missing"; kDataLoss "snapshot_corrupt" (damaged,
  // or made under another index secret), after which the caller rebuilds with Build().
  Status Load(const std::string& dir);

  // Reads the person names of the records from the store into the name indexes, which
  // snapshots do not hold: call it after Load(), before CatchUp().
  Status LoadNames(store::Store& store);

  // Persons of `schema` (a database with name fields) matching `query` that `viewer` may see,
  // best first (index/name_index.h). Errors: kInvalidArgument "no_name_search" for a database
  // without names, or NameIndex::Search's errors.
  // If `hidden` is set, the search also runs with restrictions set aside (so every search
  // costs the same) and the persons found that the viewer may not see are appended to it.
  Result<std::vector<index::NameHit>> SearchNames(const DatabaseSchema& schema,
                                                  const index::NameQuery& query,
                                                  const Viewer& viewer, std::int64_t now_ms,
                                                  std::vector<HiddenMatch>* hidden = nullptr) const;

  std::int64_t records() const;  // refs known (any status)
  // Versions read from the store since Build() that failed their MAC. They are indexed as
  // stored, so that a check that meets one fails closed (records::RecordsByRef) rather than
  // miss a wanted person; each is logged with its ref.
  std::int64_t tampered_versions() const;
  std::int64_t feed_position() const;  // the last change applied

  struct State;  // the contents: records/internal/record_indexes_state.h

 private:
  // Counts and logs `row` (a whole stored version) if it fails its MAC.
  void NoteTampered(State& state, const store::Row& row) const;

  const Catalogue& catalogue_;
  IndexSecret secret_;
  index::IndexKeyer keyer_;  // keeps the secret's HMAC state between checks
  mutable std::shared_mutex mu_;
  std::unique_ptr<State> state_;
};

}  // namespace ncbnet::records
