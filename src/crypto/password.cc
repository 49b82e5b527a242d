#include "crypto/password.h"

#include <array>

#include <sodium.h>

#include "core/check.h"
#include "crypto/internal/sodium.h"
#include "crypto/random.h"

namespace ncbnet::crypto {

namespace {

// Longer passwords buy nothing and would let a client make us hash megabytes per request.
constexpr std::size_t kMaxPasswordBytes = 1024;

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  if (password.size() > kMaxPasswordBytes) {
    return Status::InvalidArgument("password_too_long", "password is longer than 1024 bytes");
  }
  internal::EnsureSodiumInitialized();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::ResourceExhausted("out_of_memory", "not enough memory to hash a password");
  }
  return std::string(out.data());  // libsodium NUL-terminates within STRBYTES
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  // crypto_pwhash_str_verify reads a NUL-terminated string; an embedded NUL or an over-long
  // string cannot be one of our hashes, so refuse it before it reaches libsodium.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES ||
      hash.find('\0') != std::string_view::npos) {
    return false;
  }
  if (password.size() > kMaxPasswordBytes) return false;
  internal::EnsureSodiumInitialized();
  const std::string hash_str(hash);  // NUL-terminated copy
  return crypto_pwhash_str_verify(hash_str.c_str(), password.data(), password.size()) == 0;
}

const std::string& DummyPasswordHash() {
  static const std::string* const kHash = [] {
    Result<std::string> hash = HashPassword(RandomBytes(32));
    NCBNET_CHECK(hash.ok(), "cannot compute the dummy password hash");
    return new std::string(std::move(hash).value());
  }();
  return *kHash;
}

}  // namespace ncbnet::crypto
