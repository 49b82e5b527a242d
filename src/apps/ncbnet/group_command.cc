// ncbnet group set | list | show | delete: the named country groups that messages can be
// addressed to (`ncbnet msg send --group NAME`). Defining them is the General Secretariat's
// (PUT/DELETE /v1/country-groups/{name}); any principal may list and show them.
#include <iostream>

#include "apps/ncbnet/client_flags.h"
#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/output.h"
#include "messaging/message.h"

namespace ncbnet::apps {
namespace {

using nlohmann::json;

struct GroupFlags {
  ClientFlags client;
  std::string name, description;
  std::vector<std::string> countries;
  bool json = false;
};

// Checked here so that a bad name never becomes part of a request path.
Status CheckName(const std::string& name) {
  if (!messaging::IsGroupName(name)) {
    return Status::InvalidArgument("invalid_group", "a group name is 2-64 of [a-z0-9-]");
  }
  return Status::Ok();
}

std::string Line(const json& g) {
  std::string countries;
  for (const json& c : g.value("countries", json::array())) {
    if (c.is_string()) countries += (countries.empty() ? "" : " ") + c.get<std::string>();
  }
  std::string out = g.value("name", "") + "  [" + countries + "]";
  const std::string description = g.value("description", "");
  if (!description.empty()) out += "  " + description;
  return out;
}

Status Print(const HubClient::Reply& reply, bool as_json) {
  if (as_json) {
    PrintJson(reply.body);
  } else if (reply.body.contains("groups")) {
    for (const json& g : reply.body["groups"]) {
      if (g.is_object()) std::cout << Line(g) << "\n";
    }
  } else {
    std::cout << Line(reply.body) << "\n";
  }
  return Status::Ok();
}

Status Run(const std::string& action, const GroupFlags& f) {
  if (action != "list") NCBNET_RETURN_IF_ERROR(CheckName(f.name));
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(f.client));
  const std::string path = "/v1/country-groups/" + f.name;
  HubClient::Reply reply;
  if (action == "set") {
    NCBNET_ASSIGN_OR_RETURN(
        reply,
        hub.CallOk("PUT", path, {{"description", f.description}, {"countries", f.countries}}));
  } else if (action == "list") {
    NCBNET_ASSIGN_OR_RETURN(reply, hub.CallOk("GET", "/v1/country-groups"));
  } else if (action == "show") {
    NCBNET_ASSIGN_OR_RETURN(reply, hub.CallOk("GET", path));
  } else {
    NCBNET_ASSIGN_OR_RETURN(reply, hub.CallOk("DELETE", path));
    if (!f.json) {
      std::cout << "deleted " << f.name << "\n";
      return Status::Ok();
    }
  }
  return Print(reply, f.json);
}

CLI::App* Add(CLI::App* group, const std::string& action, const std::string& help, int& exit_code) {
  auto f = std::make_shared<GroupFlags>();
  auto* cmd = group->add_subcommand(action, help);
  if (action != "list")
    cmd->add_option("name", f->name, "The group's name, e.g. europe-west")->required();
  cmd->add_flag("--json", f->json, "Print the hub's JSON");
  AddClientFlags(cmd, f->client);
  if (action == "set") {
    cmd->add_option("--country", f->countries, "A member country, ISO3 (repeatable)")->required();
    cmd->add_option("--description", f->description, "What the group is for");
  }
  cmd->callback([f, action, &exit_code] {
    if (Status s = Run(action, *f); !s.ok()) exit_code = Fail(s);
  });
  return cmd;
}

}  // namespace

void RegisterGroup(CLI::App& app, int& exit_code) {
  auto* group = app.add_subcommand("group", "Named groups of countries to address messages to");
  group->require_subcommand(1);
  Add(group, "set", "Create or replace a group (the GS only)", exit_code);
  Add(group, "list", "Every group", exit_code);
  Add(group, "show", "One group", exit_code);
  Add(group, "delete", "Delete a group (the GS only)", exit_code);
}

}  // namespace ncbnet::apps
