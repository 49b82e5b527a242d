// ncbnet records databases | create | get | update | cancel | review | versions | export
// (and import, records_import.cc): the owner's side of the shared databases (issue 4), over the
// hub's /v1/databases and /v1/records endpoints. Only the owning NCB (or one of its agencies
// holding record.write:<DB>) changes a record; changes name the version they change.
#include <algorithm>
#include <fstream>
#include <iostream>

#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/output.h"
#include "apps/ncbnet/record_file.h"
#include "apps/ncbnet/records_cli.h"
#include "core/json.h"

namespace ncbnet::apps {
namespace {

using nlohmann::json;

constexpr int kExportPage = 1000;

struct RecordFlags {
  ClientFlags client;
  std::string db, id, fields, restrict, action, review_date, external_id, reason, out;
  std::int64_t version = 0;
  bool no_frontline = false;
  bool json = false;
};

bool AllOf(const std::string& s, std::size_t max, bool (*ok)(char)) {
  return !s.empty() && s.size() <= max && std::all_of(s.begin(), s.end(), ok);
}

std::string Text(const json& v) { return ValueText(v); }

void PrintRecord(const json& r) {
  const json restrictions = r.value("restrictions", json::object());
  std::string visible = restrictions.value("visibility", "all");
  std::string countries;
  for (const json& c : restrictions.value("countries", json::array())) {
    countries += (countries.empty() ? " " : ",") + Text(c);
  }
  std::cout << Text(r.value("id", "")) << "  " << Text(r.value("database", "")) << "  version "
            << r.value("version", 0) << "  " << Text(r.value("status", "")) << "  owner "
            << Text(r.value("owner", "")) << " (" << Text(r.value("owner_country", "")) << ")\n"
            << "  visible to:  " << Printable(visible) << countries
            << (restrictions.value("frontline", true) ? "" : ", not frontline") << "\n"
            << "  review date: " << Text(r.value("review_date", "")) << "\n";
  if (r.contains("external_id")) std::cout << "  external id: " << Text(r["external_id"]) << "\n";
  if (r.contains("action")) std::cout << "  action:      " << Text(r["action"]) << "\n";
  if (r.contains("cancel_reason")) {
    std::cout << "  cancelled:   " << Text(r["cancel_reason"]) << "\n";
  }
  std::cout << "  updated:     " << Text(r.value("updated", "")) << " by "
            << Text(r.value("changed_by", "")) << "\n";
  const json fields = r.value("fields", json::object());  // items() needs it alive
  for (const auto& [name, value] : fields.items()) {
    std::cout << "    " << Printable(name) << ": " << Text(value) << "\n";
  }
}

Result<json> FieldsOf(const std::string& arg) {
  if (arg.empty()) return Status::InvalidArgument("invalid_flags", "--fields is required");
  std::string text = arg;
  if (arg[0] == '@') {
    NCBNET_ASSIGN_OR_RETURN(text, ReadFile(arg.substr(1)));
  }
  json j = ParseJson(text);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("invalid_fields", "--fields is a JSON object (or @file)");
  }
  return j;
}

// The body of a create or update: the record input (records/records.h).
Result<json> InputOf(const RecordFlags& f) {
  json in;
  NCBNET_ASSIGN_OR_RETURN(in["fields"], FieldsOf(f.fields));
  NCBNET_ASSIGN_OR_RETURN(in["restrictions"], RestrictionsOf(f.restrict, !f.no_frontline));
  if (!f.action.empty()) in["action"] = f.action;
  if (!f.review_date.empty()) in["review_date"] = f.review_date;
  if (!f.external_id.empty()) in["external_id"] = f.external_id;
  return in;
}

Status PrintReply(const HubClient::Reply& reply, bool as_json) {
  if (as_json) {
    PrintJson(reply.body);
  } else if (reply.body.contains("versions")) {
    for (const json& v : reply.body["versions"]) PrintRecord(v);
  } else {
    PrintRecord(reply.body);
  }
  return Status::Ok();
}

Status PrintDatabases(const json& body, bool as_json) {
  if (as_json) {
    PrintJson(body);
    return Status::Ok();
  }
  for (const json& db : body.value("databases", json::array())) {
    std::string ids;
    for (const json& i : db.value("identifiers", json::array())) {
      ids += (ids.empty() ? "" : ", ") + Text(i.value("name", ""));
      std::string fields;
      for (const json& f : i.value("fields", json::array())) {
        fields += (fields.empty() ? "" : "+") + Text(f);
      }
      ids += " (" + fields + ")";
    }
    std::cout << Text(db.value("code", "")) << "  " << Text(db.value("title", ""))
              << "  review every " << db.value("review_years", 0) << " years\n"
              << "    fields:";
    for (const json& field : db.value("fields", json::array())) {
      std::cout << " " << Text(field.value("name", ""))
                << (field.value("required", false) ? "*" : "");
    }
    std::cout << "\n    checks by: " << (ids.empty() ? "(names only)" : ids) << "\n";
  }
  return Status::Ok();
}

// Writes the caller's records, one JSON object a line, paging through GET /v1/records/{db}.
Status Export(HubClient& hub, const RecordFlags& f) {
  std::ofstream file;
  if (!f.out.empty()) {
    file.open(f.out, std::ios::binary | std::ios::trunc);
    if (!file) return Status::Internal("write_failed", "cannot write " + f.out);
  }
  std::ostream& out = f.out.empty() ? std::cout : file;
  std::int64_t after = 0;
  std::int64_t count = 0;
  while (true) {
    NCBNET_ASSIGN_OR_RETURN(
        HubClient::Reply page,
        hub.CallOk("GET", "/v1/records/" + f.db + "?after=" + std::to_string(after) +
                              "&limit=" + std::to_string(kExportPage)));
    for (const json& r : page.body.value("records", json::array())) {
      out << r.dump() << "\n";
      ++count;
    }
    const auto next = page.body.find("next_after");
    if (next == page.body.end() || !next->is_number_integer()) break;
    after = next->get<std::int64_t>();
  }
  out.flush();
  if (!out) return Status::Internal("write_failed", "cannot write the export");
  if (!f.out.empty()) {
    if (f.json) {
      PrintJson({{"database", f.db}, {"records", count}, {"file", f.out}});
    } else {
      std::cerr << "exported " << count << " record(s) of " << f.db << " to " << f.out << "\n";
    }
  }
  return Status::Ok();
}

Status Run(const std::string& action, const RecordFlags& f) {
  if (action != "databases" || !f.db.empty()) NCBNET_RETURN_IF_ERROR(CheckDatabaseCode(f.db));
  if (!f.id.empty()) NCBNET_RETURN_IF_ERROR(CheckRecordId(f.id));
  json body;
  if (action == "create" || action == "update") {
    NCBNET_ASSIGN_OR_RETURN(body, InputOf(f));
  }
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(f.client));
  const std::string one = "/v1/records/" + f.db + "/" + f.id;
  HubClient::Reply reply;
  if (action == "databases") {
    if (!f.db.empty()) {
      NCBNET_ASSIGN_OR_RETURN(reply, hub.CallOk("GET", "/v1/databases/" + f.db));
      return PrintDatabases({{"databases", json::array({reply.body})}}, f.json);
    }
    NCBNET_ASSIGN_OR_RETURN(reply, hub.CallOk("GET", "/v1/databases"));
    return PrintDatabases(reply.body, f.json);
  }
  if (action == "export") return Export(hub, f);
  if (action == "create") {
    NCBNET_ASSIGN_OR_RETURN(reply, hub.CallOk("POST", "/v1/records/" + f.db, body));
  } else if (action == "get") {
    NCBNET_ASSIGN_OR_RETURN(reply, hub.CallOk("GET", one));
  } else if (action == "versions") {
    NCBNET_ASSIGN_OR_RETURN(reply, hub.CallOk("GET", one + "/versions"));
  } else if (action == "update") {
    body["version"] = f.version;
    NCBNET_ASSIGN_OR_RETURN(reply, hub.CallOk("PUT", one, body));
  } else if (action == "cancel") {
    NCBNET_ASSIGN_OR_RETURN(
        reply, hub.CallOk("POST", one + "/cancel", {{"version", f.version}, {"reason", f.reason}}));
  } else {
    json review = {{"version", f.version}};
    if (!f.review_date.empty()) review["review_date"] = f.review_date;
    NCBNET_ASSIGN_OR_RETURN(reply, hub.CallOk("POST", one + "/review", review));
  }
  return PrintReply(reply, f.json);
}

void AddInputFlags(CLI::App* cmd, RecordFlags& f) {
  cmd->add_option("--fields", f.fields, "The record's fields: a JSON object, or @FILE")->required();
  cmd->add_option("--restrict", f.restrict,
                  "Who may see it: all (default), only:DEU,ESP, except:ITA");
  cmd->add_flag("--no-frontline", f.no_frontline, "Hidden from frontline terminals");
  cmd->add_option("--action", f.action, "What whoever finds a match must do");
  cmd->add_option("--review-date", f.review_date,
                  "Next review, YYYY-MM-DD (default: the "
                  "database's period)");
  cmd->add_option("--external-id", f.external_id, "Your own reference (unique per database)");
}

void Add(CLI::App* records, const std::string& action, const std::string& help, int& exit_code) {
  auto f = std::make_shared<RecordFlags>();
  auto* cmd = records->add_subcommand(action, help);
  if (action == "databases") {
    cmd->add_option("db", f->db, "One database, e.g. SLTD (default: all)");
  } else {
    cmd->add_option("db", f->db, "The database, e.g. SLTD")->required();
  }
  const bool one = action != "databases" && action != "create" && action != "export";
  if (one) cmd->add_option("id", f->id, "The record's id, rec_...")->required();
  if (action == "create" || action == "update") AddInputFlags(cmd, *f);
  if (action == "update" || action == "cancel" || action == "review") {
    cmd->add_option("--version", f->version, "The version you change (optimistic locking)")
        ->required()
        ->check(CLI::PositiveNumber);
  }
  if (action == "cancel") cmd->add_option("--reason", f->reason, "Why")->required();
  if (action == "review") cmd->add_option("--review-date", f->review_date, "Next review date");
  if (action == "export") {
    cmd->add_option("--out", f->out, "Write to FILE instead of standard output");
  }
  cmd->add_flag("--json", f->json, "Print the hub's JSON");
  AddClientFlags(cmd, f->client);
  cmd->callback([f, action, &exit_code] {
    if (Status s = Run(action, *f); !s.ok()) exit_code = Fail(s);
  });
}

}  // namespace

Status CheckDatabaseCode(const std::string& db) {
  if (!AllOf(db, 32, [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
      })) {
    return Status::InvalidArgument("invalid_database", "a database is named like SLTD");
  }
  return Status::Ok();
}

Status CheckRecordId(const std::string& id) {
  if (!AllOf(id, 64,
             [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; })) {
    return Status::InvalidArgument("invalid_id", "a record id looks like rec_...");
  }
  return Status::Ok();
}

void CheckContextFlags::Add(CLI::App* cmd) {
  for (const char* key : {"location", "port", "flight", "reason", "reference"}) {
    cmd->add_option(std::string("--") + key, values[key],
                    std::string("The check's ") + key + ", told to the owner with any hit");
  }
}

json CheckContextFlags::Json() const {
  json out = json::object();
  for (const auto& [key, value] : values) {
    if (!value.empty()) out[key] = value;
  }
  return out;
}

Result<json> FetchSchema(HubClient& hub, const std::string& db) {
  NCBNET_RETURN_IF_ERROR(CheckDatabaseCode(db));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply reply, hub.CallOk("GET", "/v1/databases/" + db));
  return reply.body;
}

void RegisterRecords(CLI::App& app, int& exit_code) {
  auto* records = app.add_subcommand("records", "Your NCB's records in the shared databases");
  records->require_subcommand(1);
  Add(records, "databases", "The catalogue: databases, fields and identifiers", exit_code);
  Add(records, "create", "Create a record (owned by your NCB)", exit_code);
  Add(records, "get", "Show a record", exit_code);
  Add(records, "update", "Replace a record's content, naming the version changed", exit_code);
  Add(records, "cancel", "Cancel a record: it stops matching at once", exit_code);
  Add(records, "review", "Confirm a record and set its next review date", exit_code);
  Add(records, "versions", "Every version of a record (the owner only)", exit_code);
  Add(records, "export", "Your NCB's records of a database, as JSON lines", exit_code);
  RegisterRecordsImport(*records, exit_code);
}

}  // namespace ncbnet::apps
