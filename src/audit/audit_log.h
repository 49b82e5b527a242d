// The audit log: an append-only, hash-linked record of every access and change, stored in the
// tables audit_log and audit_head (store/migrations.cc). Each entry carries the SHA-256 of its
// canonical encoding, which covers the previous entry's hash; the head row holds the last
// entry's seq and hash, signed with the hub's Ed25519 key, so that removing the newest entries
// is detected too. The byte format and what Verify() reports are specified in
// docs/audit-log-format.md, the document national auditors work from.
//
// Used by api/ (one entry per request, in the same transaction as the change it records) and
// by the `ncbnet audit` tools.
//
// Thread safety: free functions; the store serialises writes, so Append() calls in concurrent
// Write() transactions are ordered by the store.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "crypto/sign.h"
#include "store/day_counts.h"
#include "store/store.h"

namespace ncbnet::audit {

struct AuditEntry {
  std::int64_t seq = 0;
  std::int64_t time_ms = 0;
  std::string request_id, user_id, agency_id, source, action, object, outcome, prev_hash, hash;
};

// The prev_hash of the first entry: 64 '0' characters.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The canonical encoding of `entry` (docs/audit-log-format.md): for seq, time_ms (decimal),
// request_id, user_id, agency_id, source, action, object, outcome and prev_hash, in that order,
// "<byte length>:<bytes>\n". `entry.hash` is not part of it.
std::string CanonicalEncoding(const AuditEntry& entry);
// Sha256Hex(CanonicalEncoding(entry)): 64 lower-case hex characters.
std::string EntryHash(const AuditEntry& entry);
// The message the head signature covers: "ncbnet-audit-head\n<seq>\n<hash>".
std::string HeadMessage(std::int64_t seq, std::string_view hash);

// Anchors the log of a new network, in the transaction that creates it: writes the genesis
// head (seq 0, kGenesisHash) signed with `key`. From then on the log always has a signed head,
// so a log emptied together with its head is reported as wiped instead of starting a new chain
// (Append refuses; Verify reports `head_missing`). Errors: kAlreadyExists
// "audit_already_anchored" if the log has a head or entries; the store's errors.
Status Anchor(store::Transaction& tx, const crypto::SigningKey& key);

// Checks the committed end of the chain as the first Append of a commit does: the head exists
// and its signature verifies with `public_key`, and the last entry (if any) matches its own hash
// and is the entry the head names. Cheap (two rows, one memoised signature check); /healthz runs
// it. Errors: kDataLoss "audit_chain_broken" naming what is wrong; the store's errors.
Status CheckEnd(store::Transaction& tx, std::string_view public_key);

// Appends `entry` inside `tx` (the same transaction as the change it records): assigns
// seq = last + 1, prev_hash = the last hash (kGenesisHash for the first) and hash. Returns the
// stored entry; nothing is stored if `tx` does not commit. The audit_head row is signed with
// `key` once per commit, over the last entry it leaves (a store commit hook), so that entries
// appended by the writes of one group commit cost one signature in all.
//
// The first append of a commit checks that the last committed entry still matches its own
// hash and the head signed by `key` (seq, hash, signature), so a tampered end of the chain is
// never re-signed over; later appends of the same commit link to the entries it wrote. Errors:
// kDataLoss "audit_chain_broken" if that check fails, or if the log was never anchored (writes
// stop until an operator acts);
// the store's errors otherwise.
Result<AuditEntry> Append(store::Transaction& tx, const crypto::SigningKey& key, AuditEntry entry);

struct ListFilter {
  std::int64_t after_seq = 0;
  int limit = 100;                      // 1..kMaxListLimit; larger values are capped
  std::vector<std::string> agency_ids;  // empty: all agencies; at most kMaxListAgencies
};
inline constexpr int kMaxListLimit = 1000;
// An NCB may hold thousands of terminals; SQLite (32766) and PostgreSQL (65535) bind more.
inline constexpr std::size_t kMaxListAgencies = 10000;

// Entries with seq > after_seq (and agency_id in agency_ids, when given), ascending by seq.
// Errors: kInvalidArgument "invalid_filter" for limit < 1 or too many agencies; kDataLoss
// "audit_row_invalid" for a row of the wrong shape; the store's errors.
Result<std::vector<AuditEntry>> List(store::Transaction& tx, const ListFilter& filter);

struct VerifyReport {
  bool intact = true;
  std::int64_t entries = 0;  // rows in audit_log
  std::int64_t first_bad_seq = 0;
  // "" when intact; else "edited", "removed", "reordered", "truncated", "unsigned_entries" or
  // "head_signature_invalid", as defined in docs/audit-log-format.md.
  std::string problem;
  std::string detail;  // for operators; names seqs, never entry contents
};

// Walks the whole chain in seq order in one read snapshot and checks the head against
// `hub_public_key` (the 32 raw bytes of the hub's Ed25519 public key). Tampering is not an
// error: it is a report with intact = false, stopping at the first problem. Errors:
// kInvalidArgument "invalid_key" if the key is not 32 bytes; the store's errors.
Result<VerifyReport> Verify(store::Store& store, std::string_view hub_public_key);

// The number of entries.
Result<std::int64_t> Count(store::Transaction& tx);

// How many requests of `agency_id` with one of `actions` ("POST /v1/border-checks") answered
// "ok", per UTC day, from `since_ms` (the console's dashboard). The window's first entry is
// found by bisecting seq on time_ms (entries are appended in time order), then the agency's
// entries from there are read through its (agency_id, seq) index: no scan of older entries.
Result<std::vector<store::DayCount>> ActionsPerDay(store::Transaction& tx,
                                                   std::string_view agency_id,
                                                   const std::vector<std::string>& actions,
                                                   std::int64_t since_ms);

// Whether some entry records `action`. Reads the whole log (no index on action): for rare,
// one-time questions at startup only.
Result<bool> HasAction(store::Transaction& tx, std::string_view action);

}  // namespace ncbnet::audit
