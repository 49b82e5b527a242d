#include "crypto/hash.h"

#include <sodium.h>

#include "crypto/encoding.h"
#include "crypto/internal/sodium.h"

namespace ncbnet::crypto {

std::string Sha256(std::string_view data) {
  internal::EnsureSodiumInitialized();
  std::string digest(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(digest.data()),
                     reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return digest;
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Lengths of MACs and tokens are public; only the contents must not leak through timing.
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  internal::EnsureSodiumInitialized();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace ncbnet::crypto
