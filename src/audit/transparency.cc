#include "audit/transparency.h"

#include <algorithm>
#include <utility>

#include "audit/audit_log.h"
#include "audit/audit_rows.h"
#include "audit/merkle.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace ncbnet::audit {
namespace {

// Rows a multi-row INSERT of nodes carries: 3 parameters each, well under every back end's
// limit on parameters.
constexpr std::size_t kNodesPerInsert = 300;
constexpr int kCheckPage = 5000;

Status TreeIncomplete(int level, std::uint64_t index) {
  return Status::DataLoss("audit_tree_incomplete", "audit tree: node " + std::to_string(level) +
                                                       "/" + std::to_string(index) + " missing");
}

merkle::NodeSource StoredNodes(store::Transaction& tx) {
  return [&tx](int level, std::uint64_t index) -> Result<std::string> {
    NCBNET_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("SELECT hash FROM audit_tree_nodes WHERE level = ? AND idx = ?",
                    {level, static_cast<std::int64_t>(index)}));
    if (!row || (*row)[0].AsText().size() != 32) return TreeIncomplete(level, index);
    return (*row)[0].AsText();
  };
}

std::vector<std::string> ToHex(const std::vector<std::string>& hashes) {
  std::vector<std::string> out;
  out.reserve(hashes.size());
  for (const std::string& h : hashes) out.push_back(crypto::HexEncode(h));
  return out;
}

constexpr std::string_view kHeadColumns =
    "tree_size, root_hash, time_ms, key_id, signature FROM audit_tree_heads";

Result<std::optional<TreeHead>> HeadFromQuery(store::Transaction& tx, const std::string& sql,
                                              const std::vector<store::Value>& params) {
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows, tx.Query(sql, params));
  if (rows.empty()) return std::optional<TreeHead>();
  const store::Row& r = rows[0];
  TreeHead head{r[0].AsInt(), r[1].AsText(), r[2].AsInt(), r[3].AsText(), r[4].AsText(), {}};
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> cosigs,
                          tx.Query("SELECT witness_key, time_ms, signature FROM audit_cosignatures"
                                   " WHERE tree_size = ? ORDER BY witness_key",
                                   {head.tree_size}));
  for (const store::Row& c : cosigs) {
    head.cosignatures.push_back({c[0].AsText(), c[1].AsInt(), c[2].AsText()});
  }
  return std::optional<TreeHead>(std::move(head));
}

// The newest head's size: the leaves the tree holds (0 before the first head).
Result<std::int64_t> StoredTreeSize(store::Transaction& tx) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne("SELECT COALESCE(MAX(tree_size), 0) FROM audit_tree_heads"));
  return (*row)[0].AsInt();
}

// The stored tree of `size` leaves: its size and right edge.
Result<merkle::CompactRange> LoadRange(store::Transaction& tx, std::int64_t size) {
  const merkle::NodeSource nodes = StoredNodes(tx);
  std::vector<std::string> frontier;
  for (const auto& [level, index] :
       merkle::CompactRange::FrontierNodes(static_cast<std::uint64_t>(size))) {
    NCBNET_ASSIGN_OR_RETURN(std::string hash, nodes(level, index));
    frontier.push_back(std::move(hash));
  }
  return merkle::CompactRange::FromFrontier(static_cast<std::uint64_t>(size), std::move(frontier));
}

Status Broken(std::int64_t seq, std::string_view what) {
  return Status::DataLoss("audit_chain_broken", "audit log: entry " + std::to_string(seq) + " " +
                                                    std::string(what) +
                                                    "; not sequenced; run `ncbnet audit verify`");
}

struct PendingNode {
  int level;
  std::int64_t index;
  std::string hash;
};

Status InsertNodes(store::Transaction& tx, const std::vector<PendingNode>& nodes) {
  for (std::size_t start = 0; start < nodes.size(); start += kNodesPerInsert) {
    const std::size_t end = std::min(nodes.size(), start + kNodesPerInsert);
    std::string sql = "INSERT INTO audit_tree_nodes (level, idx, hash) VALUES ";
    std::vector<store::Value> params;
    params.reserve((end - start) * 3);
    for (std::size_t i = start; i < end; ++i) {
      sql += i == start ? "(?, ?, ?)" : ", (?, ?, ?)";
      params.emplace_back(nodes[i].level);
      params.emplace_back(nodes[i].index);
      params.emplace_back(store::Blob{nodes[i].hash});
    }
    NCBNET_RETURN_IF_ERROR(tx.Exec(sql, params).status());
  }
  return Status::Ok();
}

// Adds the waiting entries to `range`, collecting the nodes they complete; checks each entry.
Status AddEntries(store::Transaction& tx, merkle::CompactRange& range, std::int64_t max_entries,
                  std::vector<PendingNode>& nodes) {
  const auto size = static_cast<std::int64_t>(range.size());
  // The last sequenced entry too (if any), to which the first new one must link.
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows,
                          tx.Query("SELECT " + std::string(internal::kEntryColumns) +
                                       " FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?",
                                   {std::max<std::int64_t>(size, 1), max_entries + 1}));
  std::string prev_hash(kGenesisHash);
  std::int64_t expected = std::max<std::int64_t>(size, 1);
  for (const store::Row& row : rows) {
    const std::optional<AuditEntry> e = internal::EntryFromRow(row);
    if (!e) return Broken(expected, "is malformed");
    if (e->seq != expected) return Broken(expected, "is missing");
    if (EntryHash(*e) != e->hash) return Broken(e->seq, "does not match its hash");
    if (e->seq <= size) {  // already a leaf: check it still is the entry the tree holds
      NCBNET_ASSIGN_OR_RETURN(std::string leaf, StoredNodes(tx)(0, e->seq - 1));
      if (leaf != LeafHashOfEntry(e->hash)) return Broken(e->seq, "is not the tree's leaf");
    } else {
      if (e->prev_hash != prev_hash) return Broken(e->seq, "does not link to the one before");
      range.Append(LeafHashOfEntry(e->hash),
                   [&](int level, std::uint64_t index, const std::string& hash) {
                     nodes.push_back({level, static_cast<std::int64_t>(index), hash});
                   });
    }
    prev_hash = e->hash;
    expected = e->seq + 1;
  }
  return Status::Ok();
}

}  // namespace

std::string KeyId(std::string_view public_key) {
  return crypto::Sha256Hex(public_key).substr(0, 16);
}

std::string TreeHeadMessage(const TreeHead& head) {
  return "ncbnet-audit-tree-head-v1\n" + head.key_id + "\n" + std::to_string(head.tree_size) +
         "\n" + head.root_hash + "\n" + std::to_string(head.timestamp_ms) + "\n";
}

std::string CosignatureMessage(const TreeHead& head, std::int64_t timestamp_ms) {
  return "ncbnet-audit-cosignature-v1\n" + std::to_string(timestamp_ms) + "\n" +
         TreeHeadMessage(head);
}

bool TreeHeadSignatureValid(const TreeHead& head, std::string_view public_key) {
  if (public_key.size() != 32 || head.key_id != KeyId(public_key)) return false;
  const Result<std::string> signature = crypto::HexDecode(head.signature);
  return signature.ok() && signature->size() == 64 &&
         crypto::VerifySignature(public_key, TreeHeadMessage(head), *signature);
}

bool CosignatureValid(const TreeHead& head, const Cosignature& cosignature) {
  const Result<std::string> key = crypto::HexDecode(cosignature.witness_key);
  const Result<std::string> signature = crypto::HexDecode(cosignature.signature);
  return key.ok() && key->size() == 32 && signature.ok() && signature->size() == 64 &&
         crypto::VerifySignature(*key, CosignatureMessage(head, cosignature.timestamp_ms),
                                 *signature);
}

std::string LeafHashOfEntry(std::string_view entry_hash_hex) {
  if (entry_hash_hex.size() != 64) return "";
  const Result<std::string> raw = crypto::HexDecode(entry_hash_hex);
  return raw.ok() ? merkle::LeafHash(*raw) : "";
}

Result<Sequenced> SequenceBatch(store::Store& store, const crypto::SigningKey& key,
                                std::int64_t now_ms, std::int64_t max_entries) {
  // Everything but the inserts runs in a read snapshot, off the store's single writer: reading
  // and checking the entries, hashing the tree, signing the head. Entries never change once
  // committed, so the write only checks that no other node extended the tree meanwhile.
  std::int64_t before = 0;
  merkle::CompactRange range;
  std::vector<PendingNode> nodes;
  NCBNET_RETURN_IF_ERROR(store.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(before, StoredTreeSize(tx));
    // Most rounds find nothing to do; they cost two indexed reads.
    NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> last,
                            tx.QueryOne("SELECT COALESCE(MAX(seq), 0) FROM audit_log"));
    if ((*last)[0].AsInt() <= before) return Status::Ok();
    NCBNET_ASSIGN_OR_RETURN(range, LoadRange(tx, before));
    return AddEntries(tx, range, max_entries, nodes);
  }));
  const auto after = static_cast<std::int64_t>(range.size());
  if (after <= before) return Sequenced{0, before};
  TreeHead head{after, crypto::HexEncode(range.Root()), now_ms, KeyId(key.public_key()), "", {}};
  head.signature = crypto::HexEncode(key.Sign(TreeHeadMessage(head)));
  std::int64_t stored_size = 0;
  NCBNET_RETURN_IF_ERROR(store.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(stored_size, StoredTreeSize(tx));
    if (stored_size != before) return Status::Ok();  // another node sequenced them first
    NCBNET_RETURN_IF_ERROR(InsertNodes(tx, nodes));
    return tx
        .Exec(
            "INSERT INTO audit_tree_heads (tree_size, root_hash, time_ms, key_id, signature)"
            " VALUES (?, ?, ?, ?, ?)",
            {head.tree_size, head.root_hash, head.timestamp_ms, head.key_id, head.signature})
        .status();
  }));
  if (stored_size != before) return Sequenced{0, stored_size};
  return Sequenced{after - before, after};
}

Result<std::optional<TreeHead>> LatestTreeHead(store::Transaction& tx) {
  return HeadFromQuery(
      tx, "SELECT " + std::string(kHeadColumns) + " ORDER BY tree_size DESC LIMIT 1", {});
}

Result<std::optional<TreeHead>> TreeHeadOfSize(store::Transaction& tx, std::int64_t tree_size) {
  return HeadFromQuery(tx, "SELECT " + std::string(kHeadColumns) + " WHERE tree_size = ?",
                       {tree_size});
}

Result<std::vector<std::string>> InclusionPath(store::Transaction& tx, std::int64_t leaf_index,
                                               std::int64_t tree_size) {
  if (leaf_index < 0 || tree_size < 1) {
    return Status::InvalidArgument("invalid_range", "need 0 <= leaf index < tree size");
  }
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<std::string> path,
      merkle::InclusionPath(StoredNodes(tx), static_cast<std::uint64_t>(leaf_index),
                            static_cast<std::uint64_t>(tree_size)));
  return ToHex(path);
}

Result<std::vector<std::string>> ConsistencyPath(store::Transaction& tx, std::int64_t first,
                                                 std::int64_t second) {
  if (first < 1 || second < 1) {
    return Status::InvalidArgument("invalid_range", "need 1 <= first <= second");
  }
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<std::string> path,
      merkle::ConsistencyPath(StoredNodes(tx), static_cast<std::uint64_t>(first),
                              static_cast<std::uint64_t>(second)));
  return ToHex(path);
}

Status AddCosignature(store::Transaction& tx, std::int64_t tree_size,
                      const Cosignature& cosignature) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<TreeHead> head, TreeHeadOfSize(tx, tree_size));
  if (!head) {
    return Status::NotFound("tree_head_not_found",
                            "no tree head of size " + std::to_string(tree_size));
  }
  if (!CosignatureValid(*head, cosignature)) {
    return Status::InvalidArgument("invalid_cosignature",
                                   "the signature is not the witness key's over this head");
  }
  const bool known =
      std::any_of(head->cosignatures.begin(), head->cosignatures.end(),
                  [&](const Cosignature& c) { return c.witness_key == cosignature.witness_key; });
  if (!known && head->cosignatures.size() >= kMaxCosignatures) {
    return Status::ResourceExhausted("too_many_cosignatures",
                                     "this head already carries 32 cosignatures");
  }
  return tx
      .Exec(
          "INSERT INTO audit_cosignatures (tree_size, witness_key, time_ms, signature)"
          " VALUES (?, ?, ?, ?) ON CONFLICT (tree_size, witness_key) DO UPDATE SET"
          " time_ms = excluded.time_ms, signature = excluded.signature",
          {tree_size, cosignature.witness_key, cosignature.timestamp_ms, cosignature.signature})
      .status();
}

Result<TreeCheck> CheckTree(store::Store& store, std::string_view hub_public_key) {
  TreeCheck check;
  NCBNET_RETURN_IF_ERROR(store.Read([&](store::Transaction& tx) -> Status {
    merkle::CompactRange range;
    std::int64_t after_size = 0;  // heads checked up to this size
    for (;;) {
      NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> heads,
                              tx.Query("SELECT " + std::string(kHeadColumns) +
                                           " WHERE tree_size > ? ORDER BY tree_size LIMIT ?",
                                       {after_size, kCheckPage}));
      if (heads.empty()) return Status::Ok();
      for (const store::Row& r : heads) {
        const TreeHead head{r[0].AsInt(),  r[1].AsText(), r[2].AsInt(),
                            r[3].AsText(), r[4].AsText(), {}};
        check.tree_size = head.tree_size;
        after_size = head.tree_size;
        if (!TreeHeadSignatureValid(head, hub_public_key)) {
          check = {false, head.tree_size, "tree_head_signature_invalid",
                   "the head of size " + std::to_string(head.tree_size) + " is not signed"};
          return Status::Ok();
        }
        NCBNET_ASSIGN_OR_RETURN(
            std::vector<store::Row> hashes,
            tx.Query("SELECT seq, hash FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq",
                     {static_cast<std::int64_t>(range.size()), head.tree_size}));
        for (const store::Row& h : hashes) {
          if (h[0].AsInt() != static_cast<std::int64_t>(range.size()) + 1) break;
          range.Append(LeafHashOfEntry(h[1].AsText()),
                       [](int, std::uint64_t, const std::string&) {});
        }
        if (static_cast<std::int64_t>(range.size()) != head.tree_size ||
            crypto::HexEncode(range.Root()) != head.root_hash) {
          check = {false, head.tree_size, "tree_mismatch",
                   "the entries up to " + std::to_string(head.tree_size) +
                       " do not give the root the hub signed at that size"};
          return Status::Ok();
        }
      }
    }
  }));
  return check;
}

}  // namespace ncbnet::audit
