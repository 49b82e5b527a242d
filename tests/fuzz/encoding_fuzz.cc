// Decoders of client-supplied encodings (tokens, TOTP secrets, keys): what decodes must
// encode back to the same bytes.
#include <cstdint>
#include <string_view>

#include "core/check.h"
#include "crypto/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ncbnet::crypto;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto hex = HexDecode(text); hex.ok()) {
    NCBNET_CHECK(*HexDecode(HexEncode(*hex)) == *hex, "hex must round-trip");
  }
  if (auto b32 = Base32Decode(text); b32.ok()) {
    NCBNET_CHECK(*Base32Decode(Base32Encode(*b32)) == *b32, "base32 must round-trip");
  }
  if (auto b64 = Base64UrlDecode(text); b64.ok()) {
    NCBNET_CHECK(Base64UrlEncode(*b64) == text, "base64url has one encoding per value");
  }
  return 0;
}
