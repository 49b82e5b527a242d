// ncbnet audit verify | key | head | prove | consistency | accesses | verify-proof: the audit
// trail's checks (docs/audit-log-format.md). `verify` walks the chain and the Merkle tree in the
// data directory and names the first entry that was edited, removed or reordered (exit 0
// intact, 1 broken, 2 error). `key` prints the hub's audit public key, which NCBs take out of
// band to check heads. `head`, `prove`, `consistency` and `accesses` ask a running hub
// (client_flags.h) and print a head, a proof bundle or the caller's NCB's access entries;
// `verify-proof` checks a bundle from a file with no hub and no database (exit 0 valid,
// 1 rejected with the documented reason, 2 error).
#include <iostream>

#include "apps/ncbnet/audit_cli.h"
#include "apps/ncbnet/client_flags.h"
#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/output.h"
#include "audit/audit_log.h"
#include "audit/proof_bundles.h"
#include "audit/transparency.h"
#include "core/json.h"
#include "core/time_format.h"
#include "crypto/encoding.h"

namespace ncbnet::apps {
namespace {

void PrintReport(const audit::VerifyReport& chain, const audit::TreeCheck& tree, bool json) {
  if (json) {
    PrintJson({{"intact", chain.intact && tree.intact},
               {"entries", chain.entries},
               {"first_bad_seq", chain.first_bad_seq},
               {"problem", chain.intact ? tree.problem : chain.problem},
               {"detail", chain.intact ? tree.detail : chain.detail},
               {"tree_size", tree.tree_size}});
  } else if (!chain.intact) {
    std::cout << "audit chain broken at entry " << chain.first_bad_seq << ": " << chain.problem
              << " (" << chain.detail << ")\n";
  } else if (!tree.intact) {
    std::cout << "audit tree broken at size " << tree.tree_size << ": " << tree.problem << " ("
              << tree.detail << ")\n";
  } else {
    std::cout << "audit chain intact: " << chain.entries << " entries; Merkle tree of "
              << tree.tree_size << " leaves matches every signed head\n";
  }
}

int Verify(const std::string& data_dir, bool json) {
  const DataDir dir(data_dir);
  auto store = dir.OpenStore();
  if (!store.ok()) return Fail(store.status()) + 1;
  auto key = dir.LoadSigningKey();
  if (!key.ok()) return Fail(key.status()) + 1;
  auto chain = audit::Verify(**store, key->public_key());
  if (!chain.ok()) return Fail(chain.status()) + 1;
  auto tree = audit::CheckTree(**store, key->public_key());
  if (!tree.ok()) return Fail(tree.status()) + 1;
  PrintReport(*chain, *tree, json);
  return chain->intact && tree->intact ? 0 : 1;
}

int PrintKey(const std::string& data_dir) {
  auto key = DataDir(data_dir).LoadSigningKey();
  if (!key.ok()) return Fail(key.status());
  std::cout << "key_id: " << audit::KeyId(key->public_key())
            << "\npublic_key: " << crypto::HexEncode(key->public_key()) << "\n";
  return 0;
}

Status Ask(const ClientFlags& flags, const std::string& target) {
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(flags));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply reply, hub.CallOk("GET", target));
  PrintJson(reply.body);
  return Status::Ok();
}

// The caller's NCB's access entries, one line each (or the hub's JSON).
Status Accesses(const ClientFlags& flags, std::int64_t after, std::int64_t limit, bool json) {
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(flags));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply reply,
                          hub.CallOk("GET", "/v1/audit/accesses?after=" + std::to_string(after) +
                                                "&limit=" + std::to_string(limit)));
  if (json) {
    PrintJson(reply.body);
    return Status::Ok();
  }
  // The hub's answer is read defensively: a malformed one is an error, never a crash.
  try {
    for (const nlohmann::json& a : reply.body.value("accesses", nlohmann::json::array())) {
      const nlohmann::json& e = a.value("entry", nlohmann::json::object());
      std::cout << e.value("seq", std::int64_t{0}) << "  "
                << FormatIsoMillis(e.value("time_ms", std::int64_t{0})) << "  "
                << Printable(e.value("action", "")) << " " << Printable(e.value("outcome", ""))
                << "  " << Printable(e.value("object", "")) << "  user "
                << Printable(e.value("user_id", "")) << " from " << Printable(e.value("source", ""))
                << "  "
                << (a.value("proof", nlohmann::json()).is_object()
                        ? "proof in head " +
                              std::to_string(a["proof"].value("tree_size", std::int64_t{0}))
                        : std::string("proof pending"))
                << "\n";
    }
    std::cout << "next: --after " << reply.body.value("next_after", after) << "\n";
  } catch (const nlohmann::json::exception&) {
    return Status::Internal("malformed_reply", "the hub's list of accesses is malformed");
  }
  return Status::Ok();
}

struct VerifyFlags {
  std::string file;
  std::vector<std::string> hub_keys, witness_keys;
  int quorum = 0;
};

int VerifyProof(const VerifyFlags& flags) {
  audit::TrustedKeys keys;
  auto hub_keys = audit_cli::KeysFromHex(flags.hub_keys);
  if (!hub_keys.ok()) return Fail(hub_keys.status()) + 1;
  auto witness_keys = audit_cli::KeysFromHex(flags.witness_keys);
  if (!witness_keys.ok()) return Fail(witness_keys.status()) + 1;
  keys = {*hub_keys, *witness_keys, flags.quorum};
  auto text = ReadFile(flags.file);
  if (!text.ok()) return Fail(text.status()) + 1;
  const nlohmann::json bundle = ParseJson(*text);
  const Status verdict = bundle.is_discarded()
                             ? Status::InvalidArgument("malformed_bundle", "not JSON")
                             : audit::VerifyBundle(bundle, keys);
  if (!verdict.ok()) {
    std::cout << "proof rejected: " << verdict.reason() << ": " << verdict.message() << "\n";
    return 1;
  }
  if (bundle.contains("inclusion_path")) {
    std::cout << "proof valid: entry " << bundle["entry"]["seq"] << " is in the tree head of size "
              << bundle["tree_size"] << "\n";
  } else {
    std::cout << "proof valid: the tree head of size " << bundle["second"]
              << " extends the tree head of size " << bundle["first"] << "\n";
  }
  return 0;
}

}  // namespace

namespace audit_cli {

Result<std::vector<std::string>> KeysFromHex(const std::vector<std::string>& hex_keys) {
  std::vector<std::string> keys;
  for (const std::string& hex : hex_keys) {
    const Result<std::string> key = crypto::HexDecode(hex);
    if (!key.ok() || key->size() != 32) {
      return Status::InvalidArgument("invalid_key", "a key is 64 hex characters (32 bytes), not '" +
                                                        Printable(hex.substr(0, 80)) + "'");
    }
    keys.push_back(*key);
  }
  return keys;
}

}  // namespace audit_cli

void RegisterAudit(CLI::App& app, int& exit_code) {
  auto* audit_cmd = app.add_subcommand("audit", "The audit trail and its transparency log");
  audit_cmd->require_subcommand(1);
  auto data_dir = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* verify = audit_cmd->add_subcommand(
      "verify", "Check the audit chain and its Merkle tree in a data directory for tampering");
  verify->add_option("--data-dir", *data_dir)->required();
  verify->add_flag("--json", *json);
  verify->callback([data_dir, json, &exit_code] { exit_code = Verify(*data_dir, *json); });

  auto* key = audit_cmd->add_subcommand("key", "Print the hub's audit public key and its id");
  key->add_option("--data-dir", *data_dir)->required();
  key->callback([data_dir, &exit_code] { exit_code = PrintKey(*data_dir); });

  struct AskFlags {
    ClientFlags client;
    std::int64_t seq = 0, tree_size = 0, first = 0, second = 0;
  };
  auto ask = std::make_shared<AskFlags>();
  auto* head = audit_cmd->add_subcommand("head", "Print the hub's newest signed tree head");
  AddClientFlags(head, ask->client);
  head->callback([ask, &exit_code] {
    if (Status s = Ask(ask->client, "/v1/audit/tree-heads/latest"); !s.ok()) exit_code = Fail(s);
  });
  auto* prove = audit_cmd->add_subcommand("prove", "Print an entry's inclusion bundle");
  AddClientFlags(prove, ask->client);
  prove->add_option("--seq", ask->seq, "The entry")->required()->check(CLI::PositiveNumber);
  prove->add_option("--tree-size", ask->tree_size, "In this head (default: the newest)")
      ->check(CLI::PositiveNumber);
  prove->callback([ask, &exit_code] {
    std::string target = "/v1/audit/entries/" + std::to_string(ask->seq) + "/proof";
    if (ask->tree_size > 0) target += "?tree_size=" + std::to_string(ask->tree_size);
    if (Status s = Ask(ask->client, target); !s.ok()) exit_code = Fail(s);
  });
  auto* consistency =
      audit_cmd->add_subcommand("consistency", "Print a consistency bundle between two heads");
  AddClientFlags(consistency, ask->client);
  consistency->add_option("--first", ask->first)->required()->check(CLI::PositiveNumber);
  consistency->add_option("--second", ask->second)->required()->check(CLI::PositiveNumber);
  consistency->callback([ask, &exit_code] {
    const std::string target = "/v1/audit/consistency?first=" + std::to_string(ask->first) +
                               "&second=" + std::to_string(ask->second);
    if (Status s = Ask(ask->client, target); !s.ok()) exit_code = Fail(s);
  });

  struct AccessFlags {
    ClientFlags client;
    std::int64_t after = 0, limit = 50;
    bool json = false;
  };
  auto aflags = std::make_shared<AccessFlags>();
  auto* accesses = audit_cmd->add_subcommand(
      "accesses", "List who accessed your NCB's records, each with its inclusion proof");
  AddClientFlags(accesses, aflags->client);
  accesses->add_option("--after", aflags->after, "After this entry (a page's next)")
      ->check(CLI::NonNegativeNumber);
  accesses->add_option("--limit", aflags->limit, "At most this many (1..100)")
      ->check(CLI::Range(1, 100));
  accesses->add_flag("--json", aflags->json, "The hub's JSON, proofs included");
  accesses->callback([aflags, &exit_code] {
    if (Status s = Accesses(aflags->client, aflags->after, aflags->limit, aflags->json); !s.ok()) {
      exit_code = Fail(s);
    }
  });

  auto vflags = std::make_shared<VerifyFlags>();
  auto* verify_proof = audit_cmd->add_subcommand(
      "verify-proof", "Check an inclusion or consistency bundle offline (no hub, no database)");
  verify_proof->add_option("bundle", vflags->file, "The bundle (JSON file)")->required();
  verify_proof->add_option("--hub-key", vflags->hub_keys, "A hub audit public key (64 hex)")
      ->required();
  verify_proof->add_option("--witness-key", vflags->witness_keys, "A trusted witness (64 hex)");
  verify_proof->add_option("--quorum", vflags->quorum, "Trusted witnesses needed per head")
      ->check(CLI::NonNegativeNumber);
  verify_proof->callback([vflags, &exit_code] { exit_code = VerifyProof(*vflags); });

  audit_cli::AddWitness(audit_cmd, exit_code);
}

}  // namespace ncbnet::apps
