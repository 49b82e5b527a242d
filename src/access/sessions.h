// Bearer sessions. A token is 32 random bytes, base64url, prefixed "ncb_"; the store keeps
// only its SHA-256, so a copy of the database does not hand out sessions. Sessions expire,
// can be revoked, and are bound to the user's agency at login.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "access/principal.h"
#include "core/status.h"
#include "store/store.h"

namespace ncbnet::access {

struct NewSession {
  std::string token;  // secret: give to the client once, never log
  std::int64_t expires_ms = 0;
};

Result<NewSession> OpenSession(store::Transaction& tx, std::string_view user_id,
                               std::string_view agency_id, std::int64_t now_ms,
                               std::int64_t ttl_ms);

// The principal behind `token`, with its agency's live capabilities. A session ends at its
// fixed expiry, or `idle_ms` after it was last used (TouchSession). Errors (all
// kUnauthenticated): "invalid_token", "token_expired", "session_idle", "token_revoked" (also for
// a disabled user or agency).
Result<Principal> ResolveSession(store::Transaction& tx, std::string_view token,
                                 std::int64_t now_ms, std::int64_t idle_ms);

// Records that the session of `token_hash` was used at `now_ms`: its idle time starts again.
Status TouchSession(store::Transaction& tx, std::string_view token_hash, std::int64_t now_ms);

Status RevokeSession(store::Transaction& tx, std::string_view token_hash, std::int64_t now_ms);

}  // namespace ncbnet::access
