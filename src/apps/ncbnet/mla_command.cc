// ncbnet mla send | list | show | receive | start | execute | refuse | withdraw | remind:
// mutual legal assistance and extradition requests (POST/GET /v1/mla-requests,
// POST /v1/mla-requests/{id}/transitions; mla/mla.h decides who sees and moves what), and the
// deadline reminders run once, offline, from a data directory (mla/reminders.h).
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/messages_json.h"
#include "apps/ncbnet/agency_cli.h"
#include "apps/ncbnet/client_flags.h"
#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/mla_reminders.h"
#include "apps/ncbnet/msg_attach.h"
#include "apps/ncbnet/output.h"

namespace ncbnet::apps {
namespace {

using agency_cli::CheckPathId;  // an id that goes into a request path
using agency_cli::Str;
using nlohmann::json;

struct MlaFlags {
  ClientFlags client;
  std::string id, to, type, urgency, deadline, case_reference, legal_basis, summary, facts,
      facts_file, direction, state, before, note, assign_to, data_dir;
  std::vector<std::string> measures, persons, attach;
  bool overdue = false;
  int limit = 100;
  bool json = false;
};

// A multi-line text member made safe for a terminal, each line indented.
std::string Paragraph(const json& j, const char* key, const std::string& indent) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return "";
  std::string out = indent;
  for (const char c : Printable(it->get<std::string>(), /*multiline=*/true)) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out + "\n";
}

std::string Line(const json& r) {
  std::string line = Str(r, "id") + "  " + Str(r, "type") + "  " + Str(r, "requesting_country") +
                     " -> " + Str(r, "requested_country") + "  " + Str(r, "state") + "  due " +
                     Str(r, "deadline");
  if (r.value("overdue", false)) line += " OVERDUE";
  return line + "  " + Str(r, "summary");
}

void PrintFiles(const json& files, const char* indent) {
  for (const json& a : files) {
    if (!a.is_object()) continue;
    std::cout << indent << "file: " << Str(a, "name") << " (" << a.value("size", 0)
              << " bytes): ncbnet msg attachment " << Str(a, "message_id") << " "
              << a.value("index", 0) << "\n";
  }
}

void PrintRequest(const json& r) {
  std::cout << Line(r) << "\n";
  for (const char* key : {"urgency", "requesting_agency", "assigned_agency", "case_reference",
                          "legal_basis", "created_at", "updated_at"}) {
    if (!Str(r, key).empty()) std::cout << "  " << key << ": " << Str(r, key) << "\n";
  }
  std::cout << "  facts:\n" << Paragraph(r, "facts", "    ");
  for (const char* list : {"measures", "persons"}) {
    for (const json& item : r.value(list, json::array())) {
      if (item.is_string())
        std::cout << "  " << list << ": " << Printable(item.get<std::string>()) << "\n";
    }
  }
  PrintFiles(r.value("attachments", json::array()), "  ");
  for (const json& e : r.value("history", json::array())) {
    if (!e.is_object()) continue;
    std::cout << "  #" << e.value("seq", 0) << " " << Str(e, "at") << " " << Str(e, "state")
              << " by " << Str(e, "agency_id");
    if (!Str(e, "assigned_agency").empty())
      std::cout << ", assigned to " << Str(e, "assigned_agency");
    std::cout << "\n";
    if (!Str(e, "note").empty()) {
      std::cout << Paragraph(e, "note", "      ");
    }
    PrintFiles(e.value("attachments", json::array()), "    ");
  }
}

std::string ListTarget(const MlaFlags& f) {
  std::string target = "/v1/mla-requests?limit=" + std::to_string(f.limit);
  const std::pair<const char*, const std::string*> params[] = {
      {"direction", &f.direction}, {"state", &f.state}, {"before", &f.before}};
  for (const auto& [name, value] : params) {
    if (!value->empty()) target += std::string("&") + name + "=" + QueryEscape(*value);
  }
  if (f.overdue) target += "&overdue=true";
  return target;
}

// Uploads each --attach file (msg_attach.h) and returns their references.
Result<json> Files(HubClient& hub, const std::vector<std::string>& paths) {
  json out = json::array();
  for (const std::string& path : paths) {
    NCBNET_ASSIGN_OR_RETURN(const messaging::AttachmentRef ref, UploadAttachment(hub, path));
    out.push_back(api::AttachmentRefJson(ref));
  }
  return out;
}

Result<json> SendBody(HubClient& hub, const MlaFlags& f) {
  std::string facts = f.facts;
  if (!f.facts_file.empty()) {
    std::ifstream in(f.facts_file, std::ios::binary);
    if (!in) return Status::NotFound("file_missing", "cannot read " + f.facts_file);
    std::ostringstream all;
    all << in.rdbuf();
    facts = all.str();
  }
  json body = {{"type", f.type},
               {"requested_country", f.to},
               {"deadline", f.deadline},
               {"case_reference", f.case_reference},
               {"legal_basis", f.legal_basis},
               {"summary", f.summary},
               {"facts", facts},
               {"measures", f.measures},
               {"persons", f.persons}};
  if (!f.urgency.empty()) body["urgency"] = f.urgency;
  if (!f.attach.empty()) {
    NCBNET_ASSIGN_OR_RETURN(body["attachments"], Files(hub, f.attach));
  }
  return body;
}

// The state each transition command moves to.
std::string TargetState(const std::string& action) {
  if (action == "receive") return "received";
  if (action == "start") return "in_progress";
  if (action == "execute") return "executed";
  if (action == "refuse") return "refused";
  return "withdrawn";
}

Status Run(const std::string& action, const MlaFlags& f) {
  if (action != "list" && action != "send")
    NCBNET_RETURN_IF_ERROR(CheckPathId(f.id, "MLA request id"));
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(f.client));
  HubClient::Reply reply;
  if (action == "send") {
    NCBNET_ASSIGN_OR_RETURN(const json body, SendBody(hub, f));
    NCBNET_ASSIGN_OR_RETURN(reply, hub.CallOk("POST", "/v1/mla-requests", body));
  } else if (action == "list") {
    NCBNET_ASSIGN_OR_RETURN(reply, hub.CallOk("GET", ListTarget(f)));
  } else if (action == "show") {
    NCBNET_ASSIGN_OR_RETURN(reply, hub.CallOk("GET", "/v1/mla-requests/" + f.id));
  } else {
    json body = {{"to", TargetState(action)}};
    if (!f.note.empty()) body["note"] = f.note;
    if (!f.assign_to.empty()) body["assign_to"] = f.assign_to;
    if (!f.attach.empty()) {
      NCBNET_ASSIGN_OR_RETURN(body["attachments"], Files(hub, f.attach));
    }
    NCBNET_ASSIGN_OR_RETURN(reply,
                            hub.CallOk("POST", "/v1/mla-requests/" + f.id + "/transitions", body));
  }
  if (f.json) {
    PrintJson(reply.body);
  } else if (action == "list") {
    for (const json& r : reply.body.value("mla_requests", json::array())) {
      if (r.is_object()) std::cout << Line(r) << "\n";
    }
    if (reply.body.contains("next_before")) {
      std::cout << "(more: --before " << Str(reply.body, "next_before") << ")\n";
    }
  } else if (reply.body.is_object()) {
    PrintRequest(reply.body);
  }
  return Status::Ok();
}

Status Remind(const MlaFlags& f) {
  const DataDir dir(f.data_dir);
  if (!dir.Initialised()) {
    return Status::FailedPrecondition("not_initialised", f.data_dir + " holds no network");
  }
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, dir.OpenStore());
  NCBNET_ASSIGN_OR_RETURN(const crypto::SigningKey audit_key, dir.LoadSigningKey());
  NCBNET_ASSIGN_OR_RETURN(const messaging::DataKey data_key, dir.LoadOrCreateDataKey());
  NCBNET_ASSIGN_OR_RETURN(const crypto::SigningKey hub_key, dir.LoadOrCreateHubMessagingKey());
  NCBNET_ASSIGN_OR_RETURN(const mla::ReminderResult sent,
                          SendAllMlaReminders(*store, audit_key, data_key, hub_key, SystemClock()));
  if (f.json) {
    PrintJson({{"due_soon", sent.due_soon}, {"overdue", sent.overdue}});
  } else {
    std::cout << "sent " << sent.due_soon << " due-soon and " << sent.overdue
              << " overdue reminder(s)\n";
  }
  return Status::Ok();
}

void AddSendFlags(CLI::App* cmd, MlaFlags& f) {
  cmd->add_option("--to", f.to, "The requested country, e.g. DEU")->required();
  cmd->add_option("--type", f.type, "mla or extradition")->required();
  cmd->add_option("--deadline", f.deadline, "Answer due by (ISO 8601 UTC)")->required();
  cmd->add_option("--case-reference", f.case_reference, "Our case reference")->required();
  cmd->add_option("--legal-basis", f.legal_basis, "Treaty or law relied on")->required();
  cmd->add_option("--summary", f.summary, "One line: what and why")->required();
  cmd->add_option("--facts", f.facts, "The facts of the case");
  cmd->add_option("--facts-file", f.facts_file, "Read the facts from this file");
  cmd->add_option("--measure", f.measures, "A measure requested (repeatable)")->required();
  cmd->add_option("--person", f.persons, "A person concerned (repeatable)");
  cmd->add_option("--urgency", f.urgency, "routine (default) or urgent");
  cmd->add_option("--attach", f.attach, "A file to attach, up to 50 MiB (repeatable)");
}

void Add(CLI::App* group, const std::string& action, const std::string& help, int& exit_code) {
  auto f = std::make_shared<MlaFlags>();
  auto* cmd = group->add_subcommand(action, help);
  cmd->add_flag("--json", f->json, "Print the hub's JSON");
  if (action == "remind") {
    cmd->add_option("--data-dir", f->data_dir, "The hub's data directory")->required();
    cmd->callback([f, &exit_code] {
      if (Status s = Remind(*f); !s.ok()) exit_code = Fail(s);
    });
    return;
  }
  AddClientFlags(cmd, f->client);
  if (action == "send") {
    AddSendFlags(cmd, *f);
  } else if (action == "list") {
    cmd->add_option("--direction", f->direction, "outgoing (we asked) or incoming (asked of us)");
    cmd->add_option("--state", f->state, "Only requests in this state");
    cmd->add_flag("--overdue", f->overdue, "Only open requests past their deadline");
    cmd->add_option("--before", f->before, "The next page: requests older than this id");
    cmd->add_option("--limit", f->limit, "At most this many (1-500)");
  } else {
    cmd->add_option("id", f->id, "The request's id (mla_...)")->required();
  }
  if (action == "start") {
    cmd->add_option("--assign-to", f->assign_to, "One of our agencies to handle it");
  }
  if (action == "execute" || action == "refuse") {
    cmd->add_option("--attach", f->attach, "A file to send back (repeatable)");
  }
  if (action == "refuse") {
    cmd->add_option("--reasons", f->note, "Why it is refused")->required();
  } else if (action != "send" && action != "list" && action != "show") {
    cmd->add_option("--note", f->note,
                    action == "execute" ? "The result" : "A note to the parties");
  }
  cmd->callback([f, action, &exit_code] {
    if (Status s = Run(action, *f); !s.ok()) exit_code = Fail(s);
  });
}

}  // namespace

void RegisterMla(CLI::App& app, int& exit_code) {
  auto* group = app.add_subcommand("mla", "Mutual legal assistance and extradition requests");
  group->require_subcommand(1);
  Add(group, "send", "Send a request to another country's NCB", exit_code);
  Add(group, "list", "Requests we sent or received, newest first", exit_code);
  Add(group, "show", "One request with its history", exit_code);
  Add(group, "receive", "Acknowledge a request sent to us", exit_code);
  Add(group, "start", "Start work on it, optionally assigning it to one of our agencies",
      exit_code);
  Add(group, "execute", "Record it executed, with the result and files", exit_code);
  Add(group, "refuse", "Refuse it, with reasons", exit_code);
  Add(group, "withdraw", "Withdraw a request we sent", exit_code);
  Add(group, "remind", "Send due deadline reminders now (offline, on the data directory)",
      exit_code);
}

}  // namespace ncbnet::apps
