// Authenticated encryption for data at rest: XChaCha20-Poly1305 (libsodium
// crypto_aead_xchacha20poly1305_ietf), with a random 24-byte nonce per call, so a key can seal
// any number of values without nonce bookkeeping.
//
// Sealed form: nonce (24 bytes) || ciphertext || tag (16 bytes). `associated` binds a
// ciphertext to its context (e.g. the message id and field name): opening it elsewhere fails.
//
// Thread safety: every function may be called concurrently.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ncbnet::crypto {

inline constexpr std::size_t kAeadKeyBytes = 32;
inline constexpr std::size_t kAeadNonceBytes = 24;
inline constexpr std::size_t kAeadTagBytes = 16;

// Encrypts `plaintext` under `key32` (exactly 32 bytes). Returns nonce || ciphertext || tag.
// Errors: kInvalidArgument "invalid_key" when the key is not 32 bytes.
Result<std::string> Seal(std::string_view key32, std::string_view plaintext,
                         std::string_view associated);

// Decrypts what Seal() returned. Errors: kInvalidArgument "invalid_key"; kDataLoss
// "decrypt_failed" when `sealed` is too short, or was altered, or the key or `associated`
// differ from those it was sealed with.
Result<std::string> Open(std::string_view key32, std::string_view sealed,
                         std::string_view associated);

}  // namespace ncbnet::crypto
