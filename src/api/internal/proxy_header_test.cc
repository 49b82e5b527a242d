#include "api/internal/proxy_header.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace ncbnet::api::internal {
namespace {

using namespace std::string_literals;

const std::string kSig = "\r\n\r\n\0\r\nQUIT\n"s;

// A v2 header: signature, version 2 with `command`, `family`, then `payload`.
std::string V2(int command, int family, const std::string& payload) {
  std::string h = kSig;
  h += static_cast<char>(0x20 | command);
  h += static_cast<char>(family);
  h += static_cast<char>(payload.size() >> 8);
  h += static_cast<char>(payload.size() & 0xff);
  return h + payload;
}

std::string Inet4(const std::string& src, const std::string& dst, int sport, int dport) {
  std::string p = src + dst;
  for (const int port : {sport, dport}) {
    p += static_cast<char>(port >> 8);
    p += static_cast<char>(port & 0xff);
  }
  return p;
}

std::string Tlv(int type, const std::string& value) {
  std::string t(1, static_cast<char>(type));
  t += static_cast<char>(value.size() >> 8);
  t += static_cast<char>(value.size() & 0xff);
  return t + value;
}

// Feeds `bytes` the way the reader does, at most `need` bytes at a time (fewer when no more
// came), and returns the final parse, or "truncated" when the bytes end first.
Result<ProxyParse> Feed(const std::string& bytes) {
  std::size_t have = 0;
  for (;;) {
    Result<ProxyParse> p = ParseProxyHeader(std::string_view(bytes).substr(0, have));
    if (!p.ok() || p->header) return p;
    EXPECT_GT(p->need, 0u);
    if (have == bytes.size()) return Status::Unavailable("truncated", "ran out");
    have += std::min(p->need, bytes.size() - have);
  }
}

ProxyHeader Parsed(const std::string& bytes) {
  Result<ProxyParse> p = Feed(bytes);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  if (!p.ok() || !p->header) return {};
  EXPECT_EQ(p->header->size, bytes.size());
  return *p->header;
}

std::string Reason(const std::string& bytes) {
  Result<ProxyParse> p = Feed(bytes);
  if (p.ok()) return p->header ? "parsed" : "incomplete";
  return std::string(p.status().reason());
}

TEST(ProxyHeader, ReadsV1Tcp4) {
  const ProxyHeader h = Parsed("PROXY TCP4 192.0.2.7 10.0.0.1 56324 443\r\n");
  EXPECT_EQ(h.version, 1);
  EXPECT_FALSE(h.local);
  EXPECT_EQ(h.source_address, "192.0.2.7");
  EXPECT_EQ(h.source_port, 56324);
}

TEST(ProxyHeader, ReadsV1Tcp6InCanonicalFormAndMappedAsIpv4) {
  EXPECT_EQ(Parsed("PROXY TCP6 2001:DB8:0:0::1 ::1 1 65535\r\n").source_address, "2001:db8::1");
  EXPECT_EQ(Parsed("PROXY TCP6 ::ffff:192.0.2.9 ::1 0 443\r\n").source_address, "192.0.2.9");
}

TEST(ProxyHeader, ReadsV1UnknownAsLocalWhateverFollows) {
  EXPECT_TRUE(Parsed("PROXY UNKNOWN\r\n").local);
  const ProxyHeader h = Parsed("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n");
  EXPECT_TRUE(h.local);
  EXPECT_EQ(h.source_address, "");
}

TEST(ProxyHeader, ReadsV1OfTheLongestLengthAndRefusesLonger) {
  const std::string longest = "PROXY UNKNOWN " + std::string(107 - 16, 'x') + "\r\n";
  ASSERT_EQ(longest.size(), kProxyV1MaxBytes);
  EXPECT_TRUE(Parsed(longest).local);
  EXPECT_EQ(Reason("PROXY UNKNOWN " + std::string(107 - 15, 'x') + "\r\n"),
            "proxy_header_too_large");
  EXPECT_EQ(Reason("PROXY UNKNOWN " + std::string(107 - 14, 'x') + "\r\n"),
            "proxy_header_too_large");
}

TEST(ProxyHeader, ReadsV2ProxyInet) {
  const ProxyHeader h =
      Parsed(V2(1, 0x11, Inet4("\xc0\x00\x02\x07"s, "\x0a\x00\x00\x01"s, 40000, 8443)));
  EXPECT_EQ(h.version, 2);
  EXPECT_FALSE(h.local);
  EXPECT_EQ(h.source_address, "192.0.2.7");
  EXPECT_EQ(h.source_port, 40000);
  EXPECT_EQ(h.tlv_count, 0);
}

TEST(ProxyHeader, ReadsV2ProxyInet6) {
  std::string src(16, '\0');
  src[0] = '\x20';
  src[1] = '\x01';
  src[2] = '\x0d';
  src[3] = '\xb8';
  src[15] = '\x05';
  std::string payload = src + std::string(15, '\0') + "\x01" + "\x01\xbb" + "\x20\xfb";
  const ProxyHeader h = Parsed(V2(1, 0x21, payload));
  EXPECT_EQ(h.source_address, "2001:db8::5");
  EXPECT_EQ(h.source_port, 443);
}

TEST(ProxyHeader, ReadsV2WithTlvs) {
  const std::string payload = Inet4("\xc0\x00\x02\x07"s, "\x0a\x00\x00\x01"s, 1, 2) +
                              Tlv(0x01, "h2") + Tlv(0x02, "hub.example") + Tlv(0x04, "") +
                              Tlv(0x05, std::string(64, 'u'));
  const ProxyHeader h = Parsed(V2(1, 0x11, payload));
  EXPECT_EQ(h.source_address, "192.0.2.7");
  EXPECT_EQ(h.tlv_count, 4);
}

TEST(ProxyHeader, ReadsV2LocalAsTheProxysOwn) {
  EXPECT_TRUE(Parsed(V2(0, 0x00, "")).local);
  // LOCAL ignores whatever address block it carries.
  const ProxyHeader h = Parsed(V2(0, 0x11, Inet4("\x01\x02\x03\x04", "\x05\x06\x07\x08", 1, 2)));
  EXPECT_TRUE(h.local);
  EXPECT_EQ(h.source_address, "");
}

TEST(ProxyHeader, ReadsV2UnspecifiedAndUnixFamiliesAsLocal) {
  EXPECT_TRUE(Parsed(V2(1, 0x00, "")).local);
  EXPECT_TRUE(Parsed(V2(1, 0x31, std::string(216, '\0'))).local);
}

TEST(ProxyHeader, AsksNeverPastTheHeader) {
  // Feed() fails the test if a step would read past the end; here the header is followed by a
  // TLS record that must stay unread.
  const std::string tls = "\x16\x03\x01\x02\x00\x01"s;
  for (const std::string& header : {"PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n"s, "PROXY UNKNOWN\r\n"s,
                                    V2(0, 0x00, ""), "PROXY TCP6 ::1 ::1 65535 65535\r\n"s}) {
    const std::string bytes = header + tls;
    std::size_t have = 0;
    for (;;) {
      Result<ProxyParse> p = ParseProxyHeader(std::string_view(bytes).substr(0, have));
      ASSERT_TRUE(p.ok()) << header;
      if (p->header) break;
      have += p->need;
      ASSERT_LE(have, header.size()) << header;
    }
    EXPECT_EQ(have, header.size());
  }
}

TEST(ProxyHeader, RefusesWhatIsNoHeader) {
  for (const std::string& bad : {"GET / HTTP/1.1\r\n"s, "\x16\x03\x01\x02\x00\x01\x00\x01"s,
                                 "proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n"s, "PROXY  TCP4\r\n"s}) {
    EXPECT_EQ(Reason(bad), "proxy_header_malformed") << bad;
  }
}

TEST(ProxyHeader, RefusesMalformedV1) {
  for (const std::string& bad : {
           "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n"s,        // a field missing
           "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n"s,    // one too many
           "PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n"s,     // two spaces
           "PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n"s,    // not an address
           "PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n"s,     // leading zero
           "PROXY TCP4 ::1 5.6.7.8 1 2\r\n"s,          // wrong family
           "PROXY TCP6 1.2.3.4 ::1 1 2\r\n"s,          // wrong family
           "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n"s,  // port too large
           "PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n"s,     // leading zero
           "PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n"s,     // sign
           "PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n"s,      // not TCP
           "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX\n"s,     // CR without LF
           "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n\r\n"s,    // bare LF
           "PROXY TCP4 1.2.3.4\t5.6.7.8 1 2\r\n"s,     // control character
           "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n"s,     // trailing space
       }) {
    EXPECT_EQ(Reason(bad), "proxy_header_malformed") << bad;
  }
  EXPECT_EQ(Reason("PROXY TCP4 " + std::string(200, '1')), "proxy_header_too_large");
}

TEST(ProxyHeader, RefusesMalformedV2) {
  const std::string inet = Inet4("\x01\x02\x03\x04", "\x05\x06\x07\x08", 1, 2);
  std::string v1 = V2(1, 0x11, inet);
  v1[12] = '\x11';  // version 1 in the v2 format
  EXPECT_EQ(Reason(v1), "proxy_header_malformed");
  EXPECT_EQ(Reason(V2(2, 0x11, inet)), "proxy_header_malformed");  // command 2
  EXPECT_EQ(Reason(V2(1, 0x12, inet)), "proxy_header_malformed");  // datagram
  EXPECT_EQ(Reason(V2(1, 0x10, inet)), "proxy_header_malformed");  // no transport
  EXPECT_EQ(Reason(V2(1, 0x41, inet)), "proxy_header_malformed");  // family 4
  EXPECT_EQ(Reason(V2(1, 0x01, "")), "proxy_header_malformed");    // unspec with a transport
  EXPECT_EQ(Reason(V2(1, 0x11, inet.substr(0, 11))), "proxy_header_malformed");
  EXPECT_EQ(Reason(V2(1, 0x21, inet)), "proxy_header_malformed");  // short for IPv6
  EXPECT_EQ(Reason(V2(1, 0x31, inet)), "proxy_header_malformed");  // short for AF_UNIX
  EXPECT_EQ(Reason(V2(1, 0x11, inet + "\x01\x00"s)), "proxy_header_malformed");  // TLV cut
  EXPECT_EQ(Reason(V2(1, 0x11, inet + "\x01\x00\x05"s + "ab")), "proxy_header_malformed");
  std::string sig = V2(0, 0, "");
  sig[7] = 'q';  // signature off by one byte
  EXPECT_EQ(Reason(sig), "proxy_header_malformed");
}

TEST(ProxyHeader, RefusesV2LongerThanTheBoundBeforeReadingIt) {
  std::string head = V2(1, 0x11, "");
  head[14] = '\x02';  // 513 bytes announced
  head[15] = '\x01';
  EXPECT_EQ(Reason(head), "proxy_header_too_large");
  const std::string longest = Inet4("\x01\x02\x03\x04", "\x05\x06\x07\x08", 1, 2) +
                              Tlv(0x05, std::string(512 - 12 - 3, 'u'));
  EXPECT_EQ(Reason(V2(1, 0x11, longest)), "parsed");
}

TEST(ProxyHeader, ReportsTruncatedInputAsIncomplete) {
  const std::string full = V2(1, 0x11, Inet4("\x01\x02\x03\x04", "\x05\x06\x07\x08", 1, 2));
  for (std::size_t n = 0; n < full.size(); ++n) {
    const Result<ProxyParse> p = ParseProxyHeader(std::string_view(full).substr(0, n));
    ASSERT_TRUE(p.ok()) << n;
    EXPECT_FALSE(p->header);
    EXPECT_GT(p->need, 0u);
  }
  const Result<ProxyParse> v1 = ParseProxyHeader("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r");
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->need, 1u);
}

}  // namespace
}  // namespace ncbnet::api::internal
