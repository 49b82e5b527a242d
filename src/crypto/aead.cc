#include "crypto/aead.h"

#include <sodium.h>

#include "crypto/internal/sodium.h"
#include "crypto/random.h"

namespace ncbnet::crypto {
namespace {

static_assert(kAeadKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kAeadNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kAeadTagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

Status InvalidKey() { return Status::InvalidArgument("invalid_key", "AEAD key must be 32 bytes"); }

}  // namespace

Result<std::string> Seal(std::string_view key32, std::string_view plaintext,
                         std::string_view associated) {
  if (key32.size() != kAeadKeyBytes) return InvalidKey();
  internal::EnsureSodiumInitialized();
  // 192-bit random nonces: collisions are negligible however many values one key seals.
  std::string out = RandomBytes(kAeadNonceBytes);
  out.resize(kAeadNonceBytes + plaintext.size() + kAeadTagBytes);
  unsigned long long written = 0;  // NOLINT(google-runtime-int): libsodium's type
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(out.data()) + kAeadNonceBytes, &written, Bytes(plaintext),
      plaintext.size(), Bytes(associated), associated.size(), nullptr, Bytes(out), Bytes(key32));
  out.resize(kAeadNonceBytes + static_cast<std::size_t>(written));
  return out;
}

Result<std::string> Open(std::string_view key32, std::string_view sealed,
                         std::string_view associated) {
  if (key32.size() != kAeadKeyBytes) return InvalidKey();
  const Status failed = Status::DataLoss("decrypt_failed", "sealed value failed to open");
  if (sealed.size() < kAeadNonceBytes + kAeadTagBytes) return failed;
  internal::EnsureSodiumInitialized();
  const std::string_view nonce = sealed.substr(0, kAeadNonceBytes);
  const std::string_view cipher = sealed.substr(kAeadNonceBytes);
  std::string plain(cipher.size() - kAeadTagBytes, '\0');
  unsigned long long written = 0;  // NOLINT(google-runtime-int): libsodium's type
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &written, nullptr, Bytes(cipher),
          cipher.size(), Bytes(associated), associated.size(), Bytes(nonce), Bytes(key32)) != 0) {
    return failed;
  }
  plain.resize(static_cast<std::size_t>(written));
  return plain;
}

}  // namespace ncbnet::crypto
