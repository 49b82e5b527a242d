// ncbnet hits list | show | follow-up: the hits the caller's agency is party to, as checker or
// as the owner of the record (GET /v1/hits, GET /v1/hits/{id}, POST /v1/hits/{id}/follow-ups;
// hits/hits.h decides who sees what).
#include <iostream>

#include "apps/ncbnet/client_flags.h"
#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/output.h"

namespace ncbnet::apps {
namespace {

using nlohmann::json;

struct HitFlags {
  ClientFlags client;
  std::string id, side, database, record, state, since, before, note;
  int limit = 100;
  bool json = false;
};

// Checked here so that a bad id never becomes part of a request path.
Status CheckId(const std::string& id) {
  const bool ok =
      id.size() > 4 && id.size() <= 64 && id.rfind("hit_", 0) == 0 &&
      id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
  if (!ok) return Status::InvalidArgument("invalid_hit_id", "a hit id is hit_ and base32");
  return Status::Ok();
}

std::string Str(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? Printable(it->get<std::string>()) : std::string();
}

std::string SideState(const json& h, const char* side) {
  const json s = h.value(side, json::object());
  return s.is_object() ? Str(s, "state") : std::string();
}

std::string Line(const json& h) {
  const json record = h.value("record", json::object());
  const json checker = h.value("checker", json::object());
  const json matched = h.value("matched", json::object());
  if (!record.is_object() || !checker.is_object() || !matched.is_object()) return Str(h, "id");
  return Str(h, "id") + "  " + Str(h, "checked_at") + "  " + Str(record, "database") + " " +
         Str(record, "id") + "  by " + Str(checker, "agency") + " (" + Str(checker, "country") +
         ")  " + Str(matched, "kind") + " " + Str(matched, "value") +
         "  checker:" + SideState(h, "checker_side") + " owner:" + SideState(h, "owner_side");
}

void PrintHit(const json& h) {
  std::cout << Line(h) << "\n";
  const json context = h.value("context", json::object());
  if (context.is_object()) {
    for (const auto& [key, value] : context.items()) {
      if (value.is_string())
        std::cout << "  " << key << ": " << Printable(value.get<std::string>()) << "\n";
    }
  }
  for (const json& f : h.value("follow_ups", json::array())) {
    if (!f.is_object()) continue;
    std::cout << "  #" << f.value("seq", 0) << " " << Str(f, "at") << " " << Str(f, "side") << " "
              << Str(f, "agency") << ": " << Str(f, "state") << "\n";
    const auto note = f.find("note");
    if (note != f.end() && note->is_string() && !note->get<std::string>().empty()) {
      std::cout << "    " << Printable(note->get<std::string>(), /*multiline=*/true) << "\n";
    }
  }
}

std::string ListTarget(const HitFlags& f) {
  std::string target = "/v1/hits?limit=" + std::to_string(f.limit);
  const std::pair<const char*, const std::string*> params[] = {
      {"side", &f.side},   {"database", &f.database}, {"record", &f.record},
      {"state", &f.state}, {"since", &f.since},       {"before", &f.before}};
  for (const auto& [name, value] : params) {
    if (!value->empty()) target += std::string("&") + name + "=" + QueryEscape(*value);
  }
  return target;
}

Status Run(const std::string& action, const HitFlags& f) {
  if (action != "list") NCBNET_RETURN_IF_ERROR(CheckId(f.id));
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(f.client));
  HubClient::Reply reply;
  if (action == "list") {
    NCBNET_ASSIGN_OR_RETURN(reply, hub.CallOk("GET", ListTarget(f)));
  } else if (action == "show") {
    NCBNET_ASSIGN_OR_RETURN(reply, hub.CallOk("GET", "/v1/hits/" + f.id));
  } else {
    json body = {{"state", f.state}};
    if (!f.note.empty()) body["note"] = f.note;
    NCBNET_ASSIGN_OR_RETURN(reply, hub.CallOk("POST", "/v1/hits/" + f.id + "/follow-ups", body));
  }
  if (f.json) {
    PrintJson(reply.body);
  } else if (action == "list") {
    for (const json& h : reply.body.value("hits", json::array())) {
      if (h.is_object()) std::cout << Line(h) << "\n";
    }
    if (reply.body.contains("next_before")) {
      std::cout << "(more: --before " << Str(reply.body, "next_before") << ")\n";
    }
  } else if (reply.body.is_object()) {
    PrintHit(reply.body);
  }
  return Status::Ok();
}

void Add(CLI::App* group, const std::string& action, const std::string& help, int& exit_code) {
  auto f = std::make_shared<HitFlags>();
  auto* cmd = group->add_subcommand(action, help);
  cmd->add_flag("--json", f->json, "Print the hub's JSON");
  AddClientFlags(cmd, f->client);
  if (action == "list") {
    cmd->add_option("--side", f->side, "checker (hits of our checks) or owner (on our records)");
    cmd->add_option("--database", f->database, "Only this database, e.g. SLTD");
    cmd->add_option("--record", f->record, "Only hits on this record id");
    cmd->add_option("--state", f->state, "Only hits in this state on our side");
    cmd->add_option("--since", f->since, "Only hits at or after this ISO 8601 UTC time");
    cmd->add_option("--before", f->before, "The next page: hits older than this hit id");
    cmd->add_option("--limit", f->limit, "At most this many (1-500)");
  } else {
    cmd->add_option("id", f->id, "The hit's id (hit_...)")->required();
  }
  if (action == "follow-up") {
    cmd->add_option("--state", f->state, "confirmed, not_same_person, action_taken or closed")
        ->required();
    cmd->add_option("--note", f->note, "What was found or done");
  }
  cmd->callback([f, action, &exit_code] {
    if (Status s = Run(action, *f); !s.ok()) exit_code = Fail(s);
  });
}

}  // namespace

void RegisterHits(CLI::App& app, int& exit_code) {
  auto* group = app.add_subcommand("hits", "Hits of our checks and on our records");
  group->require_subcommand(1);
  Add(group, "list", "Hits our agency is party to, newest first", exit_code);
  Add(group, "show", "One hit with its follow-ups", exit_code);
  Add(group, "follow-up", "Record our side's follow-up; the other side is told", exit_code);
}

}  // namespace ncbnet::apps
