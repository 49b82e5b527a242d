#include "crypto/encoding.h"

#include <array>
#include <cstdint>

namespace ncbnet::crypto {

namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kBase64UrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

Status InvalidEncoding(std::string message) {
  return Status::InvalidArgument("invalid_encoding", std::move(message));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int Base32Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

int Base64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// Packs `bits_per_char`-bit groups into bytes. Leftover bits must be fewer than 8 and zero,
// so that every byte string has exactly one accepted encoding (RFC 4648 section 3.5).
template <typename ValueFn>
Result<std::string> DecodeBits(std::string_view text, int bits_per_char, ValueFn value_of) {
  std::string out;
  out.reserve(text.size() * bits_per_char / 8);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const int v = value_of(c);
    if (v < 0) return InvalidEncoding("unexpected character");
    buffer = (buffer << bits_per_char) | static_cast<std::uint32_t>(v);
    bits += bits_per_char;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if (bits >= bits_per_char) return InvalidEncoding("truncated input");
  if ((buffer & ((1U << bits) - 1)) != 0) return InvalidEncoding("non-zero trailing bits");
  return out;
}

std::string EncodeBits(std::string_view bytes, int bits_per_char, std::string_view alphabet) {
  std::string out;
  out.reserve((bytes.size() * 8 + bits_per_char - 1) / bits_per_char);
  const std::uint32_t mask = (1U << bits_per_char) - 1;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8) | static_cast<std::uint8_t>(c);
    bits += 8;
    while (bits >= bits_per_char) {
      bits -= bits_per_char;
      out += alphabet[(buffer >> bits) & mask];
    }
  }
  if (bits > 0) out += alphabet[(buffer << (bits_per_char - bits)) & mask];
  return out;
}

}  // namespace

std::string HexEncode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<std::uint8_t>(c);
    out += kHexDigits[b >> 4];
    out += kHexDigits[b & 0x0F];
  }
  return out;
}

Result<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return InvalidEncoding("odd number of hex digits");
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = HexValue(hex[i]);
    const int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return InvalidEncoding("unexpected character");
    out += static_cast<char>((hi << 4) | lo);
  }
  return out;
}

std::string Base32Encode(std::string_view bytes) { return EncodeBits(bytes, 5, kBase32Alphabet); }

Result<std::string> Base32Decode(std::string_view text) {
  // Padding is optional, but if present it must complete the last 8-character block and
  // nothing may follow it.
  const std::size_t pad = text.find('=');
  if (pad != std::string_view::npos) {
    if (text.find_first_not_of('=', pad) != std::string_view::npos || text.size() % 8 != 0) {
      return InvalidEncoding("bad padding");
    }
    text = text.substr(0, pad);
  }
  // Valid unpadded lengths mod 8 are 0, 2, 4, 5, 7 (whole bytes of 5-bit groups).
  static constexpr std::array<bool, 8> kValidTail = {true, false, true,  false,
                                                     true, true,  false, true};
  if (!kValidTail[text.size() % 8]) return InvalidEncoding("bad length");
  return DecodeBits(text, 5, Base32Value);
}

std::string Base64UrlEncode(std::string_view bytes) {
  return EncodeBits(bytes, 6, kBase64UrlAlphabet);
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return InvalidEncoding("bad length");
  return DecodeBits(text, 6, Base64UrlValue);
}

}  // namespace ncbnet::crypto
