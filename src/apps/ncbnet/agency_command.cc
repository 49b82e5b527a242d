// ncbnet agency list | show | create | disable | grant | grants | revoke, and the `user` and
// `cert` groups (agency_members_command.cc): delegation inside one's branch of the agency tree
// over the hub's API (docs/delegation.md).
#include <iostream>
#include <map>
#include <vector>

#include "apps/ncbnet/agency_cli.h"
#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/output.h"

namespace ncbnet::apps::agency_cli {

using nlohmann::json;

Status CheckPathId(const std::string& id, const char* what) {
  const bool ok = !id.empty() && id.size() <= 128 &&
                  id.find_first_not_of(
                      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "0123456789._:-") == std::string::npos;
  if (!ok) return Status::InvalidArgument("invalid_id", std::string("not a valid ") + what);
  return Status::Ok();
}

std::string Str(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? Printable(it->get<std::string>()) : std::string();
}

void PrintOne(const Flags& flags, const json& body, const LineFn& line) {
  if (flags.json) {
    PrintJson(body);
  } else {
    std::cout << line(body) << "\n";
  }
}

void PrintEach(const Flags& flags, const json& body, const char* key, const LineFn& line) {
  if (flags.json) {
    PrintJson(body);
    return;
  }
  for (const json& item : body.value(key, json::array())) {
    if (item.is_object()) std::cout << line(item) << "\n";
  }
}

CLI::App* AddCommand(CLI::App* parent, const std::string& name, const std::string& help,
                     const std::shared_ptr<Flags>& flags, Runner run, int& exit_code) {
  auto* cmd = parent->add_subcommand(name, help);
  AddClientFlags(cmd, flags->client);
  cmd->add_flag("--json", flags->json, "Print the hub's JSON");
  cmd->callback([flags, run = std::move(run), &exit_code] {
    Status s = [&]() -> Status {
      NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(flags->client));
      return run(hub, *flags);
    }();
    if (!s.ok()) exit_code = Fail(s);
  });
  return cmd;
}

namespace {

std::string AgencyLine(const json& a) {
  std::string line = Str(a, "id") + "  " + Str(a, "kind") + "  " + Str(a, "name");
  if (a.contains("disabled_at") && !a["disabled_at"].is_null()) line += "  [disabled]";
  return line;
}

// The agencies as a tree: each under its parent, two spaces deeper; roots are those whose
// parent is not in the list (the caller's own agency, or the GS).
void PrintTree(const json& agencies) {
  std::map<std::string, std::vector<const json*>> children;
  std::map<std::string, bool> present;
  for (const json& a : agencies) present[Str(a, "id")] = true;
  std::vector<const json*> roots;
  for (const json& a : agencies) {
    const std::string parent = Str(a, "parent_id");
    (present.count(parent) != 0 ? children[parent] : roots).push_back(&a);
  }
  // Iterative depth-first walk; the tree is shallow but its width is the whole network.
  std::vector<std::pair<const json*, int>> stack;
  for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.emplace_back(*it, 0);
  while (!stack.empty()) {
    const auto [a, depth] = stack.back();
    stack.pop_back();
    std::cout << std::string(static_cast<std::size_t>(depth) * 2, ' ') << AgencyLine(*a) << "\n";
    const auto& kids = children[Str(*a, "id")];
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.emplace_back(*it, depth + 1);
  }
}

std::string AgencyDetails(const json& a) {
  std::string out = AgencyLine(a);
  for (const char* key : {"parent_id", "country", "created_at", "disabled_at"}) {
    const std::string value = Str(a, key);
    if (!value.empty()) out += "\n  " + std::string(key) + ": " + value;
  }
  return out;
}

std::string GrantLine(const json& g) {
  std::string line = Str(g, "id") + "  " + Str(g, "capability");
  if (!Str(g, "granted_by_agency").empty()) line += "  from " + Str(g, "granted_by_agency");
  if (!Str(g, "expires_at").empty()) line += "  until " + Str(g, "expires_at");
  if (!Str(g, "revoked_at").empty()) line += "  [revoked]";
  return line;
}

Status List(HubClient& hub, const Flags& f) {
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply r, hub.CallOk("GET", "/v1/agencies"));
  if (f.json) {
    PrintJson(r.body);
  } else {
    PrintTree(r.body.value("agencies", json::array()));
  }
  return Status::Ok();
}

Status Show(HubClient& hub, const Flags& f) {
  NCBNET_RETURN_IF_ERROR(CheckPathId(f.id, "agency id"));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply r, hub.CallOk("GET", "/v1/agencies/" + f.id));
  PrintOne(f, r.body, AgencyDetails);
  return Status::Ok();
}

Status Create(HubClient& hub, const Flags& f) {
  NCBNET_ASSIGN_OR_RETURN(
      HubClient::Reply r,
      hub.CallOk("POST", "/v1/agencies",
                 {{"parent_id", f.parent}, {"kind", f.kind}, {"name", f.name}}));
  PrintOne(f, r.body, [](const json& a) { return Str(a, "id"); });
  return Status::Ok();
}

Status Disable(HubClient& hub, const Flags& f) {
  NCBNET_RETURN_IF_ERROR(CheckPathId(f.id, "agency id"));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply r,
                          hub.CallOk("POST", "/v1/agencies/" + f.id + "/disable"));
  if (f.json) {
    PrintJson(r.body);
    return Status::Ok();
  }
  std::cout << "disabled " << f.id << ":";
  const json counts = r.body.value("disabled", json::object());
  for (const char* key : {"agencies", "users", "sessions", "certificates", "grants"}) {
    std::cout << " " << counts.value(key, 0) << " " << key;
  }
  std::cout << "\n";
  return Status::Ok();
}

Status Grant(HubClient& hub, const Flags& f) {
  json body = {{"agency_id", f.id}, {"capability", f.second}};
  if (!f.until.empty()) body["expires_at"] = f.until;
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply r, hub.CallOk("POST", "/v1/grants", body));
  PrintOne(f, r.body, GrantLine);
  return Status::Ok();
}

Status Grants(HubClient& hub, const Flags& f) {
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply r,
                          hub.CallOk("GET", "/v1/grants?agency_id=" + QueryEscape(f.id)));
  PrintEach(f, r.body, "grants", GrantLine);
  return Status::Ok();
}

Status Revoke(HubClient& hub, const Flags& f) {
  NCBNET_RETURN_IF_ERROR(CheckPathId(f.id, "grant id"));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply r, hub.CallOk("DELETE", "/v1/grants/" + f.id));
  if (f.json) {
    PrintJson(r.body);
  } else {
    std::cout << "revoked";
    for (const json& id : r.body.value("revoked", json::array())) {
      if (id.is_string()) std::cout << " " << Printable(id.get<std::string>());
    }
    std::cout << "\n";
  }
  return Status::Ok();
}

void RegisterAgencyCommands(CLI::App* agency, int& exit_code) {
  auto f = std::make_shared<Flags>();
  AddCommand(agency, "list", "The agencies of our branch, as a tree", f, List, exit_code);

  f = std::make_shared<Flags>();
  AddCommand(agency, "show", "One agency of our branch", f, Show, exit_code)
      ->add_option("id", f->id, "Agency id")
      ->required();

  f = std::make_shared<Flags>();
  auto* create =
      AddCommand(agency, "create", "Create an agency or terminal under ours", f, Create, exit_code);
  create->add_option("--parent", f->parent, "The NCB or agency it sits under")->required();
  create->add_option("--kind", f->kind, "agency or terminal")
      ->required()
      ->check(CLI::IsMember({"agency", "terminal"}));
  create->add_option("--name", f->name, "e.g. 'Police aux frontieres, CDG T2'")->required();

  f = std::make_shared<Flags>();
  AddCommand(agency, "disable",
             "Disable an agency and everything below it (users, sessions, certificates, grants)", f,
             Disable, exit_code)
      ->add_option("id", f->id, "Agency id")
      ->required();

  f = std::make_shared<Flags>();
  auto* grant =
      AddCommand(agency, "grant", "Grant an agency one of our capabilities", f, Grant, exit_code);
  grant->add_option("id", f->id, "Agency id")->required();
  grant->add_option("capability", f->second, "e.g. record.check:SLTD")->required();
  grant->add_option("--until", f->until, "ISO 8601 UTC expiry, e.g. 2027-01-31T00:00:00Z");

  f = std::make_shared<Flags>();
  AddCommand(agency, "grants", "The grants an agency holds, live or not", f, Grants, exit_code)
      ->add_option("id", f->id, "Agency id")
      ->required();

  f = std::make_shared<Flags>();
  AddCommand(agency, "revoke", "Revoke a grant and every grant derived from it", f, Revoke,
             exit_code)
      ->add_option("id", f->id, "Grant id (grt_...)")
      ->required();
}

}  // namespace
}  // namespace ncbnet::apps::agency_cli

namespace ncbnet::apps {

void RegisterAgency(CLI::App& app, int& exit_code) {
  auto* agency = app.add_subcommand("agency", "Delegation: agencies, users, certificates, grants");
  agency->require_subcommand(1);
  agency_cli::RegisterAgencyCommands(agency, exit_code);
  agency_cli::RegisterUserCommands(agency, exit_code);
  agency_cli::RegisterCertCommands(agency, exit_code);
}

}  // namespace ncbnet::apps
