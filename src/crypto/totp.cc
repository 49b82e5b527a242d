#include "crypto/totp.h"

#include <array>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace ncbnet::crypto {

namespace {

constexpr int kDigits = 6;
constexpr std::uint32_t kModulus = 1'000'000;  // 10^kDigits
constexpr std::size_t kSecretBytes = 20;       // RFC 4226 section 4 recommends 160 bits
constexpr std::size_t kMaxSecretBytes = 1024;

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string PercentEncode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      constexpr std::string_view kHex = "0123456789ABCDEF";
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0x0F];
    }
  }
  return out;
}

}  // namespace

std::string NewTotpSecret() { return RandomBytes(kSecretBytes); }

std::string TotpCode(std::string_view secret, std::int64_t step) {
  // RFC 4226 section 5.3: HMAC-SHA1 over the big-endian 8-byte counter, then dynamic
  // truncation to 31 bits, then the low decimal digits.
  std::array<unsigned char, 8> counter{};
  auto value = static_cast<std::uint64_t>(step);
  for (int i = 7; i >= 0; --i) {
    counter[static_cast<std::size_t>(i)] = static_cast<unsigned char>(value & 0xFF);
    value >>= 8;
  }
  if (secret.size() > kMaxSecretBytes) return std::string();
  // HMAC() with a null key pointer misbehaves in some OpenSSL releases; never pass one.
  static constexpr unsigned char kEmpty = 0;
  const void* key = secret.empty() ? &kEmpty : static_cast<const void*>(secret.data());
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha1(), key, static_cast<int>(secret.size()), counter.data(), counter.size(),
           mac.data(), &mac_len) == nullptr ||
      mac_len != 20) {
    return std::string();  // never equal to a 6-digit code
  }
  const std::size_t offset = mac[19] & 0x0F;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(mac[offset + 3]);
  std::string code(kDigits, '0');
  std::uint32_t rest = binary % kModulus;
  for (int i = kDigits - 1; i >= 0; --i, rest /= 10) {
    code[static_cast<std::size_t>(i)] = static_cast<char>('0' + rest % 10);
  }
  return code;
}

std::optional<std::int64_t> VerifyTotp(std::string_view secret, std::string_view code,
                                       std::int64_t unix_seconds, std::int64_t last_used_step) {
  if (code.size() != kDigits || secret.empty() || unix_seconds < 0) return std::nullopt;
  const std::int64_t now_step = unix_seconds / kTotpStepSeconds;
  std::optional<std::int64_t> matched;
  // Check every step in the window without stopping early, so timing does not say which
  // step (if any) matched. A step at or before the last accepted one is a replay.
  for (std::int64_t step = now_step - 1; step <= now_step + 1; ++step) {
    if (step < 0) continue;
    const bool equal = ConstantTimeEquals(TotpCode(secret, step), code);
    if (equal && step > last_used_step) matched = step;
  }
  return matched;
}

std::string TotpUri(std::string_view secret, std::string_view issuer, std::string_view account) {
  // Key URI format (google-authenticator wiki): the label's ':' separator stays literal.
  const std::string enc_issuer = PercentEncode(issuer);
  return "otpauth://totp/" + enc_issuer + ":" + PercentEncode(account) +
         "?secret=" + Base32Encode(secret) + "&issuer=" + enc_issuer;
}

}  // namespace ncbnet::crypto
