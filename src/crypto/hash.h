// SHA-256 and constant-time comparison.
#pragma once

#include <string>
#include <string_view>

namespace ncbnet::crypto {

// The 32-byte SHA-256 digest of `data`.
std::string Sha256(std::string_view data);
// The same, as 64 lower-case hex characters.
std::string Sha256Hex(std::string_view data);

// Compares in time that depends only on the lengths (sodium_memcmp), for secrets and MACs.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace ncbnet::crypto
