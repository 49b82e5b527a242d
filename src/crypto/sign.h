// Ed25519 signatures (libsodium crypto_sign_detached) and key files.
//
// A key file holds the 32-byte seed as 64 hex characters and a newline; it is created with
// mode 0600 and never logged. The public key is derived from it.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace ncbnet::crypto {

class SigningKey {
 public:
  static SigningKey Generate();
  // Errors: kInvalidArgument "invalid_key" unless exactly 32 bytes.
  static Result<SigningKey> FromSeed(std::string_view seed);

  // Errors: kNotFound, kInvalidArgument "invalid_key_file", kFailedPrecondition
  // "key_file_permissions" if group or others may read it.
  static Result<SigningKey> LoadFile(const std::string& path);
  // Creates `path` with mode 0600; fails with kAlreadyExists rather than overwrite.
  Status SaveFile(const std::string& path) const;

  const std::string& public_key() const { return public_key_; }  // 32 bytes
  std::string Sign(std::string_view message) const;              // 64 bytes

 private:
  SigningKey() = default;
  std::string secret_key_;  // 64 bytes (libsodium's seed || public key)
  std::string public_key_;
};

// True iff `signature` (64 bytes) is `public_key`'s (32 bytes) signature of `message`.
bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature);

}  // namespace ncbnet::crypto
