#include "access/sessions.h"

#include "access/grants.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace ncbnet::access {
namespace {

constexpr std::string_view kTokenPrefix = "ncb_";
constexpr std::size_t kTokenBytes = 32;

}  // namespace

Result<NewSession> OpenSession(store::Transaction& tx, std::string_view user_id,
                               std::string_view agency_id, std::int64_t now_ms,
                               std::int64_t ttl_ms) {
  NewSession s;
  s.token = std::string(kTokenPrefix) + crypto::Base64UrlEncode(crypto::RandomBytes(kTokenBytes));
  s.expires_ms = now_ms + ttl_ms;
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO sessions (token_hash, user_id, agency_id, created_ms, expires_ms, "
              "last_used_ms) VALUES (?, ?, ?, ?, ?, ?)",
              {crypto::Sha256Hex(s.token), user_id, agency_id, now_ms, s.expires_ms, now_ms})
          .status());
  return s;
}

Result<Principal> ResolveSession(store::Transaction& tx, std::string_view token,
                                 std::int64_t now_ms, std::int64_t idle_ms) {
  const Status invalid = Status::Unauthenticated("invalid_token", "invalid bearer token");
  // Tokens have a fixed shape; refuse anything else before touching the store.
  if (token.size() != kTokenPrefix.size() + 43 || token.substr(0, 4) != kTokenPrefix) {
    return invalid;
  }
  const std::string token_hash = crypto::Sha256Hex(token);
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT s.user_id, s.agency_id, s.expires_ms, s.revoked_ms, u.name, "
                  "u.disabled_ms, a.disabled_ms, s.last_used_ms, s.created_ms FROM sessions s "
                  "JOIN users u ON u.id = s.user_id JOIN agencies a ON a.id = s.agency_id "
                  "WHERE s.token_hash = ?",
                  {token_hash}));
  if (!row) return invalid;
  const store::Row& r = *row;
  if (!r[3].is_null() || !r[5].is_null() || !r[6].is_null()) {
    return Status::Unauthenticated("token_revoked", "the session was revoked");
  }
  if (r[2].AsInt() <= now_ms) {
    return Status::Unauthenticated("token_expired", "the session expired; log in again");
  }
  // Sessions opened before the idle timer existed count from their creation.
  const std::int64_t last_used = r[7].AsInt() > 0 ? r[7].AsInt() : r[8].AsInt();
  if (last_used + idle_ms <= now_ms) {
    return Status::Unauthenticated("session_idle",
                                   "the session was left idle too long; log in again");
  }
  Principal p;
  p.user_id = r[0].AsText();
  p.agency_id = r[1].AsText();
  p.user_name = r[4].AsText();
  p.method = AuthMethod::kSession;
  p.session_token_hash = token_hash;
  p.session_expires_ms = r[2].AsInt();
  p.session_idle_end_ms = last_used + idle_ms;
  NCBNET_ASSIGN_OR_RETURN(p.capabilities, LiveCapabilities(tx, p.agency_id, now_ms));
  return p;
}

Status TouchSession(store::Transaction& tx, std::string_view token_hash, std::int64_t now_ms) {
  return tx
      .Exec("UPDATE sessions SET last_used_ms = ? WHERE token_hash = ? AND last_used_ms < ?",
            {now_ms, token_hash, now_ms})
      .status();
}

Status RevokeSession(store::Transaction& tx, std::string_view token_hash, std::int64_t now_ms) {
  return tx
      .Exec("UPDATE sessions SET revoked_ms = ? WHERE token_hash = ? AND revoked_ms IS NULL",
            {now_ms, token_hash})
      .status();
}

}  // namespace ncbnet::access
