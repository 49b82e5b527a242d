// ncbnet key generate | register | list: an agency's message-signing keys
// (docs/message-format.md). `generate` works offline on the agency's own machine, so the hub
// never holds the private key; `register` and `list` talk to the hub (client_flags.h).
#include <iostream>

#include "access/agency_keys.h"
#include "api/messages_json.h"
#include "apps/ncbnet/client_flags.h"
#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/output.h"
#include "crypto/encoding.h"
#include "crypto/sign.h"

namespace ncbnet::apps {
namespace {

Status Generate(const std::string& out, bool json) {
  const crypto::SigningKey key = crypto::SigningKey::Generate();
  NCBNET_RETURN_IF_ERROR(key.SaveFile(out));
  const std::string key_id = access::KeyIdFor(key.public_key());
  const std::string public_hex = crypto::HexEncode(key.public_key());
  if (json) {
    PrintJson({{"key_id", key_id}, {"public_key", public_hex}, {"file", out}});
  } else {
    std::cout << "key_id: " << key_id << "\npublic_key: " << public_hex << "\n";
  }
  return Status::Ok();
}

Status Register(const ClientFlags& client_flags, const std::string& agency,
                const std::string& key_file, bool json) {
  NCBNET_ASSIGN_OR_RETURN(crypto::SigningKey key, crypto::SigningKey::LoadFile(key_file));
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(client_flags));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply reply,
                          hub.CallOk("POST", "/v1/agencies/" + agency + "/keys",
                                     {{"public_key", crypto::HexEncode(key.public_key())}}));
  if (json) {
    PrintJson(reply.body);
  } else {
    std::cout << reply.body.value("key_id", "") << "\n";
  }
  return Status::Ok();
}

Status List(const ClientFlags& client_flags, bool json) {
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(client_flags));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply reply, hub.CallOk("GET", "/v1/keys"));
  if (json) {
    PrintJson(reply.body);  // the directory as GET /v1/keys gives it: `msg verify` reads it
    return Status::Ok();
  }
  const nlohmann::json& keys = reply.body.value("keys", nlohmann::json::array());
  for (const nlohmann::json& k : keys) {
    auto key = api::AgencyKeyFromJson(k);
    if (!key.ok()) return key.status();
    std::cout << key->key_id << "  " << key->agency_id << "  "
              << (key->revoked_ms ? "revoked " + k["revoked_at"].get<std::string>()
                                  : std::string("valid"))
              << "\n";
  }
  return Status::Ok();
}

}  // namespace

void RegisterKey(CLI::App& app, int& exit_code) {
  auto* key = app.add_subcommand("key", "Agencies' message-signing keys (the key directory)");
  key->require_subcommand(1);

  auto out = std::make_shared<std::string>();
  auto generate_json = std::make_shared<bool>(false);
  auto* generate = key->add_subcommand("generate", "Make a new Ed25519 key pair (offline)");
  generate->add_option("--out", *out, "Writes the private key here (0600)")->required();
  generate->add_flag("--json", *generate_json);
  generate->callback([out, generate_json, &exit_code] {
    if (Status s = Generate(*out, *generate_json); !s.ok()) exit_code = Fail(s);
  });

  struct RegisterFlags {
    ClientFlags client;
    std::string agency, key_file;
    bool json = false;
  };
  auto rf = std::make_shared<RegisterFlags>();
  auto* reg = key->add_subcommand("register", "Register a key's public half for an agency");
  reg->add_option("--agency", rf->agency, "Agency id, e.g. ncb-fra")->required();
  reg->add_option("--key", rf->key_file, "The key file made by `ncbnet key generate`")->required();
  reg->add_flag("--json", rf->json);
  AddClientFlags(reg, rf->client);
  reg->callback([rf, &exit_code] {
    if (Status s = Register(rf->client, rf->agency, rf->key_file, rf->json); !s.ok()) {
      exit_code = Fail(s);
    }
  });

  struct ListFlags {
    ClientFlags client;
    bool json = false;
  };
  auto lf = std::make_shared<ListFlags>();
  auto* list = key->add_subcommand("list", "The network's key directory (GET /v1/keys)");
  list->add_flag("--json", lf->json, "Print the directory as JSON (input of `msg verify`)");
  AddClientFlags(list, lf->client);
  list->callback([lf, &exit_code] {
    if (Status s = List(lf->client, lf->json); !s.ok()) exit_code = Fail(s);
  });
}

}  // namespace ncbnet::apps
