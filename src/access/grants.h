// Grants: which capabilities an agency holds, and how they flow down the agency tree.
//
// Rules (issue: foundation, DESIGN.md "Identity and access"):
// - The GS holds root grants (no parent). Every other grant derives from a live grant of the
//   same capability held by the grantor's agency: a grant is always a subset of the grantor's.
// - A grant goes only to an agency strictly below the grantor's in the tree: no agency raises
//   its own rights.
// - A grant may expire; it never outlives the grant it derives from (its expiry is clamped).
// - Revoking a grant revokes, in the same transaction, every grant derived from it.
// So a grant is live iff its own row is neither revoked nor expired.
//
// Functions work inside a caller's store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace ncbnet::access {

struct Grant {
  std::string id;
  std::string agency_id;
  std::string capability;
  std::optional<std::string> parent_id;
  std::optional<std::string> granted_by_agency;
  std::optional<std::string> granted_by_user;
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> expires_ms;
  std::optional<std::int64_t> revoked_ms;
};

// Who grants or revokes: an agency, and the user acting for it (empty for a system).
struct Grantor {
  std::string agency_id;
  std::string user_id;
};

// The capabilities `agency_id` holds live at `now_ms`.
Result<std::set<std::string, std::less<>>> LiveCapabilities(store::Transaction& tx,
                                                            std::string_view agency_id,
                                                            std::int64_t now_ms);

// A root grant for the GS; used when the network is created.
Result<Grant> InsertRootGrant(store::Transaction& tx, std::string_view capability,
                              std::int64_t now_ms);

// Grants `capability` to `agency_id` from `grantor`. Errors: kInvalidArgument
// "unknown_capability"; kNotFound "agency_not_found" (absent or outside the grantor's branch);
// kPermissionDenied "self_grant", "grant_exceeds_own"; kFailedPrecondition "agency_disabled".
Result<Grant> GrantCapability(store::Transaction& tx, const Grantor& grantor,
                              std::string_view agency_id, std::string_view capability,
                              std::optional<std::int64_t> expires_ms, std::int64_t now_ms);

// Revokes grant `grant_id` and everything derived from it; returns the ids revoked now
// (already revoked ones are left as they were). The grant must have been given by the
// grantor's agency or an agency below it, else kNotFound "grant_not_found".
Result<std::vector<std::string>> RevokeGrant(store::Transaction& tx, const Grantor& grantor,
                                             std::string_view grant_id, std::int64_t now_ms);

// Every grant held by `agency_id`, live or not, oldest first.
Result<std::vector<Grant>> ListGrants(store::Transaction& tx, std::string_view agency_id);

}  // namespace ncbnet::access
