// The network's key directory: each agency's Ed25519 public keys, with which the hub and any
// recipient verify the signatures of the messages it sends (docs/message-format.md). The
// private keys stay on the agencies' own machines; the hub holds only public keys.
//
// A key is never deleted: a revoked key signs no new message, but messages signed before its
// revocation still verify. Functions work inside a caller's store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace ncbnet::access {

struct AgencyKey {
  std::string key_id;  // KeyIdFor(public_key)
  std::string agency_id;
  std::string public_key;  // 32 raw bytes
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> revoked_ms;
};

// "ed25519:" + the first 32 hex characters of the SHA-256 of `public_key`.
std::string KeyIdFor(std::string_view public_key);

// Registers `public_key` for `agency_id`, which must lie in `actor_agency`'s branch (else
// kNotFound "agency_not_found": outside one's branch looks like absent). Errors:
// kInvalidArgument "invalid_key" unless it is 32 bytes encoding a valid Ed25519 point (not of
// small order); kAlreadyExists "key_exists" if the key is already registered (to any agency).
Result<AgencyKey> RegisterAgencyKey(store::Transaction& tx, std::string_view actor_agency,
                                    std::string_view agency_id, std::string_view public_key,
                                    std::int64_t now_ms);

// Revokes key `key_id`, whose agency must lie in `actor_agency`'s branch (else kNotFound
// "key_not_found", as for an absent key). Revoking a revoked key changes nothing. Returns the
// key as it is now.
Result<AgencyKey> RevokeAgencyKey(store::Transaction& tx, std::string_view actor_agency,
                                  std::string_view key_id, std::int64_t now_ms);

Result<std::optional<AgencyKey>> FindAgencyKey(store::Transaction& tx, std::string_view key_id);

// Every key of the network, revoked ones included, oldest first.
Result<std::vector<AgencyKey>> ListAgencyKeys(store::Transaction& tx);

}  // namespace ncbnet::access
