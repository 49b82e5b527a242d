// ncbnet demo: a demo network on the embedded store, served at once. On first run it creates
// the network and its demo agencies, users and grants; afterwards it serves what is there.
#include <iostream>

#include "access/agencies.h"
#include "access/grants.h"
#include "access/users.h"
#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/hub_runner.h"
#include "apps/ncbnet/network_setup.h"
#include "apps/ncbnet/output.h"
#include "core/clock.h"
#include "crypto/password.h"

namespace ncbnet::apps {
namespace {

constexpr const char* kDemoPassword = "demo-password-2026";

struct DemoUser {
  const char* name;
  const char* display_name;
  const char* agency;  // id, or "border" for the border police agency created below
  const char* role;
};

constexpr DemoUser kDemoUsers[] = {
    {"gs.admin", "GS network administrator", "gs", "General Secretariat administrator"},
    {"fra.admin", "Camille Martin", "ncb-fra", "NCB Paris (France) administrator"},
    {"deu.admin", "Jonas Weber", "ncb-deu", "NCB Wiesbaden (Germany) administrator"},
    {"fra.border", "Léa Dubois", "border", "French border police officer (checks only)"},
};

Status CreateDemoData(store::Store& store, const crypto::SigningKey& key) {
  auto hash = crypto::HashPassword(kDemoPassword);
  if (!hash.ok()) return hash.status();
  const std::int64_t now = SystemClock().NowMillis();
  return store.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        access::Agency border,
        access::CreateChildAgency(tx, "ncb-fra", "ncb-fra", access::AgencyKind::kAgency,
                                  "Police aux frontières (PAF)", now));
    NCBNET_ASSIGN_OR_RETURN(
        access::Agency gate,
        access::CreateChildAgency(tx, "ncb-fra", border.id, access::AgencyKind::kTerminal,
                                  "CDG Terminal 2E passport control", now));
    const access::Grantor fra{"ncb-fra", ""};
    for (const char* cap : {"record.check:SLTD", "record.check:NOMINAL"}) {
      NCBNET_RETURN_IF_ERROR(
          access::GrantCapability(tx, fra, border.id, cap, std::nullopt, now).status());
      NCBNET_RETURN_IF_ERROR(
          access::GrantCapability(tx, fra, gate.id, cap, std::nullopt, now).status());
    }
    for (const DemoUser& u : kDemoUsers) {
      if (std::string(u.name) == "gs.admin") continue;  // made by InitNetwork
      const std::string agency = std::string(u.agency) == "border" ? border.id : u.agency;
      NCBNET_RETURN_IF_ERROR(
          access::InsertUser(tx, agency, u.name, u.display_name, *hash, now).status());
    }
    return AuditLocal(tx, key, "ncbnet demo", "demo agencies, users and grants");
  });
}

Status PrepareDemo(const std::string& data_dir) {
  const DataDir dir(data_dir);
  if (dir.Initialised()) return Status::Ok();
  InitOptions options;
  options.data_dir = data_dir;
  options.admin_password = kDemoPassword;
  NCBNET_RETURN_IF_ERROR(InitNetwork(options).status());
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, dir.OpenStore());
  NCBNET_ASSIGN_OR_RETURN(crypto::SigningKey key, dir.LoadSigningKey());
  return CreateDemoData(*store, key);
}

void PrintWelcome(const std::string& url, const std::string& data_dir) {
  std::cout << "\nncbnet demo network is up: " << url << "\n"
            << "  CA certificate (trust it in your client): " << data_dir << "/ca.crt\n"
            << "  Demo logins (password for all: " << kDemoPassword << "):\n";
  for (const DemoUser& u : kDemoUsers) std::cout << "    " << u.name << "  — " << u.role << "\n";
  std::cout << "  Try: curl --cacert " << data_dir << "/ca.crt " << url
            << "/v1/auth/login -H 'Content-Type: application/json' -d "
               "'{\"user\":\"fra.admin\",\"password\":\""
            << kDemoPassword << "\"}'\n"
            << "  Stop with Ctrl-C.\n"
            << std::endl;
}

}  // namespace

void RegisterDemo(CLI::App& app, int& exit_code) {
  auto data_dir = std::make_shared<std::string>("data-demo");
  auto port = std::make_shared<int>(8443);
  auto* cmd = app.add_subcommand("demo", "Create (once) and serve a demo network");
  cmd->add_option("--data-dir", *data_dir, "Data directory (created on first run)");
  cmd->add_option("--port", *port, "Port")->check(CLI::Range(0, 65535));
  cmd->callback([data_dir, port, &exit_code] {
    if (Status s = PrepareDemo(*data_dir); !s.ok()) {
      exit_code = Fail(s);
      return;
    }
    HubConfig config;
    config.data_dir = *data_dir;
    config.port = static_cast<std::uint16_t>(*port);
    exit_code =
        RunHub(config, [data_dir](const std::string& url) { PrintWelcome(url, *data_dir); });
  });
}

}  // namespace ncbnet::apps
