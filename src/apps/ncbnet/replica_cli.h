// What `ncbnet replica` subcommands share (replica_command.cc, replica_check.cc): the replica
// directory (docs/replica-format.md, "Local files") and the age rules.
//   replica.json   the enrolment: replica id, network id, the hub's replica key (pinned),
//                  the age limit; no secret
//   hash.key       the replica's hash key, 64 hex characters, mode 0600
//   replica.bin    the local replica (replica/local_replica.h)
//   pending-hits.jsonl, checks.jsonl   the offline journal (replica/offline_journal.h)
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "core/status.h"
#include "replica/local_replica.h"

namespace ncbnet::apps {

inline constexpr double kDefaultMaxAgeHours = 24;

struct ReplicaDirFlags {
  std::string dir;           // --dir; default $HOME/.ncbnet/replica
  double max_age_hours = 0;  // --max-age; 0: replica.json's, else kDefaultMaxAgeHours
  std::string at;            // --at TIME: judge the age as at TIME (drills, tests)
};
void AddReplicaDirFlags(CLI::App* cmd, ReplicaDirFlags& f, bool age_flags);

struct Enrolled {
  std::string dir;
  replica::Pins pins;
  std::string hash_key;  // 32 bytes
  double max_age_hours = kDefaultMaxAgeHours;
  std::string ReplicaPath() const { return dir + "/replica.bin"; }
};

// The directory flags' path.
std::string ReplicaDirOf(const ReplicaDirFlags& f);

// Reads the enrolment of `f`'s directory. Errors: kNotFound "not_enrolled" (run `replica
// sync`); kDataLoss "replica_corrupt" for a damaged replica.json or hash.key.
Result<Enrolled> LoadEnrolled(const ReplicaDirFlags& f);

// The replica's age in milliseconds at `f.at` (or now), and its limit.
struct Age {
  std::int64_t now_ms = 0;
  std::int64_t age_ms = 0;
  std::int64_t limit_ms = 0;
  bool stale() const { return age_ms > limit_ms; }
};
Result<Age> AgeOf(const ReplicaDirFlags& f, const Enrolled& e, const replica::LocalReplica& r);

// "3 h 12 min", "2 d 4 h", "45 s".
std::string DurationText(std::int64_t ms);

// Prints the stale warning to stderr if the replica is older than its limit.
void WarnIfStale(const Age& age);

void RegisterReplicaCheck(CLI::App& replica, int& exit_code);  // replica_check.cc

// The demo banner's replica commands for the demo's CDG terminal (demo_replica.cc); prints
// nothing if the demo has no such terminal.
void PrintReplicaDemo(const std::string& self, const std::string& url, const std::string& data_dir);

}  // namespace ncbnet::apps
