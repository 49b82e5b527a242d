#include "core/cidr.h"

#include <gtest/gtest.h>

namespace ncbnet {
namespace {

Cidr Block(const char* text) {
  Result<Cidr> c = Cidr::Parse(text);
  EXPECT_TRUE(c.ok()) << text;
  return std::move(c).value();
}

TEST(Cidr, MatchesIpv4BlocksAndTheirMappedForm) {
  const Cidr ten = Block("10.0.0.0/8");
  EXPECT_TRUE(ten.Contains("10.1.2.3"));
  EXPECT_TRUE(ten.Contains("::ffff:10.1.2.3"));
  EXPECT_FALSE(ten.Contains("11.0.0.1"));
  EXPECT_FALSE(ten.Contains("::1"));
  EXPECT_FALSE(ten.Contains("not an address"));
  EXPECT_FALSE(ten.Contains(""));
  const Cidr odd = Block("192.168.4.0/22");
  EXPECT_TRUE(odd.Contains("192.168.7.255"));
  EXPECT_FALSE(odd.Contains("192.168.8.0"));
  EXPECT_TRUE(Block("0.0.0.0/0").Contains("203.0.113.9"));
}

TEST(Cidr, ASingleAddressIsAFullLengthBlock) {
  const Cidr one = Block("127.0.0.1");
  EXPECT_TRUE(one.Contains("127.0.0.1"));
  EXPECT_FALSE(one.Contains("127.0.0.2"));
  const Cidr v6 = Block("::1");
  EXPECT_TRUE(v6.Contains("::1"));
  EXPECT_TRUE(v6.Contains("0:0:0:0:0:0:0:1"));
  EXPECT_FALSE(v6.Contains("127.0.0.1"));
}

TEST(Cidr, MatchesIpv6Blocks) {
  const Cidr doc = Block("2001:db8::/32");
  EXPECT_TRUE(doc.Contains("2001:db8:1::7"));
  EXPECT_FALSE(doc.Contains("2001:db9::1"));
  EXPECT_FALSE(doc.Contains("10.0.0.1"));
}

TEST(Cidr, RefusesWhatIsNoBlock) {
  for (const char* bad : {"", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/08",
                          "10.0.0.1/8", "10.0.0/8", "010.0.0.0/8", "10.0.0.0/8x", "::/129",
                          "2001:db8::1/32", "host.example/32", "10.0.0.0 /8", "/8"}) {
    const Result<Cidr> c = Cidr::Parse(bad);
    EXPECT_FALSE(c.ok()) << bad;
    if (!c.ok()) {
      EXPECT_EQ(c.status().reason(), "invalid_cidr") << bad;
    }
  }
}

TEST(Cidr, ParsesAListAndNamesTheBadEntry) {
  const auto ok = ParseCidrs({"127.0.0.1/32", "10.0.0.0/8"});
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(AnyContains(*ok, "10.9.9.9"));
  EXPECT_FALSE(AnyContains(*ok, "192.0.2.1"));
  const auto bad = ParseCidrs({"127.0.0.1/32", "10.0.0.1/8"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("10.0.0.1/8"), std::string::npos);
}

}  // namespace
}  // namespace ncbnet
