#include "api/internal/proxy_header.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

namespace ncbnet::api::internal {
namespace {

constexpr std::string_view kV1Prefix = "PROXY ";
constexpr std::string_view kV2Signature("\r\n\r\n\0\r\nQUIT\n", 12);
constexpr std::size_t kV2FixedBytes = 16;
// "PROXY UNKNOWN\r\n" is the shortest v1 header, and every v2 header is longer: reading this
// many first never goes past a header.
constexpr std::size_t kShortestHeader = 15;
// A TCP4 or TCP6 line has five spaces: after PROXY, the protocol and three of the four fields.
constexpr int kV1Spaces = 5;

Status Malformed(const char* why) {
  return Status::InvalidArgument("proxy_header_malformed", std::string("PROXY header: ") + why);
}

Status TooLarge() {
  return Status::InvalidArgument("proxy_header_too_large", "PROXY header: too long");
}

ProxyParse Need(std::size_t n) { return ProxyParse{.header = std::nullopt, .need = n}; }

ProxyParse Done(ProxyHeader header) { return ProxyParse{.header = std::move(header), .need = 0}; }

// The text form of an address, IPv4-mapped IPv6 addresses as IPv4 (as the server shows a
// peer's address).
std::string AddressText(int family, const void* bytes) {
  char buf[INET6_ADDRSTRLEN] = {};
  const auto* b = static_cast<const unsigned char*>(bytes);
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (family == AF_INET6 && std::equal(b, b + 12, kMapped)) {
    family = AF_INET;
    b += 12;
  }
  if (inet_ntop(family, b, buf, sizeof buf) == nullptr) return "";
  return buf;
}

std::optional<std::string> ParseAddress(int family, std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN] = {};
  std::memcpy(buf, text.data(), text.size());
  unsigned char bytes[16] = {};
  if (inet_pton(family, buf, bytes) != 1) return std::nullopt;
  std::string out = AddressText(family, bytes);
  if (out.empty()) return std::nullopt;
  return out;
}

// A port: decimal, 0 to 65535, no sign and no leading zero.
std::optional<std::uint16_t> ParsePort(std::string_view text) {
  if (text.empty() || text.size() > 5 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  std::uint32_t v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (v > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

std::vector<std::string_view> SplitSpaces(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t space = line.find(' ', start);
    out.push_back(line.substr(start, space - start));
    if (space == std::string_view::npos) return out;
    start = space + 1;
  }
}

// One complete v1 line without its CRLF.
Result<ProxyParse> ParseV1Line(std::string_view line, std::size_t size) {
  const std::vector<std::string_view> f = SplitSpaces(line);
  if (f.size() < 2 || f[0] != "PROXY") return Malformed("bad v1 line");
  ProxyHeader h{.version = 1, .size = size};
  // "UNKNOWN": the receiver ignores whatever follows up to CRLF (proxy-protocol.txt 2.1).
  if (f[1] == "UNKNOWN") {
    h.local = true;
    return Done(std::move(h));
  }
  int family = 0;
  if (f[1] == "TCP4") family = AF_INET;
  if (f[1] == "TCP6") family = AF_INET6;
  if (family == 0) return Malformed("unsupported v1 protocol");
  if (f.size() != 6) return Malformed("bad v1 field count");
  const std::optional<std::string> source = ParseAddress(family, f[2]);
  const std::optional<std::string> destination = ParseAddress(family, f[3]);
  const std::optional<std::uint16_t> source_port = ParsePort(f[4]);
  if (!source || !destination || !source_port || !ParsePort(f[5])) {
    return Malformed("bad v1 address or port");
  }
  h.source_address = *source;
  h.source_port = *source_port;
  return Done(std::move(h));
}

Result<ProxyParse> ParseV1(std::string_view bytes) {
  const std::size_t n = std::min(bytes.size(), kV1Prefix.size());
  if (bytes.substr(0, n) != kV1Prefix.substr(0, n)) return Malformed("no signature");
  int spaces = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (c == '\r') {
      if (i + 2 > kProxyV1MaxBytes) return TooLarge();
      if (i + 1 == bytes.size()) return Need(1);
      if (bytes[i + 1] != '\n') return Malformed("CR without LF");
      if (i + 2 != bytes.size()) return Malformed("bytes after CRLF");  // the reader's bug
      return ParseV1Line(bytes.substr(0, i), i + 2);
    }
    if (c < 0x20 || c > 0x7e) return Malformed("control character in v1 line");
    if (c == ' ') ++spaces;
  }
  if (bytes.size() >= kProxyV1MaxBytes) return TooLarge();
  if (bytes.size() < kShortestHeader) return Need(kShortestHeader - bytes.size());
  // The shortest rest: for TCP4/TCP6 each missing space with a one-character field after it,
  // then CRLF; for UNKNOWN (or once every space is there) just CRLF.
  const bool unknown = bytes.substr(kV1Prefix.size(), 7) == "UNKNOWN";
  const int missing = unknown ? 0 : std::max(0, kV1Spaces - spaces);
  const std::size_t need = std::min<std::size_t>(static_cast<std::size_t>(2 * missing) + 2,
                                                 kProxyV1MaxBytes - bytes.size());
  return Need(need);
}

std::uint16_t Be16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(b[at]) << 8) |
                                    static_cast<unsigned char>(b[at + 1]));
}

// TLVs: type (1 byte), length (2 bytes, big-endian), value; they must fill `tlvs` exactly.
Result<int> CountTlvs(std::string_view tlvs) {
  int count = 0;
  while (!tlvs.empty()) {
    if (tlvs.size() < 3) return Malformed("truncated TLV");
    const std::size_t length = Be16(tlvs, 1);
    if (length > tlvs.size() - 3) return Malformed("TLV past the header");
    tlvs.remove_prefix(3 + length);
    ++count;
  }
  return count;
}

// The address block of a v2 PROXY command (proxy-protocol.txt 2.2).
Result<ProxyParse> ParseV2Addresses(std::uint8_t family_byte, std::string_view payload,
                                    std::size_t size) {
  const int family = family_byte >> 4;
  const int transport = family_byte & 0x0f;
  ProxyHeader h{.version = 2, .size = size};
  std::size_t address_bytes = 0;
  switch (family) {
    case 0x0:  // AF_UNSPEC: the receiver uses the connection's own addresses
      if (transport != 0) return Malformed("unspecified family with a transport");
      h.local = true;
      break;
    case 0x1:
      address_bytes = 12;  // two IPv4 addresses, two ports
      break;
    case 0x2:
      address_bytes = 36;  // two IPv6 addresses, two ports
      break;
    case 0x3:
      address_bytes = 216;  // two AF_UNIX paths: no IP address to take
      h.local = true;
      break;
    default:
      return Malformed("unsupported v2 family");
  }
  if (family != 0 && transport != 0x1) return Malformed("v2 transport is not a stream");
  if (payload.size() < address_bytes) return Malformed("v2 addresses truncated");
  if (family == 0x1 || family == 0x2) {
    const std::size_t one = family == 0x1 ? 4 : 16;
    h.source_address = AddressText(family == 0x1 ? AF_INET : AF_INET6, payload.data());
    if (h.source_address.empty()) return Malformed("bad v2 address");
    h.source_port = Be16(payload, 2 * one);
  }
  NCBNET_ASSIGN_OR_RETURN(h.tlv_count, CountTlvs(payload.substr(address_bytes)));
  return Done(std::move(h));
}

Result<ProxyParse> ParseV2(std::string_view bytes) {
  const std::size_t n = std::min(bytes.size(), kV2Signature.size());
  if (bytes.substr(0, n) != kV2Signature.substr(0, n)) return Malformed("no signature");
  if (bytes.size() < kShortestHeader) return Need(kShortestHeader - bytes.size());
  if (bytes.size() < kV2FixedBytes) return Need(kV2FixedBytes - bytes.size());
  const auto version_command = static_cast<std::uint8_t>(bytes[12]);
  if ((version_command >> 4) != 0x2) return Malformed("unsupported v2 version");
  const int command = version_command & 0x0f;
  if (command > 1) return Malformed("unsupported v2 command");
  const std::size_t size = kV2FixedBytes + Be16(bytes, 14);
  if (size > kProxyV2MaxBytes) return TooLarge();
  if (bytes.size() < size) return Need(size - bytes.size());
  if (bytes.size() > size) return Malformed("bytes after the header");  // the reader's bug
  if (command == 0) {
    // LOCAL: the proxy's own connection (a health check); its address block is ignored.
    return Done(ProxyHeader{.version = 2, .local = true, .size = size});
  }
  return ParseV2Addresses(static_cast<std::uint8_t>(bytes[13]), bytes.substr(kV2FixedBytes), size);
}

}  // namespace

Result<ProxyParse> ParseProxyHeader(std::string_view bytes) {
  if (bytes.empty()) return Need(kShortestHeader);
  if (bytes[0] == kV1Prefix[0]) return ParseV1(bytes);
  if (bytes[0] == kV2Signature[0]) return ParseV2(bytes);
  return Malformed("no signature");
}

}  // namespace ncbnet::api::internal
