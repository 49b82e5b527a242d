// ncbnet notice ...: notices and diffusions from the command line (docs/notices.md):
//   notice draft --kind red --fields FILE [--public]       POST /v1/notices
//   notice edit ID --fields FILE | submit ID | show ID | history ID
//   notice list [--scope own|live|review] [--state S] [--kind K]
//   notice review ID --decision approve|reject|request_info [--reasons TEXT]     (the GS)
//   notice update ID --fields FILE | extend ID | cancel ID [--reason TEXT]
//   notice suspend | resume | withdraw ID [--reason TEXT]                         (the GS)
//   notice image add ID FILE                 (JPEG or PNG, at most 2 MiB)
//   notice diffusion draft --kind K --fields FILE --to DEU,ITA|*
//   notice diffusion circulate | cancel | show | history ID
//   notice diffusion review ID --decision compliant|non_compliant [--reasons TEXT]
//   notice diffusion list [...]
// A refusal for missing fields (notice_incomplete) lists each problem on stderr.
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "apps/ncbnet/client_flags.h"
#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/output.h"
#include "core/json.h"

namespace ncbnet::apps {
namespace {

using nlohmann::json;

struct NoticeFlags {
  ClientFlags client;
  std::string channel = "notice";  // or diffusion
  std::string id, kind, fields_file, decision, reasons, reason, scope, state, to, file;
  bool public_consent = false;
  int limit = 100;
  bool json = false;
};

// Checked here so that a bad id never becomes part of a request path.
Status CheckId(const std::string& id, const std::string& channel) {
  const std::string prefix = channel == "notice" ? "ntc_" : "dif_";
  const bool ok =
      id.size() > 4 && id.size() <= 64 && id.rfind(prefix, 0) == 0 &&
      id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
  if (!ok) return Status::InvalidArgument("invalid_notice_id", "an id is " + prefix + "...");
  return Status::Ok();
}

Result<std::string> ReadFile(const std::string& path) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("file_missing", "cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Result<json> ReadFields(const std::string& path) {
  NCBNET_ASSIGN_OR_RETURN(const std::string text, ReadFile(path));
  json j = ParseJson(text);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("invalid_fields", path + " is not a JSON object");
  }
  return j;
}

std::string Str(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? Printable(it->get<std::string>()) : std::string();
}

std::string Line(const json& n) {
  return Str(n, "id") + "  " + Str(n, "kind") + "  " +
         (Str(n, "control_number").empty() ? "-" : Str(n, "control_number")) + "  " +
         Str(n, "state") + "  " + Str(n, "requesting_country") + "  " +
         Str(n.value("fields", json::object()), "name");
}

std::string ListTarget(const std::string& base, const NoticeFlags& f) {
  std::string target = base + "?limit=" + std::to_string(f.limit);
  const std::pair<const char*, const std::string*> params[] = {
      {"scope", &f.scope}, {"state", &f.state}, {"kind", &f.kind}};
  for (const auto& [name, value] : params) {
    if (!value->empty()) target += std::string("&") + name + "=" + QueryEscape(*value);
  }
  return target;
}

// The request an action makes: method, target and body.
struct Request {
  std::string method = "POST";
  std::string target;
  json body = json::object();
};

Result<Request> RequestFor(const std::string& action, const NoticeFlags& f) {
  const std::string base = f.channel == "notice" ? "/v1/notices" : "/v1/diffusions";
  Request r;
  if (action == "list") return Request{"GET", ListTarget(base, f), nullptr};
  if (action == "draft") {
    r.target = base;
    r.body = {{"kind", f.kind}};
    NCBNET_ASSIGN_OR_RETURN(r.body["fields"], ReadFields(f.fields_file));
    if (f.channel == "notice") {
      r.body["public_consent"] = f.public_consent;
    } else if (f.to == "*") {
      r.body["recipients"] = "*";
    } else {
      json list = json::array();
      std::stringstream in(f.to);
      for (std::string c; std::getline(in, c, ',');) list.push_back(c);
      r.body["recipients"] = list;
    }
    return r;
  }
  NCBNET_RETURN_IF_ERROR(CheckId(f.id, f.channel));
  r.target = base + "/" + f.id;
  if (action == "show" || action == "history") {
    return Request{"GET", action == "show" ? r.target : r.target + "/history", nullptr};
  }
  if (action == "edit" || action == "update") {
    NCBNET_ASSIGN_OR_RETURN(json fields, ReadFields(f.fields_file));
    r.body = {{"fields", fields}};
    if (action == "edit") return Request{"PUT", r.target, r.body};
  } else if (action == "review") {
    r.body = {{"decision", f.decision}};
    if (!f.reasons.empty()) r.body["reasons"] = f.reasons;
  } else if (!f.reason.empty()) {
    r.body = {{"reason", f.reason}};
  }
  r.target += "/" + action;
  return r;
}

Status Report(const HubClient::Reply& reply, const std::string& action, bool as_json) {
  if (reply.status >= 400) {
    if (reply.body.is_object()) {
      for (const json& p : reply.body.value("problems", json::array())) {
        if (p.is_object())
          std::cerr << "  " << Str(p, "field") << ": " << Str(p, "problem") << "\n";
      }
    }
    return StatusFromReply(reply);
  }
  if (as_json) {
    PrintJson(reply.body);
  } else if (action == "list") {
    for (const auto& [key, list] : reply.body.items()) {
      for (const json& n : list) std::cout << Line(n) << "\n";
    }
  } else if (action == "history") {
    for (const json& e : reply.body.value("events", json::array())) {
      std::cout << e.value("seq", 0) << "  " << Str(e, "time") << "  " << Str(e, "action") << "  "
                << Str(e, "state") << "  " << Str(e, "agency_id") << "  " << Str(e, "note") << "\n";
    }
  } else {
    std::cout << Line(reply.body) << "\n";
  }
  return Status::Ok();
}

Status Run(const std::string& action, const NoticeFlags& f) {
  NCBNET_ASSIGN_OR_RETURN(const Request r, RequestFor(action, f));
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(f.client));
  NCBNET_ASSIGN_OR_RETURN(const HubClient::Reply reply, hub.Call(r.method, r.target, r.body));
  return Report(reply, action, f.json);
}

Status AddImage(const NoticeFlags& f) {
  NCBNET_RETURN_IF_ERROR(CheckId(f.id, f.channel));
  NCBNET_ASSIGN_OR_RETURN(const std::string bytes, ReadFile(f.file));
  const bool png = bytes.rfind("\x89PNG", 0) == 0;
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(f.client));
  const std::string base = f.channel == "notice" ? "/v1/notices/" : "/v1/diffusions/";
  NCBNET_ASSIGN_OR_RETURN(
      HubClient::RawReply raw,
      hub.CallRaw("POST", base + f.id + "/images", bytes, png ? "image/png" : "image/jpeg"));
  HubClient::Reply reply{raw.status, ParseJson(raw.body), raw.body};
  if (reply.body.is_discarded()) reply.body = nullptr;
  return Report(reply, "image", f.json);
}

void AddOptions(CLI::App* cmd, const std::string& action, NoticeFlags& f) {
  cmd->add_flag("--json", f.json, "Print the hub's JSON");
  AddClientFlags(cmd, f.client);
  if (action == "list") {
    cmd->add_option("--scope", f.scope, "own (default), live, or review (the GS's queue)");
    cmd->add_option("--state", f.state, "Only this state");
    cmd->add_option("--kind", f.kind, "Only this kind (red, yellow, ...)");
    cmd->add_option("--limit", f.limit, "At most this many (1-500)");
    return;
  }
  if (action == "draft") {
    cmd->add_option("--kind", f.kind,
                    "red, yellow, blue, black, green, orange, purple, "
                    "silver or un_special")
        ->required();
    cmd->add_option("--fields", f.fields_file, "The fields as a JSON object (file, - for stdin)")
        ->required();
    if (f.channel == "notice") {
      cmd->add_flag("--public", f.public_consent, "Consent to a public extract");
    } else {
      cmd->add_option("--to", f.to, "Recipient countries, comma-separated, or * for all")
          ->required();
    }
    return;
  }
  cmd->add_option("id", f.id, "The notice's id")->required();
  if (action == "edit" || action == "update") {
    cmd->add_option("--fields", f.fields_file, "The fields as a JSON object (file, - for stdin)")
        ->required();
  } else if (action == "review") {
    cmd->add_option(
           "--decision", f.decision,
           f.channel == "notice" ? "approve, reject or request_info" : "compliant or non_compliant")
        ->required();
    cmd->add_option("--reasons", f.reasons, "Why (required unless approving)");
  } else if (action != "show" && action != "history" && action != "submit" &&
             action != "circulate" && action != "extend") {
    cmd->add_option("--reason", f.reason, "Why");
  }
}

void Add(CLI::App* group, const std::string& channel, const std::string& action,
         const std::string& help, int& exit_code) {
  auto f = std::make_shared<NoticeFlags>();
  f->channel = channel;
  auto* cmd = group->add_subcommand(action, help);
  AddOptions(cmd, action, *f);
  cmd->callback([f, action, &exit_code] {
    if (Status s = Run(action, *f); !s.ok()) exit_code = Fail(s);
  });
}

void AddImageCommand(CLI::App* group, int& exit_code) {
  auto f = std::make_shared<NoticeFlags>();
  auto* image = group->add_subcommand("image", "Images of a notice");
  image->require_subcommand(1);
  auto* cmd = image->add_subcommand("add", "Add a JPEG or PNG image (at most 2 MiB) to a draft");
  cmd->add_flag("--json", f->json, "Print the hub's JSON");
  AddClientFlags(cmd, f->client);
  cmd->add_option("id", f->id, "The notice's id")->required();
  cmd->add_option("file", f->file, "The image file")->required();
  cmd->callback([f, &exit_code] {
    if (Status s = AddImage(*f); !s.ok()) exit_code = Fail(s);
  });
}

}  // namespace

void RegisterNotice(CLI::App& app, int& exit_code) {
  auto* group = app.add_subcommand("notice", "Notices and diffusions");
  group->require_subcommand(1);
  const std::pair<const char*, const char*> actions[] = {
      {"draft", "Draft a notice request"},
      {"edit", "Replace a draft's fields"},
      {"submit", "Submit a draft for the General Secretariat's review"},
      {"show", "One notice"},
      {"history", "A notice's every step"},
      {"list", "Our notices, live notices, or the review queue"},
      {"review", "Review a notice request or a proposed change (the GS)"},
      {"update", "Propose new fields for a published notice"},
      {"extend", "Propose a 5-year extension of a published notice"},
      {"cancel", "Cancel our notice at once"},
      {"suspend", "Suspend a published notice (the GS)"},
      {"resume", "Resume a suspended notice (the GS)"},
      {"withdraw", "Withdraw a notice (the GS)"}};
  for (const auto& [action, help] : actions) Add(group, "notice", action, help, exit_code);
  AddImageCommand(group, exit_code);
  auto* diffusion = group->add_subcommand("diffusion", "Diffusions to chosen countries");
  diffusion->require_subcommand(1);
  const std::pair<const char*, const char*> diffusion_actions[] = {
      {"draft", "Draft a diffusion"},
      {"circulate", "Circulate a draft to its recipients at once"},
      {"show", "One diffusion"},
      {"history", "A diffusion's every step"},
      {"list", "Our diffusions, live ones, or the review queue"},
      {"review", "Review a circulated diffusion (the GS)"},
      {"cancel", "Cancel our diffusion"}};
  for (const auto& [action, help] : diffusion_actions) {
    Add(diffusion, "diffusion", action, help, exit_code);
  }
}

}  // namespace ncbnet::apps
