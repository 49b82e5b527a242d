// The hub's keys for offline replicas (docs/replica-format.md, "Keys"), all derived from the
// hub's data key so that no new key file needs guarding:
// - the replica signing key (Ed25519) that signs every package; its public half is given at
//   enrolment and pinned by the replica;
// - each replica's hash key, under which its entries' identifiers are hashed: one per replica
//   id, so that one lost laptop's key neither helps with another replica nor outlives the
//   replica's revocation on the hub;
// - the network id every package is bound to, derived from the network's audit public key.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/sign.h"

namespace ncbnet::replica {

// Errors (all): kInvalidArgument "invalid_kdf_input" if `data_key` is not 32 bytes.
Result<crypto::SigningKey> ReplicaSigningKey(std::string_view data_key);
Result<std::string> ReplicaHashKey(std::string_view data_key, std::string_view replica_id);

// "net-" and 16 hex characters of SHA-256 over a tag and the network's audit public key (as
// stored in meta.hub_signing_public_key): stable for the network's life, different between
// networks.
std::string NetworkIdOf(std::string_view hub_signing_public_key);

}  // namespace ncbnet::replica
