// ncbnet check document | vin | plate | firearm | imo | series | person | manifest | batch (and
// mrz, check_mrz_command.cc), and
// `check DB key=value...`: checks against the shared databases (/v1/checks/{db},
// /v1/search/{db}, /v1/screening), as a border officer's or a national system's script would run
// them. A record the caller may not see answers like an absent one.
//
// Exit status: 0 when the check was answered, MATCH or not (scripts read the output, or
// --json); 1 on an error (bad flags, refused, unreachable hub).
#include <array>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/output.h"
#include "apps/ncbnet/record_file.h"
#include "apps/ncbnet/records_cli.h"
#include "core/json.h"

namespace ncbnet::apps {
namespace {

using nlohmann::json;

constexpr std::size_t kCheckChunk = 10000;  // items per request (the hub takes up to 100,000)

struct CheckFlags {
  ClientFlags client;
  std::string db, identifier, file, format;
  std::vector<std::string> pairs;                           // key=value, for `check DB`
  std::vector<std::pair<std::string, std::string*>> named;  // flag values, by field
  std::string a, b, c;                                      // the named flags' storage
  CheckContextFlags context;  // the check's circumstances, for the owner
  bool json = false;
};

std::string Text(const json& v) { return ValueText(v); }

// Percent-encodes a query component (RFC 3986 unreserved characters kept).
std::string Encode(const std::string& s) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (std::isalnum(u) != 0 || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

// One line a match: who owns it and what to do.
void PrintAnswer(const json& answer) {
  if (!answer.value("match", false)) {
    std::cout << "no match\n";
    return;
  }
  for (const json& m : answer.value("matches", json::array())) {
    const json r = m.value("record", json::object());
    std::cout << "MATCH  " << Text(r.value("database", "")) << "  " << Text(r.value("id", ""))
              << "  owner " << Text(r.value("owner", "")) << " ("
              << Text(r.value("owner_country", "")) << ")\n"
              << "  action: "
              << (m.contains("action") ? Text(m["action"]) : "(none given: contact the owner NCB)")
              << "\n";
    if (m.contains("hit")) std::cout << "  hit:    " << Text(m["hit"]) << " (the owner is told)\n";
    const json fields = r.value("fields", json::object());  // items() needs it alive
    for (const auto& [name, value] : fields.items()) {
      std::cout << "    " << Printable(name) << ": " << Text(value) << "\n";
    }
  }
}

Status CheckOne(const CheckFlags& f, const std::map<std::string, std::string>& values) {
  NCBNET_RETURN_IF_ERROR(CheckDatabaseCode(f.db));
  std::map<std::string, std::string> params = values;
  if (!f.identifier.empty()) params["identifier"] = f.identifier;
  const json context = f.context.Json();
  for (const auto& [key, value] : context.items()) params[key] = value.get<std::string>();
  std::string query;
  for (const auto& [k, v] : params) {
    query += (query.empty() ? "?" : "&") + Encode(k) + "=" + Encode(v);
  }
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(f.client));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply reply, hub.CallOk("GET", "/v1/checks/" + f.db + query));
  if (f.json) {
    PrintJson(reply.body);
  } else {
    PrintAnswer(reply.body);
  }
  return Status::Ok();
}

Status CheckPairs(const CheckFlags& f) {
  if (f.pairs.empty()) {
    return Status::InvalidArgument("invalid_flags", "give the identifier as field=value ...");
  }
  std::map<std::string, std::string> values;
  for (const std::string& p : f.pairs) {
    const std::size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("invalid_flags", "'" + p + "' is not field=value");
    }
    values[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return CheckOne(f, values);
}

Result<ParsedFile> ReadItems(const CheckFlags& f) {
  NCBNET_ASSIGN_OR_RETURN(FileFormat format, FormatOf(f.format, f.file));
  NCBNET_ASSIGN_OR_RETURN(std::string text, ReadFile(f.file));
  if (format == FileFormat::kJsonLines) return ReadJsonLines(text);
  NCBNET_ASSIGN_OR_RETURN(CsvTable table, ReadCsv(text));
  return CsvItems(table);
}

// Each item of the file, answered in order as one JSON line with its file line; a row the file
// could not give is answered with its error in place.
Status CheckBatch(const CheckFlags& f) {
  NCBNET_RETURN_IF_ERROR(CheckDatabaseCode(f.db));
  NCBNET_ASSIGN_OR_RETURN(ParsedFile items, ReadItems(f));
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(f.client));
  std::map<int, const FileProblem*> problems;
  for (const FileProblem& p : items.problems) problems[p.line] = &p;
  auto problem = problems.begin();
  std::size_t matched = 0;
  std::size_t errors = items.problems.size();
  for (std::size_t begin = 0; begin < items.rows.size() || begin == 0; begin += kCheckChunk) {
    const std::size_t end = std::min(items.rows.size(), begin + kCheckChunk);
    json request = {{"items", json::array()}};
    if (!f.identifier.empty()) request["identifier"] = f.identifier;
    if (json context = f.context.Json(); !context.empty()) request["context"] = context;
    for (std::size_t i = begin; i < end; ++i) request["items"].push_back(items.rows[i].value);
    json results = json::array();
    if (end > begin) {
      NCBNET_ASSIGN_OR_RETURN(HubClient::Reply reply,
                              hub.CallOk("POST", "/v1/checks/" + f.db, request));
      results = reply.body.value("results", json::array());
      if (results.size() != end - begin) {
        return Status::Internal("invalid_reply", "the hub answered another number of items");
      }
    }
    for (std::size_t i = begin; i <= end; ++i) {
      const int line = i < end ? items.rows[i].line : INT32_MAX;
      for (; problem != problems.end() && problem->first < line; ++problem) {
        std::cout << json({{"line", problem->first},
                           {"error",
                            {{"code", problem->second->code},
                             {"message", problem->second->message}}}})
                         .dump()
                  << "\n";
      }
      if (i == end) break;
      json r = results[i - begin];
      r.erase("index");
      r["line"] = line;
      if (r.value("match", false)) ++matched;
      if (r.contains("error")) ++errors;
      std::cout << r.dump() << "\n";
    }
    if (end == items.rows.size()) break;
  }
  std::cout.flush();
  std::cerr << items.rows.size() << " item(s) checked, " << matched << " matched, " << errors
            << " error(s)\n";
  return Status::Ok();
}

struct Named {
  const char* name;  // the subcommand
  const char* help;
  const char* db;
  std::vector<std::pair<const char*, const char*>> args;  // {field, "--flag" or "" positional}
};

std::vector<Named> NamedChecks() {
  return {
      {"document",
       "A travel document (SLTD)",
       "SLTD",
       {{"number", "--number"}, {"issuing_country", "--country"}}},
      {"vin", "A vehicle by VIN (SMV)", "SMV", {{"vin", ""}}},
      {"plate",
       "A vehicle by plate (SMV)",
       "SMV",
       {{"plate", "--plate"}, {"plate_country", "--country"}}},
      {"firearm",
       "A firearm by make and serial (FIREARMS)",
       "FIREARMS",
       {{"make", "--make"}, {"serial", "--serial"}}},
      {"imo", "A vessel by IMO number (VESSELS)", "VESSELS", {{"imo", ""}}},
      {"series",
       "A blank administrative document by series and number (SAD)",
       "SAD",
       {{"issuing_country", "--country"}, {"series", "--series"}, {"number", "--number"}}},
  };
}

void AddNamed(CLI::App* check, const Named& n, int& exit_code) {
  auto f = std::make_shared<CheckFlags>();
  f->db = n.db;
  auto* cmd = check->add_subcommand(n.name, n.help);
  const std::array<std::string*, 3> storage = {&f->a, &f->b, &f->c};
  for (std::size_t i = 0; i < n.args.size(); ++i) {
    const auto& [field, flag] = n.args[i];
    const std::string name = *flag == '\0' ? std::string(field) : std::string(flag);
    cmd->add_option(name, *storage[i], std::string("The ") + field)->required();
    f->named.emplace_back(field, storage[i]);
  }
  cmd->add_flag("--json", f->json, "Print the hub's JSON answer");
  f->context.Add(cmd);
  AddClientFlags(cmd, f->client);
  cmd->callback([f, &exit_code] {
    std::map<std::string, std::string> values;
    for (const auto& [field, value] : f->named) values[field] = *value;
    if (Status s = CheckOne(*f, values); !s.ok()) exit_code = Fail(s);
  });
}

void AddBatch(CLI::App* check, int& exit_code) {
  auto f = std::make_shared<CheckFlags>();
  auto* cmd = check->add_subcommand(
      "batch", "Check every item of a CSV or JSON-lines file; answers as JSON lines, in order");
  cmd->add_option("db", f->db, "The database, e.g. SLTD")->required();
  cmd->add_option("file", f->file, "The items: .csv (header of field names) or .jsonl")->required();
  cmd->add_option("--format", f->format, "csv or jsonl (default: by the file's extension)");
  cmd->add_option("--identifier", f->identifier, "Which identifier (default: by the fields)");
  f->context.Add(cmd);
  AddClientFlags(cmd, f->client);
  cmd->callback([f, &exit_code] {
    if (Status s = CheckBatch(*f); !s.ok()) exit_code = Fail(s);
  });
}

// `check person NAME`: the persons of a database with names (NOMINAL) the caller may see,
// best first, each with its score, what matched and the owner's action (POST /v1/search/{db}).
struct PersonFlags {
  ClientFlags client;
  std::string db = "NOMINAL", name, dob, sex, nationality;
  int limit = 10;
  CheckContextFlags context;
  bool json = false;
};

Status CheckPerson(const PersonFlags& f) {
  NCBNET_RETURN_IF_ERROR(CheckDatabaseCode(f.db));
  json query = {{"name", f.name}, {"limit", f.limit}};
  if (!f.dob.empty()) query["date_of_birth"] = f.dob;
  if (!f.sex.empty()) query["sex"] = f.sex;
  if (!f.nationality.empty()) query["nationality"] = f.nationality;
  if (json context = f.context.Json(); !context.empty()) query["context"] = context;
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(f.client));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply reply, hub.CallOk("POST", "/v1/search/" + f.db, query));
  if (f.json) {
    PrintJson(reply.body);
    return Status::Ok();
  }
  const json results = reply.body.value("results", json::array());
  if (results.empty()) std::cout << "no match\n";
  for (const json& m : results) {
    const json r = m.value("record", json::object());
    const json fields = r.value("fields", json::object());
    char score[16];
    std::snprintf(score, sizeof score, "%.2f", m.value("score", 0.0));
    std::cout << "MATCH  score " << score << "  " << Text(fields.value("name", "")) << "  "
              << Text(r.value("id", "")) << "  owner " << Text(r.value("owner", "")) << "\n"
              << "  action: "
              << (m.contains("action") ? Text(m["action"]) : "(none given: contact the owner NCB)")
              << "\n";
    if (m.contains("hit")) std::cout << "  hit:    " << Text(m["hit"]) << " (the owner is told)\n";
  }
  return Status::Ok();
}

void AddPerson(CLI::App* check, int& exit_code) {
  auto f = std::make_shared<PersonFlags>();
  auto* cmd = check->add_subcommand(
      "person", "Search persons by name in any script (NOMINAL): ranked matches with scores");
  cmd->add_option("name", f->name, "The name, in any script")->required();
  cmd->add_option("--dob", f->dob, "Date of birth: YYYY, YYYY-MM or YYYY-MM-DD");
  cmd->add_option("--sex", f->sex, "M, F or U");
  cmd->add_option("--nationality", f->nationality, "ISO 3166-1 alpha-3");
  cmd->add_option("--limit", f->limit, "At most this many (1..100, default 10)");
  cmd->add_option("--db", f->db, "The database (default NOMINAL)");
  cmd->add_flag("--json", f->json, "Print the hub's JSON answer, with the explanations");
  f->context.Add(cmd);
  AddClientFlags(cmd, f->client);
  cmd->callback([f, &exit_code] {
    if (Status s = CheckPerson(*f); !s.ok()) exit_code = Fail(s);
  });
}

// `check manifest FILE`: a passenger manifest screened against SLTD and NOMINAL in one request
// (POST /v1/screening). CSV columns document_number, issuing_country, name, date_of_birth, sex,
// nationality; or JSON lines of travellers as the API takes them. Answers as JSON lines in file
// order, each with its line; rows the file could not give are answered with their error.
json TravellerOf(const json& row) {
  if (!row.is_object() || !row.contains("document_number")) return row;
  json t = row;
  t.erase("document_number");
  t.erase("issuing_country");
  t["document"] = {{"number", row["document_number"]},
                   {"issuing_country", row.value("issuing_country", json(""))}};
  return t;
}

Status ScreenManifest(const CheckFlags& f) {
  NCBNET_ASSIGN_OR_RETURN(ParsedFile items, ReadItems(f));
  json request = {{"travellers", json::array()}};
  if (json context = f.context.Json(); !context.empty()) request["context"] = context;
  for (const FileRow& row : items.rows) request["travellers"].push_back(TravellerOf(row.value));
  std::map<int, json> out;  // by file line
  for (const FileProblem& p : items.problems) {
    out[p.line] = {{"line", p.line}, {"error", {{"code", p.code}, {"message", p.message}}}};
  }
  std::size_t alerts = 0;
  if (!items.rows.empty()) {
    NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(f.client));
    // The answer is JSON lines, not one object: read raw, and turn an error reply into its Status.
    NCBNET_ASSIGN_OR_RETURN(
        HubClient::RawReply reply,
        hub.CallRaw("POST", "/v1/screening", request.dump(), "application/json"));
    if (reply.status >= 400) {
      return StatusFromReply({reply.status, ParseJson(reply.body), reply.body});
    }
    std::istringstream lines(reply.body);
    std::string text;
    std::getline(lines, text);  // the header: what was screened against
    std::cerr << "screened against: " << Printable(text) << "\n";
    while (std::getline(lines, text)) {
      json r = ParseJson(text);
      const auto index = r.is_object() ? r.value("index", std::size_t{0}) : items.rows.size();
      if (index >= items.rows.size()) return Status::Internal("invalid_reply", "a bad answer line");
      r.erase("index");
      r["line"] = items.rows[index].line;
      if (r.value("alert", false)) ++alerts;
      out[items.rows[index].line] = std::move(r);
    }
  }
  for (const auto& [line, r] : out) std::cout << r.dump() << "\n";
  std::cout.flush();
  std::cerr << items.rows.size() << " traveller(s) screened, " << alerts << " alert(s), "
            << items.problems.size() << " unreadable row(s)\n";
  return Status::Ok();
}

void AddManifest(CLI::App* check, int& exit_code) {
  auto f = std::make_shared<CheckFlags>();
  auto* cmd = check->add_subcommand(
      "manifest", "Screen a passenger manifest (up to 10,000) against SLTD and NOMINAL");
  cmd->add_option("file", f->file,
                  "CSV (document_number, issuing_country, name, "
                  "date_of_birth, sex, nationality) or .jsonl of travellers")
      ->required();
  cmd->add_option("--format", f->format, "csv or jsonl (default: by the file's extension)");
  f->context.Add(cmd);
  AddClientFlags(cmd, f->client);
  cmd->callback([f, &exit_code] {
    if (Status s = ScreenManifest(*f); !s.ok()) exit_code = Fail(s);
  });
}

}  // namespace

void RegisterCheck(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<CheckFlags>();
  auto* check = app.add_subcommand(
      "check", "Identifier checks: MATCH or no match (exit 0 either way), with the owner's action");
  check->footer(
      "Usage: ncbnet check document|vin|plate|firearm|imo|series|person|manifest|mrz|batch ...\n"
      "       ncbnet check DB FIELD=VALUE... [--identifier NAME] --url URL --ca FILE");
  for (const Named& n : NamedChecks()) AddNamed(check, n, exit_code);
  AddBatch(check, exit_code);
  AddPerson(check, exit_code);
  AddManifest(check, exit_code);
  AddMrzCheck(check, exit_code);
  // The generic form, `check DB field=value...`: its client flags are checked when it runs, not
  // by CLI11, so that they are not demanded of the subcommands above.
  check->add_option("db", f->db, "A database, e.g. SLTD");
  check->add_option("pairs", f->pairs, "The identifier's fields, as field=value");
  check->add_option("--identifier", f->identifier, "Which identifier (default: by the fields)");
  check->add_flag("--json", f->json, "Print the hub's JSON answer");
  f->context.Add(check);
  AddClientFlags(check, f->client);
  for (const char* name : {"--url", "--ca"}) check->get_option(name)->required(false);
  check->callback([check, f, &exit_code] {
    if (!check->get_subcommands().empty()) return;
    Status s = Status::Ok();
    if (f->db.empty() || f->client.url.empty() || f->client.ca.empty()) {
      s = Status::InvalidArgument("invalid_flags",
                                  "give a kind of check (see --help), or DB field=value... with "
                                  "--url and --ca");
    } else {
      s = CheckPairs(*f);
    }
    if (!s.ok()) exit_code = Fail(s);
  });
}

}  // namespace ncbnet::apps
