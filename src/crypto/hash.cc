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

struct Sha256Stream::State {
  crypto_hash_sha256_state sodium;
};

Sha256Stream::Sha256Stream() : state_(std::make_unique<State>()) {
  internal::EnsureSodiumInitialized();
  crypto_hash_sha256_init(&state_->sodium);
}

Sha256Stream::~Sha256Stream() = default;

void Sha256Stream::Update(std::string_view data) {
  crypto_hash_sha256_update(&state_->sodium, reinterpret_cast<const unsigned char*>(data.data()),
                            data.size());
}

std::string Sha256Stream::FinishHex() {
  std::string digest(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256_final(&state_->sodium, reinterpret_cast<unsigned char*>(digest.data()));
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
