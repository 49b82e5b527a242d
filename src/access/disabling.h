// Disabling an agency or a user. Disabling is final (there is no re-enable: a new agency or
// user is created instead), takes effect on the very next request, since every request
// resolves its principal from the store (sessions.h, certificates.h), and leaves every row in
// place for the audit trail.
//
// Disabling agency X, in one transaction, marks X and every agency below it disabled, disables
// their users, revokes their open sessions and their certificates, and revokes the grants they
// hold (which, since grants only flow down, is the whole cascade of those grants).
//
// Functions work inside a caller's store transaction.
#pragma once

#include <cstdint>
#include <string_view>

#include "access/agencies.h"
#include "access/users.h"
#include "core/status.h"
#include "store/store.h"

namespace ncbnet::access {

// What a disabling changed now (rows already disabled or revoked are not counted).
struct DisableSummary {
  std::int64_t agencies = 0;
  std::int64_t users = 0;
  std::int64_t sessions = 0;
  std::int64_t certificates = 0;
  std::int64_t grants = 0;
};

struct DisabledAgency {
  Agency agency;  // as it now is
  DisableSummary summary;
};

// Disables `agency_id` and its branch on behalf of `actor_agency`. The agency must lie strictly
// below the actor's: errors kNotFound "agency_not_found" (absent or outside the actor's
// branch), kPermissionDenied "self_disable" (the actor's own agency). Disabling a disabled
// agency changes nothing and succeeds.
Result<DisabledAgency> DisableAgency(store::Transaction& tx, std::string_view actor_agency,
                                     std::string_view agency_id, std::int64_t now_ms);

// Disables user `user_id` and revokes the user's sessions, on behalf of `actor_user` of
// `actor_agency`. The user's agency must lie in the actor's branch (the actor's own agency
// included). Errors: kNotFound "user_not_found" (absent or outside the branch),
// kPermissionDenied "self_disable" (the actor). Disabling a disabled user succeeds.
Result<User> DisableUser(store::Transaction& tx, std::string_view actor_agency,
                         std::string_view actor_user, std::string_view user_id,
                         std::int64_t now_ms);

}  // namespace ncbnet::access
