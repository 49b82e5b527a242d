#include "crypto/kdf.h"

#include <sodium.h>

#include "crypto/internal/sodium.h"

namespace ncbnet::crypto {

Result<std::string> DeriveSubkey(std::string_view master_key, std::string_view context,
                                 std::uint64_t subkey_id, std::size_t length) {
  static_assert(crypto_kdf_KEYBYTES == kKdfMasterKeyBytes);
  static_assert(crypto_kdf_CONTEXTBYTES == kKdfContextBytes);
  if (master_key.size() != kKdfMasterKeyBytes || context.size() != kKdfContextBytes ||
      length < crypto_kdf_BYTES_MIN || length > crypto_kdf_BYTES_MAX) {
    return Status::InvalidArgument("invalid_kdf_input",
                                   "KDF needs a 32-byte key, an 8-byte context, 16..64 bytes out");
  }
  internal::EnsureSodiumInitialized();
  std::string subkey(length, '\0');
  // crypto_kdf_derive_from_key reads exactly crypto_kdf_CONTEXTBYTES of the context.
  const std::string ctx(context);
  if (crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(subkey.data()), length, subkey_id,
                                 ctx.c_str(),
                                 reinterpret_cast<const unsigned char*>(master_key.data())) != 0) {
    return Status::Internal("kdf_failed", "crypto_kdf_derive_from_key failed");
  }
  return subkey;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  internal::EnsureSodiumInitialized();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size());
  std::string tag(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(tag.data()));
  sodium_memzero(&state, sizeof state);
  return tag;
}

}  // namespace ncbnet::crypto
