#include "replica/hub_keys.h"

#include "crypto/hash.h"
#include "crypto/kdf.h"

namespace ncbnet::replica {

Result<crypto::SigningKey> ReplicaSigningKey(std::string_view data_key) {
  NCBNET_ASSIGN_OR_RETURN(std::string seed, crypto::DeriveSubkey(data_key, "ncbn-rps", 1, 32));
  return crypto::SigningKey::FromSeed(seed);
}

Result<std::string> ReplicaHashKey(std::string_view data_key, std::string_view replica_id) {
  NCBNET_ASSIGN_OR_RETURN(std::string master, crypto::DeriveSubkey(data_key, "ncbn-rpk", 1, 32));
  // An HMAC, not crypto_kdf's integer subkey id, because replica ids are strings.
  return crypto::HmacSha256(master, "ncbnet-replica-hash-key-v1\n" + std::string(replica_id));
}

std::string NetworkIdOf(std::string_view hub_signing_public_key) {
  return "net-" + crypto::Sha256Hex("ncbnet-network-id-v1\n" + std::string(hub_signing_public_key))
                      .substr(0, 16);
}

}  // namespace ncbnet::replica
