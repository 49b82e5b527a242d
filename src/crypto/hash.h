// SHA-256 and constant-time comparison.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace ncbnet::crypto {

// The 32-byte SHA-256 digest of `data`.
std::string Sha256(std::string_view data);
// The same, as 64 lower-case hex characters.
std::string Sha256Hex(std::string_view data);

// SHA-256 over data given in pieces, for content too large to hold at once (attachments,
// messaging/attachments.h). Not thread-safe; one object per digest.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void Update(std::string_view data);
  // The digest of everything given, as 64 lower-case hex characters. Call once.
  std::string FinishHex();

 private:
  struct State;  // OpenSSL's digest context, kept out of this header
  std::unique_ptr<State> state_;
};

// Compares in time that depends only on the lengths (sodium_memcmp), for secrets and MACs.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace ncbnet::crypto
