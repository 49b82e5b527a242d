// The replica a terminal keeps (issue 5, item 4): the entries of the last good snapshot and
// the deltas applied since, looked up by the keyed hash of a normalised identifier, with no
// network. Packages are applied only in order: a delta must start where the replica stands,
// and every package must be newer (issued later) than the last one applied; anything else is
// refused and the replica stays as it was. The local file (docs/replica-format.md, "Local
// file") is written whole to a temporary name, fsynced, renamed and its directory fsynced, so
// that a crash leaves the last good copy.
//
// Thread safety: const methods may run concurrently; Apply() needs exclusive access.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "index/identifier_index.h"
#include "replica/package.h"

namespace ncbnet::replica {

class LocalReplica {
 public:
  // An empty replica (no snapshot yet) for `pins`, hashing under `hash_key` (32 bytes).
  LocalReplica(Pins pins, std::string_view hash_key);

  // Applies a verified package (DecodePackage). Errors, the replica unchanged on any:
  //   kFailedPrecondition "replica_no_snapshot": a delta before any snapshot;
  //   kFailedPrecondition "replica_replay": a package that is not newer than what the replica
  //     holds (an older position, or issued no later than the last one applied);
  //   kFailedPrecondition "replica_gap": a delta that starts after the replica's position (a
  //     delta was missed: sync again from the hub).
  Status Apply(const Package& p);

  // The entries matching `normalised_identifier` (records::NormaliseIdentifier's output) in
  // `database` that are not past their review date at `now_ms`, by ref.
  std::vector<const Entry*> Lookup(std::string_view database,
                                   std::string_view normalised_identifier,
                                   std::int64_t now_ms) const;

  // Writes the local file at `path` (mode 0600). Error: kInternal "write_failed".
  Status Save(const std::string& path) const;

  // Reads the local file at `path` for `pins` and `hash_key`. Errors: kNotFound
  // "replica_missing"; kDataLoss "replica_corrupt" (damaged, or another replica's).
  static Result<LocalReplica> Load(const std::string& path, const Pins& pins,
                                   std::string_view hash_key);

  const Pins& pins() const { return pins_; }
  bool has_snapshot() const { return has_snapshot_; }
  std::int64_t seq() const { return seq_; }
  std::int64_t issued_ms() const { return issued_ms_; }  // hub time of the last package
  const std::vector<std::string>& databases() const { return databases_; }
  std::size_t size() const { return entries_.size(); }
  std::map<std::string, std::size_t> CountsByDatabase() const;

 private:
  struct Slot {
    index::IndexKey key;
    std::uint32_t pos = 0;  // into entries_
  };
  void Reindex();

  Pins pins_;
  std::string hash_key_;
  index::IndexKeyer keyer_;
  bool has_snapshot_ = false;
  std::int64_t seq_ = 0;
  std::int64_t issued_ms_ = 0;
  std::vector<std::string> databases_;
  std::vector<Entry> entries_;  // by ref
  std::vector<Slot> slots_;     // by key
};

}  // namespace ncbnet::replica
