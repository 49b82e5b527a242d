// ncbnet replica check DB field=value... | replica check document --number N --country C:
// a check answered from the local replica, with no network (replica_command.cc has the rest).
// The identifier is normalised exactly as the hub does (api::QueryOf, records' normalisers),
// hashed under the replica's key and looked up. Every check is logged in checks.jsonl and
// every match queued in pending-hits.jsonl, both fsynced before the answer is printed, and
// uploaded at the next sync so that the owners are told (replica/offline_journal.h).
#include <chrono>
#include <iostream>

#include "api/check_service.h"
#include "apps/ncbnet/output.h"
#include "apps/ncbnet/records_cli.h"
#include "apps/ncbnet/replica_cli.h"
#include "core/clock.h"
#include "core/time_format.h"
#include "records/catalogue.h"
#include "replica/offline_journal.h"

namespace ncbnet::apps {
namespace {

using nlohmann::json;

struct CheckFlags {
  ReplicaDirFlags dir;
  std::string db, identifier, number, country;
  std::vector<std::string> pairs;
  CheckContextFlags context;
  bool json = false;
};

Result<std::map<std::string, std::string>> ValuesOf(const CheckFlags& f) {
  std::map<std::string, std::string> values;
  for (const std::string& p : f.pairs) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("invalid_request", "expected field=value, got " + p);
    }
    values[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return values;
}

// Appends the check's hits and log line; durable before the answer is shown.
Status Journal(const Enrolled& e, const records::IdentifierQuery& q,
               const std::vector<const replica::Entry*>& matches, const CheckFlags& f,
               std::int64_t now_ms) {
  replica::OfflineJournal journal(e.dir);
  const json context = f.context.Json();
  json ids = json::array();
  for (const replica::Entry* m : matches) {
    ids.push_back(m->record_id);
    NCBNET_RETURN_IF_ERROR(journal.AppendHit({{"id", replica::OfflineJournal::NewId()},
                                              {"time", FormatIsoMillis(now_ms)},
                                              {"database", q.database},
                                              {"identifier", q.name},
                                              {"value", q.identifier},
                                              {"record_id", m->record_id},
                                              {"context", context}}));
  }
  // A miss is logged without the identifier or any hash of it.
  return journal.AppendCheck({{"id", replica::OfflineJournal::NewId()},
                              {"time", FormatIsoMillis(now_ms)},
                              {"database", q.database},
                              {"identifier", q.name},
                              {"match", !matches.empty()},
                              {"records", ids}});
}

void Print(const std::vector<const replica::Entry*>& matches, const replica::LocalReplica& r,
           const Age& age, double micros, bool as_json) {
  if (as_json) {
    json out = {{"match", !matches.empty()},
                {"offline", true},
                {"as_of", FormatIsoMillis(r.issued_ms())},
                {"age_seconds", age.age_ms / 1000},
                {"stale", age.stale()},
                {"lookup_microseconds", micros}};
    for (const replica::Entry* m : matches) {
      out["matches"].push_back({{"record_id", m->record_id},
                                {"database", m->database},
                                {"owner_country", m->owner_country},
                                {"status", m->status},
                                {"action", m->action}});
    }
    PrintJson(out);
    return;
  }
  if (matches.empty()) std::cout << "no match\n";
  for (const replica::Entry* m : matches) {
    std::cout << "MATCH  " << m->database << "  " << Printable(m->record_id) << "  owner "
              << Printable(m->owner_country)
              << (m->status.empty() ? "" : "  status " + Printable(m->status)) << "\n"
              << "  action: "
              << (m->action.empty() ? "(none given: contact the owner NCB)" : Printable(m->action))
              << "\n";
  }
  std::cout << "(offline replica as of " << FormatIsoMillis(r.issued_ms()) << ", age "
            << DurationText(age.age_ms) << "; looked up in " << micros << " us)\n";
}

Status CheckOffline(CheckFlags f) {
  NCBNET_ASSIGN_OR_RETURN(Enrolled e, LoadEnrolled(f.dir));
  NCBNET_ASSIGN_OR_RETURN(replica::LocalReplica local,
                          replica::LocalReplica::Load(e.ReplicaPath(), e.pins, e.hash_key));
  NCBNET_ASSIGN_OR_RETURN(auto values, ValuesOf(f));
  if (f.db == "document") {
    f.db = "SLTD";
    values["number"] = f.number;
    values["issuing_country"] = f.country;
  }
  NCBNET_ASSIGN_OR_RETURN(const records::DatabaseSchema* schema,
                          records::Catalogue::Builtin().Find(f.db));
  const auto& held = local.databases();
  if (std::find(held.begin(), held.end(), schema->code) == held.end()) {
    return Status::FailedPrecondition("database_not_in_replica",
                                      schema->code + " is not in this replica");
  }
  NCBNET_ASSIGN_OR_RETURN(records::IdentifierQuery q, api::QueryOf(*schema, f.identifier, values));
  if (q.number) {
    return Status::FailedPrecondition("not_in_replica",
                                      "series (SAD ranges) are checked online only");
  }
  const std::int64_t now_ms = SystemClock().NowMillis();
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<const replica::Entry*> matches = local.Lookup(q.database, q.identifier, now_ms);
  const auto t1 = std::chrono::steady_clock::now();
  NCBNET_RETURN_IF_ERROR(Journal(e, q, matches, f, now_ms));
  NCBNET_ASSIGN_OR_RETURN(Age age, AgeOf(f.dir, e, local));
  Print(matches, local, age, std::chrono::duration<double, std::micro>(t1 - t0).count(), f.json);
  WarnIfStale(age);
  return Status::Ok();
}

}  // namespace

void RegisterReplicaCheck(CLI::App& replica, int& exit_code) {
  auto f = std::make_shared<CheckFlags>();
  auto* cmd = replica.add_subcommand(
      "check",
      "Check an identifier against the local replica, offline: `check DB field=value...` or "
      "`check document --number N --country C`");
  cmd->add_option("db", f->db, "The database (SLTD, SMV, ...) or `document`")->required();
  cmd->add_option("pairs", f->pairs, "field=value, as for `ncbnet check DB`");
  cmd->add_option("--identifier", f->identifier, "The identifier's name (default: inferred)");
  cmd->add_option("--number", f->number, "With `document`: the document number");
  cmd->add_option("--country", f->country, "With `document`: the issuing country");
  f->context.Add(cmd);
  cmd->add_flag("--json", f->json, "Print the answer as JSON");
  AddReplicaDirFlags(cmd, f->dir, true);
  cmd->callback([f, &exit_code] {
    if (Status s = CheckOffline(*f); !s.ok()) exit_code = Fail(s);
  });
}

}  // namespace ncbnet::apps
