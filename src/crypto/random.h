// Cryptographically secure randomness (libsodium's randombytes). The only source of random
// numbers in ncbnet: never rand() or std::mt19937.
//
// Thread safety: every function may be called concurrently.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ncbnet::crypto {

// `n` random bytes.
std::string RandomBytes(std::size_t n);

// A new identifier: `prefix` + "_" + 26 lower-case base32 characters (128 random bits),
// e.g. "usr_k3j...". Prefixes name the kind: agc, usr, grt, req, msg...
std::string NewId(std::string_view prefix);

}  // namespace ncbnet::crypto
