// Access entries: each NCB's view of who accessed its data (docs/audit-log-format.md, "Each
// NCB's accesses"). A request that touches records of an NCB (a check that matched them, even
// when restrictions answered "absent"; a read; an export page; a replica package holding them)
// appends, after its own entry and in the same transaction, one more entry per access, whose
// `agency_id` is the owner's NCB: the party that may read it. They are ordinary entries, leaves
// of the Merkle tree like any other, so the owner holds an inclusion proof of each; the agency
// that made the request never reads them (entries are listed by agency), so it learns nothing
// of a hidden match from its own log.
//
// An access entry: time_ms, request_id, user_id and source of the request's entry; agency_id
// the owner's NCB (access::NcbIdFor of its country); action "access <kind>"; object
// "<database> <record id or what was taken>; by <acting agency>"; outcome "shown", or "hidden"
// for a match the checker was answered "absent" for.
//
// Thread safety: free functions on the caller's transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "core/status.h"
#include "crypto/sign.h"
#include "store/store.h"

namespace ncbnet::audit {

inline constexpr std::string_view kAccessCheck = "check";      // a match of a check or search
inline constexpr std::string_view kAccessRead = "read";        // a record or its versions read
inline constexpr std::string_view kAccessExport = "export";    // an export page of own records
inline constexpr std::string_view kAccessReplica = "replica";  // records in a replica package
// Every access entry's action starts with this.
inline constexpr std::string_view kAccessActionPrefix = "access ";

struct Access {
  std::string_view kind;     // one of the kinds above
  std::string owner_agency;  // the NCB whose data it is
  std::string database;
  std::string what;             // a record id, or what a package or page held
  bool hidden = false;          // a match the checker was answered "absent" for
  std::int64_t record_ref = 0;  // a hidden match's record, whose id the caller fills into `what`
};

// The access entries of `owner_agencies` (NCB ids; at most kMaxListAgencies) with seq >
// `after_seq`, ascending, at most `limit` (1..kMaxListLimit). Each (agency, kind) is read
// through the (agency_id, action, seq) index up to `limit` rows, so the work is bounded by the
// number of agencies times the kinds times `limit`, however long the log. Errors: kInvalidArgument
// "invalid_filter"; kDataLoss "audit_row_invalid"; the store's errors.
Result<std::vector<AuditEntry>> ListAccesses(store::Transaction& tx,
                                             const std::vector<std::string>& owner_agencies,
                                             std::int64_t after_seq, int limit);

// Appends one access entry per access after `request` (the request's own entry, already
// appended in `tx`). Errors: Append's.
Status AppendAccesses(store::Transaction& tx, const crypto::SigningKey& key,
                      const AuditEntry& request, const std::vector<Access>& accesses);

}  // namespace ncbnet::audit
