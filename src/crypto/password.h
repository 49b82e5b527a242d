// Password hashing with argon2id (libsodium crypto_pwhash, interactive limits), in the
// self-describing "$argon2id$v=19$m=...,t=...,p=1$salt$hash" string form.
//
// Thread safety: every function may be called concurrently. Each call uses ~64 MiB briefly.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace ncbnet::crypto {

// Errors: kInvalidArgument "password_too_long" past 1024 bytes; kResourceExhausted
// "out_of_memory" if libsodium cannot allocate.
Result<std::string> HashPassword(std::string_view password);

// True iff `password` matches `hash`. Constant work for a given hash's parameters; a
// malformed hash is simply false.
bool VerifyPassword(std::string_view hash, std::string_view password);

// A valid hash of a random password, to verify against when the user does not exist, so that
// response time does not reveal which user names exist.
const std::string& DummyPasswordHash();

}  // namespace ncbnet::crypto
