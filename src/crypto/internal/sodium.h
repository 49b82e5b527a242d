// Process-wide libsodium initialisation, shared by the crypto module's sources only.
//
// Thread safety: may be called concurrently; the first call initialises, later calls are cheap.
#pragma once

namespace ncbnet::crypto::internal {

// Calls sodium_init() exactly once. Aborts if libsodium cannot initialise (no usable
// randomness source): going on would weaken every key and token we make.
void EnsureSodiumInitialized();

}  // namespace ncbnet::crypto::internal
