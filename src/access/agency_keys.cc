#include "access/agency_keys.h"

#include <sodium.h>

#include "access/agencies.h"
#include "crypto/hash.h"

namespace ncbnet::access {
namespace {

constexpr std::string_view kKeyColumns = "key_id, agency_id, public_key, created_ms, revoked_ms";
constexpr std::size_t kPublicKeyBytes = 32;
constexpr std::size_t kKeyIdHexChars = 32;

AgencyKey KeyFromRow(const store::Row& row) {
  AgencyKey k;
  k.key_id = row[0].AsText();
  k.agency_id = row[1].AsText();
  k.public_key = row[2].AsText();
  k.created_ms = row[3].AsInt();
  k.revoked_ms = row[4].AsOptionalInt();
  return k;
}

// A valid point in canonical encoding, not of small order: such keys (all zeros, say) would
// let anyone forge signatures that verify.
bool IsValidPublicKey(std::string_view key) {
  static_assert(kPublicKeyBytes == crypto_sign_PUBLICKEYBYTES);
  if (key.size() != kPublicKeyBytes) return false;
  return crypto_core_ed25519_is_valid_point(reinterpret_cast<const unsigned char*>(key.data())) ==
         1;
}

}  // namespace

std::string KeyIdFor(std::string_view public_key) {
  return "ed25519:" + crypto::Sha256Hex(public_key).substr(0, kKeyIdHexChars);
}

Result<AgencyKey> RegisterAgencyKey(store::Transaction& tx, std::string_view actor_agency,
                                    std::string_view agency_id, std::string_view public_key,
                                    std::int64_t now_ms) {
  const Status not_found = Status::NotFound("agency_not_found", "no such agency");
  NCBNET_ASSIGN_OR_RETURN(std::optional<Agency> agency, FindAgency(tx, agency_id));
  if (!agency) return not_found;
  NCBNET_ASSIGN_OR_RETURN(bool visible, IsInBranch(tx, actor_agency, agency_id));
  if (!visible) return not_found;
  // KeyIdFor first: it initialises libsodium, which the point check below relies on.
  AgencyKey key{KeyIdFor(public_key), std::string(agency_id), std::string(public_key), now_ms,
                std::nullopt};
  if (!IsValidPublicKey(public_key)) {
    return Status::InvalidArgument("invalid_key", "public key must be a 32-byte Ed25519 key");
  }
  auto r = tx.Exec(
      "INSERT INTO agency_keys (key_id, agency_id, public_key, created_ms, revoked_ms) "
      "VALUES (?, ?, ?, ?, NULL)",
      {key.key_id, key.agency_id, store::Blob{key.public_key}, key.created_ms});
  if (!r.ok() && r.status().code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("key_exists", "key " + key.key_id + " is already registered");
  }
  if (!r.ok()) return r.status();
  return key;
}

Result<AgencyKey> RevokeAgencyKey(store::Transaction& tx, std::string_view actor_agency,
                                  std::string_view key_id, std::int64_t now_ms) {
  const Status not_found = Status::NotFound("key_not_found", "no such key");
  NCBNET_ASSIGN_OR_RETURN(std::optional<AgencyKey> key, FindAgencyKey(tx, key_id));
  if (!key) return not_found;
  NCBNET_ASSIGN_OR_RETURN(bool visible, IsInBranch(tx, actor_agency, key->agency_id));
  if (!visible) return not_found;
  if (key->revoked_ms) return *key;
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("UPDATE agency_keys SET revoked_ms = ? WHERE key_id = ? AND revoked_ms IS NULL",
              {now_ms, key->key_id})
          .status());
  key->revoked_ms = now_ms;
  return *key;
}

Result<std::optional<AgencyKey>> FindAgencyKey(store::Transaction& tx, std::string_view key_id) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT " + std::string(kKeyColumns) + " FROM agency_keys WHERE key_id = ?",
                  {key_id}));
  if (!row) return std::optional<AgencyKey>();
  return std::optional<AgencyKey>(KeyFromRow(*row));
}

Result<std::vector<AgencyKey>> ListAgencyKeys(store::Transaction& tx) {
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows,
                          tx.Query("SELECT " + std::string(kKeyColumns) +
                                   " FROM agency_keys ORDER BY created_ms, key_id"));
  std::vector<AgencyKey> out;
  out.reserve(rows.size());
  for (const store::Row& row : rows) out.push_back(KeyFromRow(row));
  return out;
}

}  // namespace ncbnet::access
