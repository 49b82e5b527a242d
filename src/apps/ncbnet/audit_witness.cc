// ncbnet audit witness: an NCB's own check that the hub never rewrites its audit history
// (docs/audit-log-format.md, "Witnesses"). It keeps in --state DIR the hub keys it pinned, its
// own Ed25519 key and the last head it accepted; each round it takes the hub's newest head,
// checks its signature with the pinned keys only, checks a consistency proof from the last
// head to it, keeps it and cosigns it. A fork (two heads that are not consistent) is written to
// DIR/fork-<ms>.json and ends the witness with exit status 3.
#include <sys/stat.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "apps/ncbnet/audit_cli.h"
#include "apps/ncbnet/client_flags.h"
#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/output.h"
#include "audit/proof_bundles.h"
#include "core/clock.h"
#include "core/json.h"
#include "crypto/encoding.h"
#include "crypto/sign.h"

namespace ncbnet::apps::audit_cli {
namespace {

constexpr int kForkExit = 3;

struct Flags {
  ClientFlags client;
  std::string state_dir;
  std::vector<std::string> hub_keys;
  int interval_s = 10;
  bool once = false;
};

struct State {
  std::string dir;
  std::vector<std::string> hub_keys;  // raw
  std::optional<crypto::SigningKey> key;
  std::optional<audit::TreeHead> last;
};

enum class Verdict { kAccepted, kRefused, kFork };

struct Outcome {
  Verdict verdict = Verdict::kAccepted;
  std::string line;
};

bool Exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// hub-keys: the keys pinned so far, plus any given now (a rotation: the operator adds the new
// key, taken out of band, before the hub starts signing with it).
Result<std::vector<std::string>> PinnedKeys(const std::string& dir,
                                            const std::vector<std::string>& added_hex) {
  const std::string path = dir + "/hub-keys";
  std::vector<std::string> hex;
  if (Exists(path)) {
    NCBNET_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      if (end > pos) hex.push_back(text.substr(pos, end - pos));
      pos = end + 1;
    }
  }
  bool changed = false;
  for (const std::string& k : added_hex) {
    if (std::find(hex.begin(), hex.end(), k) == hex.end()) {
      hex.push_back(k);
      changed = true;
    }
  }
  NCBNET_ASSIGN_OR_RETURN(std::vector<std::string> keys, KeysFromHex(hex));
  if (keys.empty()) {
    return Status::FailedPrecondition("no_hub_key",
                                      "no hub key pinned in " + path + ": pass --hub-key once");
  }
  if (changed) {
    std::string text;
    for (const std::string& k : hex) text += k + "\n";
    NCBNET_RETURN_IF_ERROR(ReplaceFile(path, text));
  }
  return keys;
}

Result<State> LoadState(const Flags& flags) {
  State state;
  state.dir = flags.state_dir;
  if (!Exists(state.dir) && ::mkdir(state.dir.c_str(), 0700) != 0) {
    return Status::Internal("write_failed", "cannot create " + state.dir);
  }
  NCBNET_ASSIGN_OR_RETURN(state.hub_keys, PinnedKeys(state.dir, flags.hub_keys));
  const std::string key_path = state.dir + "/witness.key";
  if (!Exists(key_path)) NCBNET_RETURN_IF_ERROR(crypto::SigningKey::Generate().SaveFile(key_path));
  NCBNET_ASSIGN_OR_RETURN(crypto::SigningKey key, crypto::SigningKey::LoadFile(key_path));
  state.key = std::move(key);
  const std::string last_path = state.dir + "/last-head.json";
  if (Exists(last_path)) {
    NCBNET_ASSIGN_OR_RETURN(std::string text, ReadFile(last_path));
    Result<audit::TreeHead> last = audit::TreeHeadFromJson(ParseJson(text));
    if (!last.ok())
      return Status::DataLoss("state_corrupt", last_path + ": " + last.status().message());
    NCBNET_RETURN_IF_ERROR(audit::CheckTreeHead(*last, {state.hub_keys, {}, 0}));
    state.last = std::move(*last);
  }
  return state;
}

Outcome Fork(const State& state, const audit::TreeHead& head, const nlohmann::json& proof,
             const std::string& why) {
  const std::int64_t now = SystemClock().NowMillis();
  const std::string path = state.dir + "/fork-" + std::to_string(now) + ".json";
  const nlohmann::json evidence = {{"detected_at", now},
                                   {"reason", why},
                                   {"last_head", audit::TreeHeadToJson(*state.last)},
                                   {"new_head", audit::TreeHeadToJson(head)},
                                   {"consistency", proof}};
  const Status saved = ReplaceFile(path, evidence.dump(2) + "\n");
  return {Verdict::kFork, "FORK: " + why + "; evidence " +
                              (saved.ok() ? "in " + path : "NOT saved: " + saved.message())};
}

// Checks that `head` extends the last head; a fork otherwise.
Result<Outcome> CheckAgainstLast(HubClient& hub, const State& state, const audit::TreeHead& head) {
  const audit::TreeHead& last = *state.last;
  if (head.tree_size < last.tree_size) {
    return Outcome{Verdict::kRefused, "refused: head_older: the hub's newest head has " +
                                          std::to_string(head.tree_size) + " leaves, the last " +
                                          "one accepted " + std::to_string(last.tree_size)};
  }
  if (head.tree_size == last.tree_size) {
    if (head.root_hash != last.root_hash) {
      return Fork(
          state, head, nullptr,
          "two signed heads of size " + std::to_string(head.tree_size) + " with different roots");
    }
    return Outcome{Verdict::kAccepted, ""};
  }
  NCBNET_ASSIGN_OR_RETURN(
      HubClient::Reply reply,
      hub.Call("GET", "/v1/audit/consistency?first=" + std::to_string(last.tree_size) +
                          "&second=" + std::to_string(head.tree_size)));
  if (reply.status != 200) {
    return Outcome{Verdict::kRefused, "refused: no_consistency_proof: the hub answered " +
                                          std::to_string(reply.status) + " " +
                                          Printable(reply.raw.substr(0, 200))};
  }
  Result<std::vector<std::string>> path = audit::PathFromJson(
      reply.body.is_object() ? reply.body.value("consistency_path", nlohmann::json())
                             : nlohmann::json(),
      "consistency_path");
  if (!path.ok()) {
    return Outcome{Verdict::kRefused, "refused: malformed_bundle: " + path.status().message()};
  }
  if (Status s = audit::CheckConsistency(last, head, *path); !s.ok()) {
    return Fork(state, head, reply.body,
                "the head of size " + std::to_string(head.tree_size) +
                    " is not consistent with the head of size " + std::to_string(last.tree_size) +
                    " accepted before (" + s.reason() + ")");
  }
  return Outcome{Verdict::kAccepted, ""};
}

void Cosign(HubClient& hub, const State& state, const audit::TreeHead& head) {
  const std::int64_t now = SystemClock().NowMillis();
  const nlohmann::json body = {
      {"witness_key", crypto::HexEncode(state.key->public_key())},
      {"timestamp", now},
      {"signature", crypto::HexEncode(state.key->Sign(audit::CosignatureMessage(head, now)))}};
  Result<HubClient::Reply> reply = hub.CallOk(
      "POST", "/v1/audit/tree-heads/" + std::to_string(head.tree_size) + "/cosignatures", body);
  if (!reply.ok())
    std::cerr << "ncbnet: cosignature not kept: " << reply.status().message() << "\n";
}

Result<Outcome> Round(HubClient& hub, State& state) {
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply reply, hub.Call("GET", "/v1/audit/tree-heads/latest"));
  if (reply.status == 404) return Outcome{Verdict::kAccepted, "no tree head yet"};
  if (reply.status != 200) return StatusFromReply(reply);
  Result<audit::TreeHead> head = audit::TreeHeadFromJson(reply.body);
  if (!head.ok())
    return Outcome{Verdict::kRefused,
                   "refused: " + head.status().reason() + ": " + head.status().message()};
  if (Status s = audit::CheckTreeHead(*head, {state.hub_keys, {}, 0}); !s.ok()) {
    return Outcome{Verdict::kRefused, "refused: " + s.reason() + ": " + s.message()};
  }
  const std::int64_t last_size = state.last ? state.last->tree_size : 0;
  if (state.last) {
    NCBNET_ASSIGN_OR_RETURN(Outcome checked, CheckAgainstLast(hub, state, *head));
    if (checked.verdict != Verdict::kAccepted) return checked;
  }
  head->cosignatures.clear();
  NCBNET_RETURN_IF_ERROR(
      ReplaceFile(state.dir + "/last-head.json", audit::TreeHeadToJson(*head).dump(2) + "\n"));
  state.last = *head;
  Cosign(hub, state, *head);
  return Outcome{Verdict::kAccepted,
                 "head " + std::to_string(head->tree_size) + " " + head->root_hash +
                     (last_size == 0 ? " accepted: the first head this witness has seen"
                                     : " consistent with " + std::to_string(last_size))};
}

int Run(const Flags& flags) {
  Result<State> state = LoadState(flags);
  if (!state.ok()) return Fail(state.status()) + 1;
  Result<HubClient> hub = HubClient::Connect(flags.client);
  if (!hub.ok()) return Fail(hub.status()) + 1;
  for (;;) {
    const Result<Outcome> outcome = Round(*hub, *state);
    if (!outcome.ok()) {
      Fail(outcome.status());
      if (flags.once) return 2;
    } else {
      std::cout << outcome->line << std::endl;
      if (outcome->verdict == Verdict::kFork) {
        std::cerr << outcome->line << std::endl;
        return kForkExit;
      }
      if (flags.once) return outcome->verdict == Verdict::kAccepted ? 0 : 1;
    }
    std::this_thread::sleep_for(std::chrono::seconds(flags.interval_s));
  }
}

}  // namespace

void AddWitness(CLI::App* audit_cmd, int& exit_code) {
  auto flags = std::make_shared<Flags>();
  auto* witness = audit_cmd->add_subcommand(
      "witness", "Check every new tree head of a hub against the last one, and cosign it");
  AddClientFlags(witness, flags->client);
  witness->add_option("--state", flags->state_dir, "Where the witness keeps its state")->required();
  witness->add_option("--hub-key", flags->hub_keys, "Pin a hub audit public key (64 hex)");
  witness->add_option("--interval", flags->interval_s, "Seconds between rounds")
      ->check(CLI::Range(1, 86400));
  witness->add_flag("--once", flags->once, "One round; exit 0 accepted, 1 refused, 3 fork");
  witness->callback([flags, &exit_code] { exit_code = Run(*flags); });
}

}  // namespace ncbnet::apps::audit_cli
