// A memory of signatures known to be valid, so that the same (key, message, signature) is not
// verified twice: a message's signature checked before its write transaction is free when the
// transaction checks it again, and the audit head the hub just signed is free to check at the
// next append. Ed25519 verification is the largest cost on the hub's write path, where every
// microsecond is spent while other writers wait.
//
// Only validity is remembered, keyed by BLAKE2b-256 over the length-prefixed key, message and
// signature, so a different message or signature is never taken for a known one. Bounded:
// the oldest entries are forgotten first.
//
// Thread safety: every function may be called from any thread.
#pragma once

#include <string_view>

namespace ncbnet::crypto {

// VerifySignature(), answered from memory when this triple was verified or remembered before.
bool VerifySignatureMemo(std::string_view public_key, std::string_view message,
                         std::string_view signature);

// Records a triple as valid without verifying it: only for a signature this process has just
// made with the key itself.
void RememberValidSignature(std::string_view public_key, std::string_view message,
                            std::string_view signature);

}  // namespace ncbnet::crypto
