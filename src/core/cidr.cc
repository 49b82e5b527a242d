#include "core/cidr.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace ncbnet {
namespace {

struct Address {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;
};

// inet_pton accepts only the strict forms: four decimal parts without leading zeros for IPv4,
// RFC 4291 text for IPv6. An IPv4-mapped IPv6 address is taken as the IPv4 address it maps.
bool ParseAddress(std::string_view text, Address& out) {
  if (text.empty() || text.size() > 45) return false;  // INET6_ADDRSTRLEN - 1
  char buf[46];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  if (inet_pton(AF_INET, buf, out.bytes.data()) == 1) {
    out.v4 = true;
    return true;
  }
  if (inet_pton(AF_INET6, buf, out.bytes.data()) != 1) return false;
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(out.bytes.data(), kMapped, sizeof kMapped) == 0) {
    std::memmove(out.bytes.data(), out.bytes.data() + 12, 4);
    std::fill(out.bytes.begin() + 4, out.bytes.end(), 0);
    out.v4 = true;
  }
  return true;
}

// True if the first `bits` bits of `a` and `b` agree.
bool PrefixEqual(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b,
                 int bits) {
  const int whole = bits / 8;
  if (std::memcmp(a.data(), b.data(), static_cast<std::size_t>(whole)) != 0) return false;
  const int rest = bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

Status Invalid(std::string_view text, const char* why) {
  return Status::InvalidArgument("invalid_cidr",
                                 "'" + std::string(text) + "' is not an address block: " + why);
}

}  // namespace

Result<Cidr> Cidr::Parse(std::string_view text) {
  const std::size_t slash = text.find('/');
  Address address;
  if (!ParseAddress(text.substr(0, slash), address)) return Invalid(text, "bad address");
  const int max_bits = address.v4 ? 32 : 128;
  int bits = max_bits;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (digits.empty() || digits.size() > 3 || ec != std::errc() ||
        end != digits.data() + digits.size() || bits < 0 || bits > max_bits ||
        (digits.size() > 1 && digits[0] == '0')) {
      return Invalid(text, "bad prefix length");
    }
  }
  Cidr cidr;
  cidr.bytes_ = address.bytes;
  cidr.v4_ = address.v4;
  cidr.bits_ = bits;
  cidr.text_ = std::string(text);
  // Every bit past the prefix must be zero.
  for (int i = bits; i < max_bits; ++i) {
    if ((address.bytes[i / 8] >> (7 - i % 8)) & 1) return Invalid(text, "host bits set");
  }
  return cidr;
}

bool Cidr::Contains(std::string_view address) const {
  Address a;
  if (!ParseAddress(address, a) || a.v4 != v4_) return false;
  return PrefixEqual(a.bytes, bytes_, bits_);
}

Result<std::vector<Cidr>> ParseCidrs(const std::vector<std::string>& texts) {
  std::vector<Cidr> out;
  out.reserve(texts.size());
  for (const std::string& text : texts) {
    NCBNET_ASSIGN_OR_RETURN(Cidr cidr, Cidr::Parse(text));
    out.push_back(std::move(cidr));
  }
  return out;
}

bool AnyContains(const std::vector<Cidr>& blocks, std::string_view address) {
  return std::any_of(blocks.begin(), blocks.end(),
                     [address](const Cidr& c) { return c.Contains(address); });
}

}  // namespace ncbnet
