// ncbnet demo: a demo network on the embedded store, served at once. On first run it creates
// the network and its demo agencies, users and grants, gives NCB Paris, Wiesbaden and Rome
// message-signing keys (their private halves in <data-dir>/agency-keys/) and sends a few
// synthetic messages between them, and seeds a few thousand synthetic records in every database
// (demo_records.h); afterwards it serves what is there.
#include <sys/stat.h>

#include <filesystem>
#include <iostream>
#include <map>

#include "access/agencies.h"
#include "access/agency_keys.h"
#include "access/grants.h"
#include "access/users.h"
#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/demo_mla.h"
#include "apps/ncbnet/demo_notices.h"
#include "apps/ncbnet/demo_records.h"
#include "apps/ncbnet/demo_security.h"
#include "apps/ncbnet/hub_runner.h"
#include "apps/ncbnet/network_setup.h"
#include "apps/ncbnet/output.h"
#include "apps/ncbnet/replica_cli.h"
#include "core/clock.h"
#include "crypto/hash.h"
#include "crypto/password.h"
#include "messaging/attachments.h"
#include "messaging/country_groups.h"
#include "messaging/message_service.h"

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

// The border police's checks beyond travellers: vehicles, weapons, ships, blank documents.
Status GrantBorderRecordChecks(store::Transaction& tx, const std::string& border_id,
                               std::int64_t now) {
  for (const char* cap :
       {"record.check:SMV", "record.check:FIREARMS", "record.check:VESSELS", "record.check:SAD"}) {
    NCBNET_RETURN_IF_ERROR(
        access::GrantCapability(tx, {"ncb-fra", ""}, border_id, cap, std::nullopt, now).status());
  }
  return Status::Ok();
}

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
    // The border police checks travellers (and the subjects of notices), vehicles, weapons,
    // ships and blank documents (GrantBorderRecordChecks); the passport-control terminal checks
    // travellers only.
    for (const char* cap : {"record.check:SLTD", "record.check:NOMINAL", "record.check:NOTICES"}) {
      NCBNET_RETURN_IF_ERROR(
          access::GrantCapability(tx, fra, border.id, cap, std::nullopt, now).status());
    }
    NCBNET_RETURN_IF_ERROR(GrantBorderRecordChecks(tx, border.id, now));
    for (const char* cap : {"record.check:SLTD", "record.check:NOMINAL"}) {
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

// The demo's synthetic traffic: every name, plate, VIN and reference is invented.
struct DemoMessage {
  const char* from;
  const char* user;  // the sending user's name, or "" for a system
  std::vector<std::string> to_agencies;
  std::vector<std::string> to_countries;
  bool all_ncbs;
  int reply_to;  // index of the message answered (its thread), or -1
  messaging::Classification classification;
  messaging::Priority priority;
  const char* handling;
  const char* subject;
  const char* body;
  std::vector<std::string> to_groups = {};
};

std::vector<DemoMessage> DemoMessages() {
  using messaging::Classification;
  using messaging::Priority;
  return {
      {"ncb-fra",
       "fra.admin",
       {},
       {"DEU"},
       false,
       -1,
       Classification::kRestricted,
       Priority::kUrgent,
       "Police use only; not to be passed on without the consent of NCB Paris.",
       "Request for information: stolen Peugeot 308, VIN VF3LBHNYHMS012345",
       "NCB Wiesbaden,\n\nA grey Peugeot 308 (VIN VF3LBHNYHMS012345, French plates GH-482-TK) "
       "was reported stolen in Strasbourg on the night of 2 March. Its tracker last reported "
       "near Kehl (DEU) at 23:40 UTC.\n\nPlease check the vehicle against your national "
       "databases and tell us whether it has been found or registered in Germany.\n\n"
       "Our reference: FRA/STR/2026/0412 (synthetic demo data).\n\nNCB Paris"},
      {"ncb-deu",
       "deu.admin",
       {"ncb-fra"},
       {},
       false,
       0,
       Classification::kRestricted,
       Priority::kUrgent,
       "Police use only.",
       "RE: Request for information: stolen Peugeot 308, VIN VF3LBHNYHMS012345",
       "NCB Paris,\n\nThe vehicle was found on 4 March in a car park in Offenburg, with false "
       "German plates (OG-KL 731). One suspect, born 1991, is held by the Offenburg police; "
       "the case officer can be reached through this NCB.\n\nOur reference: "
       "DEU/BKA/2026/7781 (synthetic demo data).\n\nNCB Wiesbaden"},
      {"ncb-ita",
       "",
       {},
       {},
       true,
       -1,
       Classification::kFouo,
       Priority::kRoutine,
       "",
       "Modus operandi alert: counterfeit EUR 50 notes with a glued-on security thread",
       "To all NCBs,\n\nSince January the Carabinieri have seized about 2,300 counterfeit "
       "EUR 50 notes in Naples, Milan and Turin. The notes are inkjet-printed on commercial "
       "paper; a strip of foil is glued into a slit to imitate the security thread, and the "
       "watermark is printed in grey. They fail the UV test and feel smooth.\n\nThe notes "
       "are passed at weekend markets and fuel stations, usually by couriers paid per note. "
       "Please report similar seizures to NCB Rome.\n\n(Synthetic demo data.)\n\nNCB Rome"},
      {"ncb-fra",
       "fra.admin",
       {"ncb-ita"},
       {},
       false,
       2,
       Classification::kFouo,
       Priority::kRoutine,
       "",
       "RE: Modus operandi alert: counterfeit EUR 50 notes with a glued-on security thread",
       "NCB Rome,\n\nThe police in Lyon seized 14 notes matching your description on 7 March, "
       "at a street market; the serial numbers repeat in three series. Details and images "
       "follow through the usual channel.\n\n(Synthetic demo data.)\n\nNCB Paris"},
      {"ncb-deu",
       "deu.admin",
       {},
       {"FRA", "ITA"},
       false,
       -1,
       Classification::kConfidential,
       Priority::kFlash,
       "Do not contact the person; report sightings to NCB Wiesbaden at once.",
       "Armed robbery suspect may be travelling to France or Italy",
       "NCB Paris, NCB Rome,\n\nA suspect in the armed robbery of a jeweller in Frankfurt "
       "on 9 March left Germany by car this morning, probably towards Basel and then France "
       "or Italy. Vehicle: black Audi A6, plates F-RX 2290. The suspect is believed to be "
       "armed.\n\n(Synthetic demo data.)\n\nNCB Wiesbaden"},
      {"ncb-ita",
       "",
       {},
       {},
       false,
       -1,
       Classification::kRestricted,
       Priority::kUrgent,
       "Police use only.",
       "Warning: organised pickpocket group moving along Western European rail hubs",
       "To the NCBs of Western Europe,\n\nA group of about eight people, arrested and released "
       "in Milan on 11 March, is believed to be travelling by train towards Zurich, Lyon and "
       "Brussels. They work railway stations in teams of three, one distracting, one taking, "
       "one carrying. Descriptions follow through the usual channel.\n\n(Synthetic demo "
       "data.)\n\nNCB Rome",
       {"europe-west"}},
  };
}

// The demo's country groups, as the GS would define them.
struct DemoGroup {
  const char* name;
  const char* description;
  std::vector<std::string> countries;
};

std::vector<DemoGroup> DemoGroups() {
  return {
      {"europe-west",
       "Western Europe: NCBs cooperating on cross-border crime along the main transit routes",
       {"FRA", "DEU", "ITA", "ESP", "BEL", "NLD", "LUX", "PRT", "AUT", "CHE", "GBR", "IRL"}},
      {"g7", "Group of Seven", {"CAN", "FRA", "DEU", "ITA", "JPN", "GBR", "USA"}},
  };
}

constexpr const char* kDemoKeyAgencies[] = {"ncb-fra", "ncb-deu", "ncb-ita"};

// Each demo NCB's signing key, saved where `ncbnet msg send --key` can use it.
Result<std::map<std::string, crypto::SigningKey>> MakeAgencyKeys(const DataDir& dir) {
  const std::string keys_dir = dir.File("agency-keys");
  std::error_code ec;
  std::filesystem::create_directories(keys_dir, ec);
  if (ec) return Status::Internal("mkdir_failed", "cannot create " + keys_dir);
  ::chmod(keys_dir.c_str(), 0700);
  std::map<std::string, crypto::SigningKey> keys;
  for (const char* agency : kDemoKeyAgencies) {
    const crypto::SigningKey key = crypto::SigningKey::Generate();
    NCBNET_RETURN_IF_ERROR(key.SaveFile(keys_dir + "/" + agency + ".key"));
    keys.emplace(agency, key);
  }
  return keys;
}

Status SendDemoMessages(store::Transaction& tx, const messaging::DataKey& data_key,
                        const std::map<std::string, crypto::SigningKey>& keys, std::int64_t now) {
  const std::vector<DemoMessage> messages = DemoMessages();
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const DemoMessage& m = messages[i];
    // Spread over the last two hours, oldest first.
    const std::int64_t at = now - static_cast<std::int64_t>(messages.size() - i) * 20 * 60'000;
    messaging::SignedContent c;
    c.sender_agency = m.from;
    c.idempotency_key = "demo-" + std::string(m.from) + "-" + std::to_string(i + 1);
    c.created_ms = at;
    c.to = {m.to_agencies, m.to_countries, m.all_ncbs, m.to_groups};
    c.subject = m.subject;
    c.body = m.body;
    c.classification = m.classification;
    c.handling = m.handling;
    c.priority = m.priority;
    c.language = "en";
    if (m.reply_to >= 0) {
      c.thread_id = ids.at(static_cast<std::size_t>(m.reply_to));
      c.reply_to = c.thread_id;
    }
    std::string user_id;
    if (*m.user != '\0') {
      NCBNET_ASSIGN_OR_RETURN(std::optional<access::User> user, access::FindUserByName(tx, m.user));
      if (user) user_id = user->id;
    }
    const crypto::SigningKey& key = keys.at(m.from);
    const messaging::Signature signature{access::KeyIdFor(key.public_key()),
                                         key.Sign(messaging::CanonicalEncoding(c))};
    NCBNET_ASSIGN_OR_RETURN(messaging::Accepted accepted,
                            messaging::Send(tx, data_key, {m.from, user_id}, c, signature, at));
    ids.push_back(accepted.message_id);
  }
  return Status::Ok();
}

// A small synthetic PDF-like file, uploaded the way a client would (messaging/attachments.h),
// then sent by NCB Wiesbaden to NCB Paris.
Status SendDemoAttachment(store::Transaction& tx, const messaging::DataKey& data_key,
                          const crypto::SigningKey& key, std::int64_t now) {
  const std::string pdf =
      "%PDF-1.4\n% Synthetic demo document: not a real case file.\n1 0 obj << /Type /Catalog >>"
      "\nendobj\n(Vehicle OG-KL 731: photographs of the false plates, Offenburg, 4 March)\n"
      "%%EOF\n";
  NCBNET_ASSIGN_OR_RETURN(messaging::Upload upload,
                          messaging::OpenUpload(tx, "ncb-deu", crypto::Sha256Hex(pdf),
                                                static_cast<std::int64_t>(pdf.size()), now));
  NCBNET_RETURN_IF_ERROR(
      messaging::WriteChunk(tx, data_key, "ncb-deu", upload.id, 0, pdf, now).status());
  NCBNET_RETURN_IF_ERROR(
      messaging::CompleteUpload(tx, data_key, "ncb-deu", upload.id, now).status());
  messaging::SignedContent c;
  c.sender_agency = "ncb-deu";
  c.idempotency_key = "demo-ncb-deu-attachment-1";
  c.created_ms = now;
  c.to.agencies = {"ncb-fra"};
  c.subject = "Photographs of the false plates (Peugeot 308 case)";
  c.body =
      "NCB Paris,\n\nAttached: the photographs of the false plates found on the vehicle.\n\n"
      "(Synthetic demo data.)\n\nNCB Wiesbaden";
  c.classification = messaging::Classification::kRestricted;
  c.priority = messaging::Priority::kRoutine;
  c.language = "en";
  c.attachments = {{crypto::Sha256Hex(pdf), static_cast<std::int64_t>(pdf.size()),
                    "offenburg-plates.pdf", "application/pdf"}};
  const messaging::Signature signature{access::KeyIdFor(key.public_key()),
                                       key.Sign(messaging::CanonicalEncoding(c))};
  return messaging::Send(tx, data_key, {"ncb-deu", ""}, c, signature, now).status();
}

Status CreateDemoMessages(const DataDir& dir, store::Store& store,
                          const crypto::SigningKey& audit_key) {
  NCBNET_ASSIGN_OR_RETURN(messaging::DataKey data_key, dir.LoadOrCreateDataKey());
  NCBNET_ASSIGN_OR_RETURN(auto keys, MakeAgencyKeys(dir));
  const std::int64_t now = SystemClock().NowMillis();
  return store.Write([&](store::Transaction& tx) -> Status {
    for (const auto& [agency, key] : keys) {
      NCBNET_RETURN_IF_ERROR(
          access::RegisterAgencyKey(tx, access::kGsAgencyId, agency, key.public_key(), now)
              .status());
    }
    for (const DemoGroup& g : DemoGroups()) {
      NCBNET_RETURN_IF_ERROR(
          messaging::PutCountryGroup(tx, g.name, g.description, g.countries, now).status());
    }
    NCBNET_RETURN_IF_ERROR(SendDemoMessages(tx, data_key, keys, now));
    NCBNET_RETURN_IF_ERROR(SendDemoAttachment(tx, data_key, keys.at("ncb-deu"), now));
    return AuditLocal(tx, audit_key, "ncbnet demo",
                      "demo agency keys, country groups and messages");
  });
}

// A demo directory made before the demo had records (its users exist, NCB Paris owns no SLTD
// record) gets them now, and its border police the checks they need; any other network is left
// alone.
Status AddRecordsToOlderDemo(const DataDir& dir) {
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, dir.OpenStore());
  std::optional<access::User> border;
  bool has_records = false;
  NCBNET_RETURN_IF_ERROR(store->Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(border, access::FindUserByName(tx, "fra.border"));
    NCBNET_ASSIGN_OR_RETURN(
        std::optional<store::Row> own,
        tx.QueryOne("SELECT 1 FROM records WHERE owner_country = 'FRA' AND database = 'SLTD'"));
    has_records = own.has_value();
    return Status::Ok();
  }));
  if (!border || has_records) return Status::Ok();
  NCBNET_ASSIGN_OR_RETURN(crypto::SigningKey key, dir.LoadSigningKey());
  NCBNET_RETURN_IF_ERROR(store->Write([&](store::Transaction& tx) -> Status {
    return GrantBorderRecordChecks(tx, border->agency_id, SystemClock().NowMillis());
  }));
  NCBNET_ASSIGN_OR_RETURN(messaging::DataKey data_key, dir.LoadOrCreateDataKey());
  return SeedDemoRecords(*store, data_key, key);
}

Status PrepareDemo(const std::string& data_dir) {
  const DataDir dir(data_dir);
  if (dir.Initialised()) return AddRecordsToOlderDemo(dir);
  InitOptions options;
  options.data_dir = data_dir;
  options.admin_password = kDemoPassword;
  NCBNET_RETURN_IF_ERROR(InitNetwork(options).status());
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, dir.OpenStore());
  NCBNET_ASSIGN_OR_RETURN(crypto::SigningKey key, dir.LoadSigningKey());
  NCBNET_RETURN_IF_ERROR(CreateDemoData(*store, key));
  NCBNET_RETURN_IF_ERROR(CreateDemoMessages(dir, *store, key));
  NCBNET_RETURN_IF_ERROR(SeedDemoMla(dir, *store, key, kDemoPassword));
  NCBNET_ASSIGN_OR_RETURN(messaging::DataKey data_key, dir.LoadOrCreateDataKey());
  NCBNET_RETURN_IF_ERROR(SeedDemoRecords(*store, data_key, key));
  NCBNET_RETURN_IF_ERROR(SeedDemoRevokedCertificate(dir, *store, key, "ncb-fra"));
  return SeedDemoNotices(dir, *store, key);
}

// `console`: the hub serves the web console (--console-dir); the banner then begins with it.
// `public_page`: it serves the public notices page (--public-dir) at /public.
void PrintWelcome(const std::string& url, const std::string& data_dir, bool console,
                  bool public_page) {
  const std::string ca = data_dir + "/ca.crt";
  // This binary's own path, so the commands below can be pasted as they are.
  std::error_code ec;
  std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  if (ec || self.empty()) self = "ncbnet";
  if (console) {
    std::cout << "\nncbnet web console: " << url << "/\n"
              << "  Sign in as fra.admin (NCB Paris) or fra.border (border police), password "
              << kDemoPassword << ".\n"
              << "  The browser does not know the demo's own CA: import " << data_dir
              << "/ca.crt, or accept the warning once.\n";
  }
  if (public_page) {
    std::cout << "\nPublic notices page (no login): " << url << "/public/\n";
  }
  std::cout << "\nncbnet demo network is up: " << url << "\n"
            << "  CA certificate (trust it in your client): " << data_dir << "/ca.crt\n"
            << "  Demo logins (password for all: " << kDemoPassword << "):\n";
  for (const DemoUser& u : kDemoUsers) std::cout << "    " << u.name << "  — " << u.role << "\n";
  std::cout << "  Try: curl --cacert " << data_dir << "/ca.crt " << url
            << "/v1/auth/login -H 'Content-Type: application/json' -d "
               "'{\"user\":\"fra.admin\",\"password\":\""
            << kDemoPassword << "\"}'\n"
            << "  Messages: NCB Paris, Wiesbaden and Rome have exchanged a few (synthetic). Read "
               "NCB Paris's inbox\n"
            << "  with the \"token\" of the login above:\n"
            << "    export NCBNET_TOKEN=<token>\n"
            << "    " << self << " msg inbox --url " << url << " --ca " << ca << "\n"
            << "    " << self << " msg read <message id> --url " << url << " --ca " << ca
            << " --json > msg.json\n"
            << "    " << self << " key list --url " << url << " --ca " << ca
            << " --json > keys.json\n"
            << "    " << self << " msg verify --message msg.json --directory keys.json\n"
            << "  Live push: watch NCB Paris's mailbox (a WebSocket; --long-poll without one)\n"
            << "    " << self << " msg watch --url " << url << " --ca " << ca << "\n"
            << "  and, in another terminal with NCB Wiesbaden's token (login deu.admin), send:\n"
            << "    " << self << " msg send --url " << url << " --ca " << ca << " --key "
            << data_dir << "/agency-keys/ncb-deu.key --from ncb-deu --to-country FRA"
            << " --priority urgent --subject 'Stolen Audi A6, plate HD-MK 4411' --body 'Seen "
               "heading to Strasbourg.'\n"
            << "  Records: a few thousand synthetic records in SLTD, SMV, NOMINAL, FIREARMS, WOA, "
               "SAD and VESSELS,\n"
            << "  owned by several NCBs. Check them with the token of fra.border (French border "
               "police):\n";
  for (const DemoCheck& c : DemoChecks()) {
    std::cout << "    " << self << " check " << c.args << " --url " << url << " --ca " << ca
              << "\n      # " << c.expect << ": " << c.note << "\n";
  }
  PrintReplicaDemo(self, url, data_dir);
  PrintNoticesDemo(self, url, ca);
  PrintMlaDemo(self, url, data_dir);
  PrintSecurityDemo(url, data_dir);
  PrintAuditDemo(self, url, data_dir);
  std::cout << "  Your own records: " << self << " records export SLTD --url " << url << " --ca "
            << ca << " (login fra.admin)\n"
            << "  Delegation: NCB France's branch as a tree (login fra.admin):\n"
            << "    " << self << " agency list --url " << url << " --ca " << ca << "\n"
            << "  Country groups (" << self << " group list ...), e.g. --group europe-west.\n"
            << "  The demo NCBs' signing keys (for ncbnet msg send --key): " << data_dir
            << "/agency-keys/\n"
            << "  Stop with Ctrl-C.\n"
            << std::endl;
}

}  // namespace

void RegisterDemo(CLI::App& app, int& exit_code) {
  auto data_dir = std::make_shared<std::string>("data-demo");
  auto port = std::make_shared<int>(8443);
  auto console_dir = std::make_shared<std::string>();
  auto public_dir = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("demo", "Create (once) and serve a demo network");
  cmd->add_option("--data-dir", *data_dir, "Data directory (created on first run)");
  cmd->add_option("--port", *port, "Port")->check(CLI::Range(0, 65535));
  cmd->add_option("--console-dir", *console_dir,
                  "The web console's built files (console/dist), served at /");
  cmd->add_option("--public-dir", *public_dir,
                  "The public notices page's built files (console/dist-public), served at /public");
  cmd->callback([data_dir, port, console_dir, public_dir, &exit_code] {
    if (Status s = PrepareDemo(*data_dir); !s.ok()) {
      exit_code = Fail(s);
      return;
    }
    HubConfig config;
    config.data_dir = *data_dir;
    config.port = static_cast<std::uint16_t>(*port);
    config.console_dir = *console_dir;
    config.public_dir = *public_dir;
    exit_code = RunHub(config, [data_dir, console_dir, public_dir](const std::string& url) {
      PrintWelcome(url, *data_dir, !console_dir->empty(), !public_dir->empty());
    });
  });
}

}  // namespace ncbnet::apps
