#include "audit/proof_bundles.h"

#include <algorithm>
#include <set>

#include "audit/merkle.h"
#include "crypto/encoding.h"

namespace ncbnet::audit {
namespace {

Status Malformed(const std::string& field, const std::string& why) {
  return Status::InvalidArgument("malformed_bundle", field + ": " + why);
}

Status Rejected(const char* reason, const std::string& why) {
  return Status::InvalidArgument(reason, why);
}

Result<std::int64_t> IntField(const nlohmann::json& json, const char* field, std::int64_t min) {
  if (!json.is_object() || !json.contains(field)) return Malformed(field, "missing");
  const nlohmann::json& v = json[field];
  if (!v.is_number_integer()) return Malformed(field, "not an integer");
  const auto n = v.get<std::int64_t>();
  if (n < min) return Malformed(field, "below " + std::to_string(min));
  return n;
}

Result<std::string> TextField(const nlohmann::json& json, const char* field) {
  if (!json.is_object() || !json.contains(field)) return Malformed(field, "missing");
  if (!json[field].is_string()) return Malformed(field, "not a string");
  return json[field].get<std::string>();
}

Result<std::string> HexField(const nlohmann::json& json, const char* field, std::size_t bytes) {
  NCBNET_ASSIGN_OR_RETURN(std::string text, TextField(json, field));
  const Result<std::string> raw = crypto::HexDecode(text);
  if (text.size() != bytes * 2 || !raw.ok() || crypto::HexEncode(*raw) != text) {
    return Malformed(field, "not " + std::to_string(bytes * 2) + " lower-case hex characters");
  }
  return text;
}

std::string Raw(std::string_view hex) {
  Result<std::string> raw = crypto::HexDecode(hex);
  return raw.ok() ? std::move(raw).value() : "";
}

Status VerifyInclusionBundle(const nlohmann::json& bundle, const TrustedKeys& keys) {
  if (!bundle.contains("entry") || !bundle["entry"].is_object()) {
    return Malformed("entry", "missing");
  }
  NCBNET_ASSIGN_OR_RETURN(const AuditEntry entry, EntryFromJson(bundle["entry"]));
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t index, IntField(bundle, "leaf_index", 0));
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t size, IntField(bundle, "tree_size", 1));
  NCBNET_ASSIGN_OR_RETURN(
      const std::vector<std::string> path,
      PathFromJson(bundle.value("inclusion_path", nlohmann::json()), "inclusion_path"));
  if (!bundle.contains("tree_head")) return Malformed("tree_head", "missing");
  NCBNET_ASSIGN_OR_RETURN(const TreeHead head, TreeHeadFromJson(bundle["tree_head"]));
  NCBNET_RETURN_IF_ERROR(CheckTreeHead(head, keys));
  if (head.tree_size != size) return Malformed("tree_size", "differs from the head's");
  if (EntryHash(entry) != entry.hash) {
    return Rejected("entry_hash_mismatch",
                    "entry " + std::to_string(entry.seq) + "'s fields do not hash to its hash");
  }
  if (index != entry.seq - 1 || index >= size) {
    return Rejected("leaf_index_mismatch", "leaf " + std::to_string(index) + " is not entry " +
                                               std::to_string(entry.seq) + " in a tree of " +
                                               std::to_string(size));
  }
  if (!merkle::VerifyInclusion(static_cast<std::uint64_t>(index), static_cast<std::uint64_t>(size),
                               LeafHashOfEntry(entry.hash), path, Raw(head.root_hash))) {
    return Rejected("inclusion_path_invalid",
                    "the path does not lead from entry " + std::to_string(entry.seq) +
                        " to the root of the head of size " + std::to_string(size));
  }
  return Status::Ok();
}

Status VerifyConsistencyBundle(const nlohmann::json& bundle, const TrustedKeys& keys) {
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t first, IntField(bundle, "first", 1));
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t second, IntField(bundle, "second", 1));
  if (!bundle.contains("first_head")) return Malformed("first_head", "missing");
  if (!bundle.contains("second_head")) return Malformed("second_head", "missing");
  NCBNET_ASSIGN_OR_RETURN(const TreeHead first_head, TreeHeadFromJson(bundle["first_head"]));
  NCBNET_ASSIGN_OR_RETURN(const TreeHead second_head, TreeHeadFromJson(bundle["second_head"]));
  if (first_head.tree_size != first) return Malformed("first", "differs from first_head's");
  if (second_head.tree_size != second) return Malformed("second", "differs from second_head's");
  NCBNET_RETURN_IF_ERROR(CheckTreeHead(first_head, keys));
  NCBNET_RETURN_IF_ERROR(CheckTreeHead(second_head, keys));
  NCBNET_ASSIGN_OR_RETURN(
      const std::vector<std::string> path,
      PathFromJson(bundle.value("consistency_path", nlohmann::json()), "consistency_path"));
  return CheckConsistency(first_head, second_head, path);
}

}  // namespace

nlohmann::json TreeHeadToJson(const TreeHead& head) {
  nlohmann::json cosignatures = nlohmann::json::array();
  for (const Cosignature& c : head.cosignatures) {
    cosignatures.push_back({{"witness_key", c.witness_key},
                            {"timestamp", c.timestamp_ms},
                            {"signature", c.signature}});
  }
  return {{"tree_size", head.tree_size},    {"root_hash", head.root_hash},
          {"timestamp", head.timestamp_ms}, {"key_id", head.key_id},
          {"signature", head.signature},    {"cosignatures", cosignatures}};
}

nlohmann::json EntryToJson(const AuditEntry& e) {
  return {{"seq", e.seq},
          {"time_ms", e.time_ms},
          {"request_id", e.request_id},
          {"user_id", e.user_id},
          {"agency_id", e.agency_id},
          {"source", e.source},
          {"action", e.action},
          {"object", e.object},
          {"outcome", e.outcome},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

Result<nlohmann::json> InclusionBundle(store::Transaction& tx, const AuditEntry& entry,
                                       const TreeHead& head) {
  NCBNET_ASSIGN_OR_RETURN(std::vector<std::string> path,
                          InclusionPath(tx, entry.seq - 1, head.tree_size));
  return nlohmann::json{{"entry", EntryToJson(entry)},
                        {"leaf_index", entry.seq - 1},
                        {"tree_size", head.tree_size},
                        {"inclusion_path", path},
                        {"tree_head", TreeHeadToJson(head)}};
}

Result<TreeHead> TreeHeadFromJson(const nlohmann::json& json) {
  if (!json.is_object()) return Malformed("tree head", "not an object");
  TreeHead head;
  NCBNET_ASSIGN_OR_RETURN(head.tree_size, IntField(json, "tree_size", 1));
  NCBNET_ASSIGN_OR_RETURN(head.root_hash, HexField(json, "root_hash", 32));
  NCBNET_ASSIGN_OR_RETURN(head.timestamp_ms, IntField(json, "timestamp", 0));
  NCBNET_ASSIGN_OR_RETURN(head.key_id, HexField(json, "key_id", 8));
  NCBNET_ASSIGN_OR_RETURN(head.signature, HexField(json, "signature", 64));
  if (!json.contains("cosignatures")) return head;
  const nlohmann::json& cosignatures = json["cosignatures"];
  if (!cosignatures.is_array() || cosignatures.size() > kMaxCosignatures) {
    return Malformed("cosignatures", "not an array of at most 32");
  }
  for (const nlohmann::json& c : cosignatures) {
    NCBNET_ASSIGN_OR_RETURN(Cosignature cosignature, CosignatureFromJson(c));
    head.cosignatures.push_back(std::move(cosignature));
  }
  return head;
}

Result<Cosignature> CosignatureFromJson(const nlohmann::json& json) {
  Cosignature cosignature;
  NCBNET_ASSIGN_OR_RETURN(cosignature.witness_key, HexField(json, "witness_key", 32));
  NCBNET_ASSIGN_OR_RETURN(cosignature.timestamp_ms, IntField(json, "timestamp", 0));
  NCBNET_ASSIGN_OR_RETURN(cosignature.signature, HexField(json, "signature", 64));
  return cosignature;
}

Result<AuditEntry> EntryFromJson(const nlohmann::json& json) {
  AuditEntry e;
  NCBNET_ASSIGN_OR_RETURN(e.seq, IntField(json, "seq", 1));
  NCBNET_ASSIGN_OR_RETURN(e.time_ms, IntField(json, "time_ms", INT64_MIN));
  for (auto [field, out] : {std::pair{"request_id", &e.request_id},
                            {"user_id", &e.user_id},
                            {"agency_id", &e.agency_id},
                            {"source", &e.source},
                            {"action", &e.action},
                            {"object", &e.object},
                            {"outcome", &e.outcome}}) {
    NCBNET_ASSIGN_OR_RETURN(*out, TextField(json, field));
  }
  NCBNET_ASSIGN_OR_RETURN(e.prev_hash, HexField(json, "prev_hash", 32));
  NCBNET_ASSIGN_OR_RETURN(e.hash, HexField(json, "hash", 32));
  return e;
}

Result<std::vector<std::string>> PathFromJson(const nlohmann::json& json, const char* field) {
  if (!json.is_array()) return Malformed(field, "not an array");
  if (json.size() > kMaxPathLength) return Malformed(field, "longer than any tree needs");
  std::vector<std::string> path;
  for (const nlohmann::json& h : json) {
    if (!h.is_string() || h.get<std::string>().size() != 64) {
      return Malformed(field, "holds something other than 64-hex hashes");
    }
    const Result<std::string> raw = crypto::HexDecode(h.get<std::string>());
    if (!raw.ok()) return Malformed(field, "holds something other than 64-hex hashes");
    path.push_back(*raw);
  }
  return path;
}

Status CheckTreeHead(const TreeHead& head, const TrustedKeys& keys) {
  const auto key = std::find_if(keys.hub_keys.begin(), keys.hub_keys.end(),
                                [&](const std::string& k) { return KeyId(k) == head.key_id; });
  if (key == keys.hub_keys.end()) {
    return Rejected("unknown_key", "the head of size " + std::to_string(head.tree_size) +
                                       " names key " + head.key_id + ", which is not trusted");
  }
  if (!TreeHeadSignatureValid(head, *key)) {
    return Rejected("head_signature_invalid", "the head of size " + std::to_string(head.tree_size) +
                                                  " does not carry a valid signature");
  }
  std::set<std::string> cosigners;
  for (const Cosignature& c : head.cosignatures) {
    const bool trusted =
        std::any_of(keys.witness_keys.begin(), keys.witness_keys.end(),
                    [&](const std::string& w) { return crypto::HexEncode(w) == c.witness_key; });
    if (trusted && CosignatureValid(head, c)) cosigners.insert(c.witness_key);
  }
  if (static_cast<int>(cosigners.size()) < keys.quorum) {
    return Rejected("quorum_not_met", "the head of size " + std::to_string(head.tree_size) +
                                          " has " + std::to_string(cosigners.size()) +
                                          " valid cosignature(s) by trusted witnesses, " +
                                          std::to_string(keys.quorum) + " needed");
  }
  return Status::Ok();
}

Status CheckConsistency(const TreeHead& first, const TreeHead& second,
                        const std::vector<std::string>& path) {
  if (first.tree_size > second.tree_size) {
    return Rejected("wrong_order", "the first head (" + std::to_string(first.tree_size) +
                                       ") is larger than the second (" +
                                       std::to_string(second.tree_size) + ")");
  }
  if (!merkle::VerifyConsistency(static_cast<std::uint64_t>(first.tree_size),
                                 static_cast<std::uint64_t>(second.tree_size), Raw(first.root_hash),
                                 Raw(second.root_hash), path)) {
    return Rejected("consistency_path_invalid",
                    "the path does not prove the head of size " + std::to_string(second.tree_size) +
                        " extends the head of size " + std::to_string(first.tree_size));
  }
  return Status::Ok();
}

Status VerifyBundle(const nlohmann::json& bundle, const TrustedKeys& keys) {
  if (!bundle.is_object()) return Malformed("bundle", "not a JSON object");
  if (bundle.contains("inclusion_path")) return VerifyInclusionBundle(bundle, keys);
  if (bundle.contains("consistency_path")) return VerifyConsistencyBundle(bundle, keys);
  return Malformed("bundle", "has neither inclusion_path nor consistency_path");
}

}  // namespace ncbnet::audit
