// Key derivation and HMAC: subkeys of a master key for one purpose each (libsodium's
// crypto_kdf, BLAKE2b), and HMAC-SHA-256 (RFC 2104). Used by messaging/ to derive the blind
// search index's key from the hub's data key (docs/message-format.md, "Search index").
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ncbnet::crypto {

inline constexpr std::size_t kKdfMasterKeyBytes = 32;
inline constexpr std::size_t kKdfContextBytes = 8;

// Subkey number `subkey_id` of `master_key` for `context`: crypto_kdf_derive_from_key, so
// different (context, subkey_id) pairs give independent keys and a subkey reveals nothing of
// the master key. Returns `length` raw bytes. Errors: kInvalidArgument "invalid_kdf_input" if
// the master key is not 32 bytes, the context not exactly 8 bytes, or length outside 16..64.
Result<std::string> DeriveSubkey(std::string_view master_key, std::string_view context,
                                 std::uint64_t subkey_id, std::size_t length);

// HMAC-SHA-256 of `data` under `key` (any length): the 32 raw bytes of the tag.
std::string HmacSha256(std::string_view key, std::string_view data);

}  // namespace ncbnet::crypto
