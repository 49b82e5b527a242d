// What a replica keeps of its offline checks until the next sync uploads it
// (docs/replica-format.md, "Offline journal"):
//   pending-hits.jsonl  one line per offline match: what the hub needs to record the hit and
//                       tell the owner (record, identifier, time, context);
//   checks.jsonl        one line per offline check, match or not: time, database, identifier
//                       kind, outcome and matched record ids. A miss holds no identifier and no
//                       hash of one, so the log does not list the documents that were checked.
// Each line carries a random id, so that an upload retried after a lost answer is recognised
// by the hub and never doubles a hit. Lines are appended and fsynced before the check answers;
// uploaded lines are dropped by rewriting the file whole (temporary file, fsync, rename).
//
// Thread safety: one object per process; lines are appended with O_APPEND.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace ncbnet::replica {

class OfflineJournal {
 public:
  explicit OfflineJournal(std::string dir) : dir_(std::move(dir)) {}

  // A fresh line id: 32 lower-case hex characters of randomness.
  static std::string NewId();

  // Appends one line (the object given, with "id" set by the caller) and fsyncs.
  // Error: kInternal "write_failed".
  Status AppendHit(const nlohmann::json& hit) { return Append(kHits, hit); }
  Status AppendCheck(const nlohmann::json& check) { return Append(kChecks, check); }

  // The lines kept, oldest first. A last line cut short by a crash is skipped.
  // Error: kInternal "read_failed".
  Result<std::vector<nlohmann::json>> Hits() const { return Read(kHits); }
  Result<std::vector<nlohmann::json>> Checks() const { return Read(kChecks); }

  // Drops the lines whose "id" is in `ids` from both files. Error: kInternal "write_failed".
  Status Drop(const std::set<std::string>& ids);

  static constexpr const char* kHits = "pending-hits.jsonl";
  static constexpr const char* kChecks = "checks.jsonl";

 private:
  Status Append(const char* file, const nlohmann::json& line);
  Result<std::vector<nlohmann::json>> Read(const char* file) const;
  Status Rewrite(const char* file, const std::vector<nlohmann::json>& lines);

  std::string dir_;
};

}  // namespace ncbnet::replica
