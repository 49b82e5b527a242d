#include "crypto/random.h"

#include <sodium.h>

#include "core/check.h"
#include "crypto/encoding.h"
#include "crypto/internal/sodium.h"

namespace ncbnet::crypto {

namespace internal {

void EnsureSodiumInitialized() {
  // A function-local static is initialised once even under concurrent first calls ([stmt.dcl]).
  static const int kInitResult = sodium_init();
  NCBNET_CHECK(kInitResult >= 0, "libsodium failed to initialise; no secure randomness");
}

}  // namespace internal

std::string RandomBytes(std::size_t n) {
  internal::EnsureSodiumInitialized();
  std::string out(n, '\0');
  if (n > 0) randombytes_buf(out.data(), n);
  return out;
}

std::string NewId(std::string_view prefix) {
  // 16 bytes = 128 bits -> 26 base32 characters (the last one carries 3 bits of padding).
  std::string id(prefix);
  id += '_';
  for (const char c : Base32Encode(RandomBytes(16))) {
    id += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return id;
}

}  // namespace ncbnet::crypto
