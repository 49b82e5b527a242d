#include "crypto/hash.h"

#include <openssl/evp.h>
#include <sodium.h>

#include "core/check.h"
#include "crypto/encoding.h"
#include "crypto/internal/sodium.h"

namespace ncbnet::crypto {

namespace {

constexpr std::size_t kSha256Bytes = 32;

// OpenSSL's SHA-256 uses the CPU's SHA extensions where it has them: several times faster than
// libsodium's portable code on the hub's hot paths (content hashes, attachments, index files).
const EVP_MD* Sha256Md() {
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  NCBNET_CHECK(md != nullptr, "OpenSSL has no SHA-256");
  return md;
}

}  // namespace

std::string Sha256(std::string_view data) {
  std::string digest(kSha256Bytes, '\0');
  unsigned int length = 0;
  const int ok =
      EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(digest.data()), &length,
                 Sha256Md(), nullptr);
  NCBNET_CHECK(ok == 1 && length == kSha256Bytes, "SHA-256 failed (out of memory)");
  return digest;
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

struct Sha256Stream::State {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~State() { EVP_MD_CTX_free(ctx); }
};

Sha256Stream::Sha256Stream() : state_(std::make_unique<State>()) {
  NCBNET_CHECK(state_->ctx != nullptr && EVP_DigestInit_ex(state_->ctx, Sha256Md(), nullptr) == 1,
               "SHA-256 failed (out of memory)");
}

Sha256Stream::~Sha256Stream() = default;

void Sha256Stream::Update(std::string_view data) {
  NCBNET_CHECK(EVP_DigestUpdate(state_->ctx, data.data(), data.size()) == 1, "SHA-256 failed");
}

std::string Sha256Stream::FinishHex() {
  std::string digest(kSha256Bytes, '\0');
  unsigned int length = 0;
  NCBNET_CHECK(EVP_DigestFinal_ex(state_->ctx, reinterpret_cast<unsigned char*>(digest.data()),
                                  &length) == 1 &&
                   length == kSha256Bytes,
               "SHA-256 failed");
  return HexEncode(digest);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Lengths of MACs and tokens are public; only the contents must not leak through timing.
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  internal::EnsureSodiumInitialized();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace ncbnet::crypto
