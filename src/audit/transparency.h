// The audit log as a transparency log (docs/audit-log-format.md, "The transparency log"): the
// entries of audit_log.h become, in seq order, the leaves of an RFC 9162 Merkle tree
// (merkle.h); a sequencer adds them in batches, off the request path, and signs a tree head
// each time; proofs of inclusion and consistency are read from the stored complete subtrees.
// Witnesses' cosignatures of heads are kept beside them.
//
// Tables (migration 17): audit_tree_nodes (level, idx, hash), audit_tree_heads (tree_size,
// root_hash, time_ms, key_id, signature), audit_cosignatures (tree_size, witness_key, time_ms,
// signature).
//
// Thread safety: free functions over the store, which serialises writes across the cluster, so
// several sequencers (one per hub node) never add the same entry twice.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "crypto/sign.h"
#include "store/store.h"

namespace ncbnet::audit {

struct Cosignature {
  std::string witness_key;  // 64 hex: the witness's Ed25519 public key
  std::int64_t timestamp_ms = 0;
  std::string signature;  // 128 hex
};

struct TreeHead {
  std::int64_t tree_size = 0;
  std::string root_hash;  // 64 hex
  std::int64_t timestamp_ms = 0;
  std::string key_id;     // 16 hex: KeyId() of the key that signed
  std::string signature;  // 128 hex
  std::vector<Cosignature> cosignatures;
};

// The first 16 hex characters of SHA-256(public_key).
std::string KeyId(std::string_view public_key);
// What a head's signature covers (docs/audit-log-format.md): five lines, each ending in '\n'.
std::string TreeHeadMessage(const TreeHead& head);
// What a witness signs: "ncbnet-audit-cosignature-v1\n<timestamp>\n" + TreeHeadMessage(head).
std::string CosignatureMessage(const TreeHead& head, std::int64_t timestamp_ms);
// Whether `head` names `public_key` (32 raw bytes) and carries its valid signature.
bool TreeHeadSignatureValid(const TreeHead& head, std::string_view public_key);
// Whether `cosignature` is its witness key's valid signature of `head`.
bool CosignatureValid(const TreeHead& head, const Cosignature& cosignature);

// The leaf hash of the entry whose hash is `entry_hash_hex`; "" if that is not 64 hex.
std::string LeafHashOfEntry(std::string_view entry_hash_hex);

inline constexpr std::int64_t kMaxSequenceBatch = 50000;

struct Sequenced {
  std::int64_t entries = 0;    // entries added as leaves
  std::int64_t tree_size = 0;  // leaves after (as another node left it, if it was first)
};

// Adds the entries after the tree's last leaf (at most `max_entries`) and signs a head of the
// new size with `key`, timestamped `now_ms`: reads, checks, hashes and signs in a read snapshot,
// then stores the nodes and the head in one write transaction if the tree has not grown
// meanwhile (another node's sequencer; then it stores nothing and reports 0 entries). Writes
// nothing when no entry waits. Each entry must match its own hash and link to the previous one.
// Errors: kDataLoss "audit_chain_broken" (naming the entry) otherwise, and nothing is added;
// kDataLoss "audit_tree_incomplete" if a stored node is missing; the store's errors.
Result<Sequenced> SequenceBatch(store::Store& store, const crypto::SigningKey& key,
                                std::int64_t now_ms, std::int64_t max_entries = kMaxSequenceBatch);

// The newest head, or the head of `tree_size`, with its cosignatures; nullopt if none.
Result<std::optional<TreeHead>> LatestTreeHead(store::Transaction& tx);
Result<std::optional<TreeHead>> TreeHeadOfSize(store::Transaction& tx, std::int64_t tree_size);

// RFC 9162 proofs, as 64-hex hashes, from the stored tree; the caller checks that the sizes
// are those of heads. Errors: kInvalidArgument "invalid_range" for sizes out of order;
// kDataLoss "audit_tree_incomplete"; the store's errors.
Result<std::vector<std::string>> InclusionPath(store::Transaction& tx, std::int64_t leaf_index,
                                               std::int64_t tree_size);
Result<std::vector<std::string>> ConsistencyPath(store::Transaction& tx, std::int64_t first,
                                                 std::int64_t second);

inline constexpr int kMaxCosignatures = 32;

// Keeps a witness's cosignature of the head of `tree_size` (a second one by the same witness
// replaces the first). Errors: kNotFound "tree_head_not_found"; kInvalidArgument
// "invalid_cosignature" unless it verifies; kResourceExhausted "too_many_cosignatures" when
// the head has kMaxCosignatures of other witnesses; the store's errors.
Status AddCosignature(store::Transaction& tx, std::int64_t tree_size,
                      const Cosignature& cosignature);

struct TreeCheck {
  bool intact = true;
  std::int64_t tree_size = 0;  // the newest head's
  std::string problem;         // "" or "tree_mismatch", "tree_head_signature_invalid"
  std::string detail;
};

// Recomputes the tree from the entries' hashes in audit_log and compares it with every stored
// head (their roots and signatures by `hub_public_key`), in one read snapshot, memory flat.
Result<TreeCheck> CheckTree(store::Store& store, std::string_view hub_public_key);

}  // namespace ncbnet::audit
