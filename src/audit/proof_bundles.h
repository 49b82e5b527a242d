// The JSON forms of tree heads and proof bundles (docs/audit-log-format.md, "JSON forms"), and
// their verification with no hub and no database: what `ncbnet audit verify-proof` and
// `ncbnet audit witness` run, and what the API serves.
//
// Everything read here is untrusted (files, a hub's answers): parsing never throws, and every
// refusal is a Status whose reason is one of the documented codes (malformed_bundle,
// unknown_key, head_signature_invalid, quorum_not_met, entry_hash_mismatch,
// leaf_index_mismatch, inclusion_path_invalid, wrong_order, consistency_path_invalid).
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "audit/transparency.h"
#include "core/status.h"

namespace ncbnet::audit {

// Whom a verifier trusts: hub audit keys and witness keys (32 raw bytes each), and how many
// of those witnesses must have cosigned each head.
struct TrustedKeys {
  std::vector<std::string> hub_keys;
  std::vector<std::string> witness_keys;
  int quorum = 0;
};

// Longest path accepted: a tree of 2^63 leaves needs 63 hashes for inclusion, 126 at most for
// consistency.
inline constexpr std::size_t kMaxPathLength = 130;

nlohmann::json TreeHeadToJson(const TreeHead& head);
nlohmann::json EntryToJson(const AuditEntry& entry);
// The inclusion bundle of `entry` in `head`, whose tree holds it, from the stored tree.
// Errors: InclusionPath's.
Result<nlohmann::json> InclusionBundle(store::Transaction& tx, const AuditEntry& entry,
                                       const TreeHead& head);

// Errors: kInvalidArgument "malformed_bundle" naming the field.
Result<TreeHead> TreeHeadFromJson(const nlohmann::json& json);
Result<Cosignature> CosignatureFromJson(const nlohmann::json& json);
Result<AuditEntry> EntryFromJson(const nlohmann::json& json);

// The head is signed by one of the hub keys (unknown_key, head_signature_invalid) and carries
// valid cosignatures by at least `quorum` distinct trusted witnesses (quorum_not_met).
Status CheckTreeHead(const TreeHead& head, const TrustedKeys& keys);

// Checks an inclusion bundle (it has "inclusion_path") or a consistency bundle
// ("consistency_path"). OK when valid; otherwise the reason.
Status VerifyBundle(const nlohmann::json& bundle, const TrustedKeys& keys);

// RFC 9162 consistency of two heads already checked with CheckTreeHead: `path` (raw hashes,
// as PathFromJson gives them) links them (wrong_order if first's size exceeds second's;
// consistency_path_invalid).
Status CheckConsistency(const TreeHead& first, const TreeHead& second,
                        const std::vector<std::string>& path);

// The hashes of a JSON array of 64-hex strings. Errors: malformed_bundle naming `field`.
Result<std::vector<std::string>> PathFromJson(const nlohmann::json& json, const char* field);

}  // namespace ncbnet::audit
