// ncbnet replica sync | check | status | apply: the offline replica of a frontline terminal
// (issue 5, item 4; docs/replica-format.md). `sync` enrols the device on its first run (with
// its client certificate), uploads what was checked offline, then pulls a signed snapshot or
// the signed deltas since the last sync; `check` answers from the local replica with no
// network (replica_check.cc); `status` tells its age; `apply` applies a package file carried
// by hand (the bytes of GET /v1/replicas/{id}/snapshot or .../delta).
//
// A package whose network, replica, signature or sequence is wrong is refused with its code
// and the replica keeps its last good copy. Exit status: 0 on success, 1 on an error.
#include <sys/stat.h>

#include <cstdlib>
#include <iostream>

#include "apps/ncbnet/client_flags.h"
#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/output.h"
#include "apps/ncbnet/replica_cli.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/time_format.h"
#include "crypto/encoding.h"
#include "replica/offline_journal.h"

namespace ncbnet::apps {
namespace {

using nlohmann::json;

constexpr int kMaxDeltasPerSync = 1000;

Status Corrupt(const std::string& what) {
  return Status::DataLoss("replica_corrupt", what +
                                                 " is damaged: enrol again (move the "
                                                 "directory away and run `replica sync`)");
}

// Enrols this device: POST /v1/replicas, then replica.json and hash.key (0600).
Result<Enrolled> Enrol(HubClient& hub, const ReplicaDirFlags& f) {
  const std::string dir = ReplicaDirOf(f);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::Internal("write_failed", "cannot create " + dir);
  }
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply reply, hub.CallOk("POST", "/v1/replicas"));
  const json& b = reply.body;
  Enrolled e;
  e.dir = dir;
  e.pins.replica_id = b.value("id", "");
  e.pins.network_id = b.value("network_id", "");
  NCBNET_ASSIGN_OR_RETURN(e.pins.public_key, crypto::HexDecode(b.value("signing_public_key", "")));
  NCBNET_ASSIGN_OR_RETURN(e.hash_key, crypto::HexDecode(b.value("hash_key", "")));
  if (e.pins.public_key.size() != 32 || e.hash_key.size() != 32 || e.pins.replica_id.empty()) {
    return Status::Internal("invalid_reply", "the hub's enrolment answer is incomplete");
  }
  e.max_age_hours = f.max_age_hours > 0 ? f.max_age_hours : kDefaultMaxAgeHours;
  NCBNET_RETURN_IF_ERROR(
      WriteNewFile(dir + "/hash.key", b["hash_key"].get<std::string>() + "\n", 0600));
  const json conf = {{"replica_id", e.pins.replica_id},
                     {"network_id", e.pins.network_id},
                     {"signing_public_key", b["signing_public_key"]},
                     {"max_age_hours", e.max_age_hours}};
  NCBNET_RETURN_IF_ERROR(WriteNewFile(dir + "/replica.json", conf.dump(2) + "\n", 0600));
  std::cerr << "enrolled replica " << e.pins.replica_id << " of network " << e.pins.network_id
            << "\n";
  return e;
}

// Verifies and applies `bytes`, then saves. Nothing changes on disk unless all is well.
Status ApplyBytes(const Enrolled& e, replica::LocalReplica& local, const std::string& bytes) {
  NCBNET_ASSIGN_OR_RETURN(replica::Package p, replica::DecodePackage(bytes, e.pins));
  NCBNET_RETURN_IF_ERROR(local.Apply(p));
  return local.Save(e.ReplicaPath());
}

Result<replica::LocalReplica> LoadOrEmpty(const Enrolled& e) {
  auto r = replica::LocalReplica::Load(e.ReplicaPath(), e.pins, e.hash_key);
  if (r.ok() || r.status().reason() != "replica_missing") return r;
  return replica::LocalReplica(e.pins, e.hash_key);
}

// Uploads the offline journal; drops what the hub recorded or refused for good.
Status Upload(HubClient& hub, const Enrolled& e, json& summary) {
  replica::OfflineJournal journal(e.dir);
  NCBNET_ASSIGN_OR_RETURN(std::vector<json> hits, journal.Hits());
  NCBNET_ASSIGN_OR_RETURN(std::vector<json> checks, journal.Checks());
  if (hits.empty() && checks.empty()) return Status::Ok();
  std::set<std::string> done;
  for (std::size_t at = 0; at < hits.size() || at < checks.size(); at += 5000) {
    json body = {{"hits", json::array()}, {"checks", json::array()}};
    for (std::size_t i = at; i < std::min(hits.size(), at + 5000); ++i)
      body["hits"].push_back(hits[i]);
    for (std::size_t i = at; i < std::min(checks.size(), at + 5000); ++i)
      body["checks"].push_back(checks[i]);
    NCBNET_ASSIGN_OR_RETURN(
        HubClient::Reply reply,
        hub.CallOk("POST", "/v1/replicas/" + e.pins.replica_id + "/uploads", body));
    for (const json& h : reply.body.value("hits", json::array())) {
      done.insert(h.value("id", ""));
      if (h.contains("error")) {
        std::cerr << "warning: offline hit " << h.value("id", "")
                  << " refused: " << Printable(h["error"].value("code", "")) << "\n";
        summary["hits_refused"] = summary.value("hits_refused", 0) + 1;
      } else {
        summary[h.value("duplicate", false) ? "hits_duplicate" : "hits_uploaded"] =
            summary.value(h.value("duplicate", false) ? "hits_duplicate" : "hits_uploaded", 0) + 1;
      }
    }
    for (const json& c : body["checks"]) done.insert(c.value("id", ""));
    summary["checks_uploaded"] = summary.value("checks_uploaded", 0) + body["checks"].size();
  }
  return journal.Drop(done);
}

// Snapshot first, then deltas until one comes back empty (or the per-sync limit).
Status Pull(HubClient& hub, const Enrolled& e, replica::LocalReplica& local) {
  const std::string base = "/v1/replicas/" + e.pins.replica_id;
  hub.set_max_response_bytes(replica::kMaxPackageBytes);  // 59 MB a million records
  for (int i = 0; i < kMaxDeltasPerSync; ++i) {
    const bool snapshot = !local.has_snapshot();
    const std::int64_t from = local.seq();
    NCBNET_ASSIGN_OR_RETURN(
        HubClient::RawReply reply,
        hub.CallRaw("GET",
                    snapshot ? base + "/snapshot" : base + "/delta?from=" + std::to_string(from)));
    if (reply.status >= 400) {
      HubClient::Reply r{reply.status, ParseJson(reply.body), reply.body};
      return StatusFromReply(r);
    }
    NCBNET_RETURN_IF_ERROR(ApplyBytes(e, local, reply.body));
    if (!snapshot && local.seq() == from) return Status::Ok();
  }
  return Status::Ok();
}

json StatusJson(const Enrolled& e, const replica::LocalReplica& r, const Age& age) {
  replica::OfflineJournal journal(e.dir);
  const auto hits = journal.Hits();
  const auto checks = journal.Checks();
  return {{"replica_id", e.pins.replica_id},
          {"network_id", e.pins.network_id},
          {"seq", r.seq()},
          {"as_of", r.has_snapshot() ? json(FormatIsoMillis(r.issued_ms())) : json()},
          {"age_seconds", age.age_ms / 1000},
          {"max_age_hours", e.max_age_hours},
          {"stale", age.stale()},
          {"entries", r.size()},
          {"databases", r.CountsByDatabase()},
          {"pending_hits", hits.ok() ? hits->size() : 0},
          {"logged_checks", checks.ok() ? checks->size() : 0}};
}

void PrintStatus(const json& s) {
  std::cout << "replica " << s["replica_id"].get<std::string>() << " of "
            << s["network_id"].get<std::string>() << "\n"
            << "  position " << s["seq"] << ", as of "
            << (s["as_of"].is_null() ? "(never synced)" : s["as_of"].get<std::string>()) << ", age "
            << DurationText(s["age_seconds"].get<std::int64_t>() * 1000)
            << (s["stale"].get<bool>() ? " (STALE)" : "") << "\n"
            << "  " << s["entries"] << " entries:";
  for (const auto& [db, n] : s["databases"].items()) std::cout << " " << db << " " << n;
  std::cout << "\n  offline: " << s["pending_hits"] << " hit(s) and " << s["logged_checks"]
            << " check(s) to upload\n";
}

Status Sync(const ClientFlags& client, const ReplicaDirFlags& f, bool as_json) {
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(client));
  Result<Enrolled> enrolled = LoadEnrolled(f);
  if (!enrolled.ok() && enrolled.status().reason() == "not_enrolled") enrolled = Enrol(hub, f);
  if (!enrolled.ok()) return enrolled.status();
  NCBNET_ASSIGN_OR_RETURN(replica::LocalReplica local, LoadOrEmpty(*enrolled));
  json uploads = json::object();
  NCBNET_RETURN_IF_ERROR(Upload(hub, *enrolled, uploads));
  NCBNET_RETURN_IF_ERROR(Pull(hub, *enrolled, local));
  NCBNET_ASSIGN_OR_RETURN(Age age, AgeOf(f, *enrolled, local));
  json s = StatusJson(*enrolled, local, age);
  s["uploaded"] = uploads;
  if (as_json) {
    PrintJson(s);
  } else {
    PrintStatus(s);
    if (!uploads.empty()) std::cout << "  uploaded: " << uploads.dump() << "\n";
  }
  return Status::Ok();
}

Status Apply(const ReplicaDirFlags& f, const std::string& file) {
  NCBNET_ASSIGN_OR_RETURN(Enrolled e, LoadEnrolled(f));
  NCBNET_ASSIGN_OR_RETURN(replica::LocalReplica local, LoadOrEmpty(e));
  NCBNET_ASSIGN_OR_RETURN(std::string bytes, ReadFile(file));
  NCBNET_RETURN_IF_ERROR(ApplyBytes(e, local, bytes));
  std::cout << "applied: replica at position " << local.seq() << ", " << local.size()
            << " entries\n";
  return Status::Ok();
}

Status ShowStatus(const ReplicaDirFlags& f, bool as_json) {
  NCBNET_ASSIGN_OR_RETURN(Enrolled e, LoadEnrolled(f));
  NCBNET_ASSIGN_OR_RETURN(replica::LocalReplica local, LoadOrEmpty(e));
  NCBNET_ASSIGN_OR_RETURN(Age age, AgeOf(f, e, local));
  const json s = StatusJson(e, local, age);
  as_json ? PrintJson(s) : PrintStatus(s);
  WarnIfStale(age);
  return Status::Ok();
}

}  // namespace

std::string ReplicaDirOf(const ReplicaDirFlags& f) {
  if (!f.dir.empty()) return f.dir;
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : ".") + "/.ncbnet/replica";
}

void AddReplicaDirFlags(CLI::App* cmd, ReplicaDirFlags& f, bool age_flags) {
  cmd->add_option("--dir", f.dir, "The replica's directory (default ~/.ncbnet/replica)");
  cmd->add_option("--max-age", f.max_age_hours,
                  "Warn when the replica is older than this many hours (default: as enrolled, "
                  "24)")
      ->check(CLI::PositiveNumber);
  if (age_flags) {
    cmd->add_option("--at", f.at, "Judge the replica's age as at this ISO 8601 time (drills)");
  }
}

Result<Enrolled> LoadEnrolled(const ReplicaDirFlags& f) {
  Enrolled e;
  e.dir = ReplicaDirOf(f);
  auto conf_text = ReadFile(e.dir + "/replica.json");
  if (!conf_text.ok()) {
    return Status::NotFound("not_enrolled", "no replica in " + e.dir + ": run `replica sync`");
  }
  const json conf = ParseJson(*conf_text);
  NCBNET_ASSIGN_OR_RETURN(std::string key_hex, ReadFile(e.dir + "/hash.key"));
  while (!key_hex.empty() && (key_hex.back() == '\n' || key_hex.back() == '\r')) key_hex.pop_back();
  auto key = crypto::HexDecode(key_hex);
  if (!conf.is_object() || !key.ok() || key->size() != 32) return Corrupt(e.dir + "/replica.json");
  e.hash_key = *key;
  e.pins.replica_id = conf.value("replica_id", "");
  e.pins.network_id = conf.value("network_id", "");
  auto pk = crypto::HexDecode(conf.value("signing_public_key", ""));
  if (!pk.ok() || pk->size() != 32 || e.pins.replica_id.empty()) {
    return Corrupt(e.dir + "/replica.json");
  }
  e.pins.public_key = *pk;
  e.max_age_hours =
      f.max_age_hours > 0 ? f.max_age_hours : conf.value("max_age_hours", kDefaultMaxAgeHours);
  return e;
}

Result<Age> AgeOf(const ReplicaDirFlags& f, const Enrolled& e, const replica::LocalReplica& r) {
  Age a;
  a.now_ms = SystemClock().NowMillis();
  if (!f.at.empty()) {
    NCBNET_ASSIGN_OR_RETURN(a.now_ms, ParseIsoMillis(f.at));
  }
  a.age_ms = r.has_snapshot() ? std::max<std::int64_t>(0, a.now_ms - r.issued_ms()) : 0;
  a.limit_ms = static_cast<std::int64_t>(e.max_age_hours * 3600.0 * 1000.0);
  if (!r.has_snapshot()) a.age_ms = a.limit_ms + 1;  // never synced: as stale as can be
  return a;
}

std::string DurationText(std::int64_t ms) {
  const std::int64_t s = ms / 1000, m = s / 60, h = m / 60, d = h / 24;
  if (d > 0) return std::to_string(d) + " d " + std::to_string(h % 24) + " h";
  if (h > 0) return std::to_string(h) + " h " + std::to_string(m % 60) + " min";
  if (m > 0) return std::to_string(m) + " min " + std::to_string(s % 60) + " s";
  return std::to_string(s) + " s";
}

void WarnIfStale(const Age& age) {
  if (!age.stale()) return;
  std::cerr << "warning: replica_stale: the replica is " << DurationText(age.age_ms)
            << " old, over its limit of " << DurationText(age.limit_ms)
            << ": sync it (`ncbnet replica sync`) before relying on a miss\n";
}

void RegisterReplica(CLI::App& app, int& exit_code) {
  auto* replica = app.add_subcommand(
      "replica", "The offline replica of the check databases, for a frontline terminal");
  replica->require_subcommand(1);

  auto sync = std::make_shared<std::pair<ClientFlags, ReplicaDirFlags>>();
  auto sync_json = std::make_shared<bool>(false);
  auto* s = replica->add_subcommand(
      "sync", "Enrol (first run), upload offline hits and checks, pull a snapshot or deltas");
  AddClientFlags(s, sync->first);
  AddReplicaDirFlags(s, sync->second, false);
  s->add_flag("--json", *sync_json, "Print the status as JSON");
  s->callback([sync, sync_json, &exit_code] {
    if (Status st = Sync(sync->first, sync->second, *sync_json); !st.ok()) exit_code = Fail(st);
  });

  auto st = std::make_shared<ReplicaDirFlags>();
  auto st_json = std::make_shared<bool>(false);
  auto* status = replica->add_subcommand("status", "The replica's age, position and contents");
  AddReplicaDirFlags(status, *st, true);
  status->add_flag("--json", *st_json, "Print as JSON");
  status->callback([st, st_json, &exit_code] {
    if (Status r = ShowStatus(*st, *st_json); !r.ok()) exit_code = Fail(r);
  });

  auto ap = std::make_shared<std::pair<ReplicaDirFlags, std::string>>();
  auto* apply = replica->add_subcommand(
      "apply", "Apply a snapshot or delta file (carried by hand) after verifying it");
  AddReplicaDirFlags(apply, ap->first, false);
  apply->add_option("file", ap->second, "The package file")->required();
  apply->callback([ap, &exit_code] {
    if (Status r = Apply(ap->first, ap->second); !r.ok()) exit_code = Fail(r);
  });

  RegisterReplicaCheck(*replica, exit_code);
}

}  // namespace ncbnet::apps
