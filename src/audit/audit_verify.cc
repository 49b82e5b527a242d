// Verify(): the classification rules implemented here are specified, in the same order, in
// docs/audit-log-format.md ("What verify reports"). Change both together.
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "audit/audit_log.h"
#include "audit/audit_rows.h"

namespace ncbnet::audit {
namespace {

using internal::Head;

// Rows are read in pages, all in one snapshot, so memory stays flat for long logs.
constexpr int kPageSize = 1000;

struct Finding {
  std::int64_t seq = 0;
  std::string problem;
  std::string detail;
};

// What the walk has seen so far: the last entry that passed every check.
struct Walk {
  std::int64_t expected_seq = 1;
  std::string prev_hash = std::string(kGenesisHash);
  std::optional<std::string> hash_at_head_seq;
};

std::string Seq(std::int64_t seq) { return std::to_string(seq); }

Result<std::optional<std::int64_t>> FindSeq(store::Transaction& tx, const char* sql,
                                            const std::string& hash, std::int64_t except_seq) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> row, tx.QueryOne(sql, {hash, except_seq}));
  if (!row || row->empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>((*row)[0].AsInt());
}

// `entry` matches its hash and sits at the expected seq, but its prev_hash is not the hash of
// the entry before it. If either end of the broken link still exists elsewhere in the log, the
// entries are all there but in another order; otherwise an entry is missing.
Result<Finding> ClassifyBrokenLink(store::Transaction& tx, const AuditEntry& entry,
                                   const std::string& expected_prev) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<std::int64_t> predecessor,
      FindSeq(tx, "SELECT seq FROM audit_log WHERE hash = ? AND seq <> ? ORDER BY seq LIMIT 1",
              entry.prev_hash, entry.seq));
  if (predecessor) {
    return Finding{entry.seq, "reordered",
                   "entry " + Seq(entry.seq) + " links to entry " + Seq(*predecessor) +
                       " instead of entry " + Seq(entry.seq - 1)};
  }
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<std::int64_t> successor,
      FindSeq(tx, "SELECT seq FROM audit_log WHERE prev_hash = ? AND seq <> ? ORDER BY seq LIMIT 1",
              expected_prev, entry.seq));
  if (successor) {
    return Finding{
        entry.seq, "reordered",
        "the entry that followed entry " + Seq(entry.seq - 1) + " is now entry " + Seq(*successor)};
  }
  return Finding{entry.seq, "removed",
                 "entry " + Seq(entry.seq) +
                     " links to no entry in the log: its predecessor is "
                     "missing"};
}

// Checks one row against the walk so far; advances the walk if the row is sound.
Result<std::optional<Finding>> CheckRow(store::Transaction& tx, const store::Row& row,
                                        const std::optional<Head>& head, Walk& walk) {
  const std::optional<AuditEntry> entry = internal::EntryFromRow(row);
  if (!entry) {
    const std::int64_t seq = row.empty() ? 0 : row[0].AsInt();
    return std::optional<Finding>({seq, "edited", "entry " + Seq(seq) + " is malformed"});
  }
  if (entry->seq < walk.expected_seq) {  // only a seq below 1 can get here
    return std::optional<Finding>({entry->seq, "edited", "entry with a seq below 1"});
  }
  if (EntryHash(*entry) != entry->hash) {
    return std::optional<Finding>(
        {entry->seq, "edited", "entry " + Seq(entry->seq) + " does not match its hash"});
  }
  if (entry->seq > walk.expected_seq) {
    return std::optional<Finding>(
        {walk.expected_seq, "removed",
         "entries " + Seq(walk.expected_seq) + " to " + Seq(entry->seq - 1) + " are missing"});
  }
  if (entry->prev_hash != walk.prev_hash) {
    NCBNET_ASSIGN_OR_RETURN(Finding finding, ClassifyBrokenLink(tx, *entry, walk.prev_hash));
    return std::optional<Finding>(std::move(finding));
  }
  if (head && head->seq == entry->seq) walk.hash_at_head_seq = entry->hash;
  walk.expected_seq = entry->seq + 1;
  walk.prev_hash = entry->hash;
  return std::optional<Finding>();
}

Result<std::optional<Finding>> WalkChain(store::Transaction& tx, const std::optional<Head>& head,
                                         Walk& walk) {
  const std::string sql = "SELECT " + std::string(internal::kEntryColumns) +
                          " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?";
  std::int64_t after = std::numeric_limits<std::int64_t>::min();
  while (true) {
    NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows, tx.Query(sql, {after, kPageSize}));
    for (const store::Row& row : rows) {
      NCBNET_ASSIGN_OR_RETURN(std::optional<Finding> finding, CheckRow(tx, row, head, walk));
      if (finding) return finding;
      after = walk.expected_seq - 1;
    }
    if (rows.size() < static_cast<std::size_t>(kPageSize)) return std::optional<Finding>();
  }
}

// The chain from 1 to last_seq is sound; does it end where the signed head says?
std::optional<Finding> CheckHead(const std::optional<Head>& head, std::string_view public_key,
                                 const Walk& walk) {
  const std::int64_t last_seq = walk.expected_seq - 1;
  if (!head) {
    // Anchor() signs a head when the network is created, so no head means a wiped log too.
    if (last_seq == 0) {
      return Finding{0, "head_missing", "the log and its head are missing: the log was wiped"};
    }
    return Finding{0, "head_signature_invalid", "the head row is missing"};
  }
  if (!internal::HeadSignatureValid(*head, public_key)) {
    return Finding{head->well_formed ? head->seq : 0, "head_signature_invalid",
                   "the head signature does not verify with the hub's public key"};
  }
  if (head->seq > last_seq) {
    return Finding{last_seq + 1, "truncated",
                   "the chain ends at entry " + Seq(last_seq) +
                       " but the signed head names entry " + Seq(head->seq)};
  }
  // The genesis head (seq 0) of an anchored log names the genesis hash, not an entry.
  const std::optional<std::string> at_head_seq =
      head->seq == 0 ? std::optional<std::string>(kGenesisHash) : walk.hash_at_head_seq;
  if (at_head_seq != head->hash) {
    return Finding{head->seq, "truncated",
                   "entry " + Seq(head->seq) + " is not the entry the signed head names"};
  }
  if (head->seq < last_seq) {
    return Finding{
        head->seq + 1, "unsigned_entries",
        "entries " + Seq(head->seq + 1) + " to " + Seq(last_seq) + " follow the signed head"};
  }
  return std::nullopt;
}

}  // namespace

Result<VerifyReport> Verify(store::Store& store, std::string_view hub_public_key) {
  if (hub_public_key.size() != 32) {
    return Status::InvalidArgument("invalid_key", "the hub public key must be 32 bytes");
  }
  VerifyReport report;
  NCBNET_RETURN_IF_ERROR(store.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(report.entries, Count(tx));
    NCBNET_ASSIGN_OR_RETURN(const std::optional<Head> head, internal::ReadHead(tx));
    Walk walk;
    NCBNET_ASSIGN_OR_RETURN(std::optional<Finding> finding, WalkChain(tx, head, walk));
    if (!finding) finding = CheckHead(head, hub_public_key, walk);
    if (finding) {
      report.intact = false;
      report.first_bad_seq = finding->seq;
      report.problem = std::move(finding->problem);
      report.detail = std::move(finding->detail);
    }
    return Status::Ok();
  }));
  return report;
}

}  // namespace ncbnet::audit
