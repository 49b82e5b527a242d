// Reading audit_log and audit_head rows; shared by audit_log.cc and audit_verify.cc.
// Rows are untrusted (anyone with file access can change them): parsing never crashes and
// reports a malformed row instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "core/status.h"
#include "store/store.h"

namespace ncbnet::audit::internal {

// The audit_log columns in AuditEntry order, for SELECT lists.
inline constexpr std::string_view kEntryColumns =
    "seq, time_ms, request_id, user_id, agency_id, source, action, object, outcome, prev_hash, "
    "hash";

// The entry in `row` (selected with kEntryColumns), or nullopt unless it has two integers
// then nine texts.
std::optional<AuditEntry> EntryFromRow(const store::Row& row);

// Appends the entries of `rows` (selected with kEntryColumns) to `out`. Errors: kDataLoss
// "audit_row_invalid" at the first malformed row.
Status AppendEntriesFromRows(const std::vector<store::Row>& rows, std::vector<AuditEntry>& out);

struct Head {
  bool well_formed = false;  // integer seq, text hash and signature
  std::int64_t seq = 0;
  std::string hash;
  std::string signature_hex;
};

// The audit_head row (id = 1), or nullopt if there is none.
Result<std::optional<Head>> ReadHead(store::Transaction& tx);

// True iff `head` is well formed and its signature is `public_key`'s over HeadMessage().
bool HeadSignatureValid(const Head& head, std::string_view public_key);

}  // namespace ncbnet::audit::internal
