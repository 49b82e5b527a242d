#include "crypto/hmac_key.h"

#include <array>
#include <cstdint>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "crypto/kdf.h"
#include "tests/testutil/splitmix.h"

namespace ncbnet::crypto {
namespace {

std::string TagOf(const HmacSha256Key& key, std::string_view data) {
  std::array<std::uint8_t, HmacSha256Key::kTagBytes> tag{};
  key.Tag(data, tag);
  return {reinterpret_cast<const char*>(tag.data()), tag.size()};
}

// RFC 4231, test cases 1, 2 and 6 (a 131-byte key, hashed first).
TEST(HmacSha256Key, MatchesRfc4231Vectors) {
  EXPECT_EQ(HexEncode(TagOf(HmacSha256Key(std::string(20, '\x0b')), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(HexEncode(TagOf(HmacSha256Key("Jefe"), "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(HexEncode(TagOf(HmacSha256Key(std::string(131, '\xaa')),
                            "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

// Keys and messages of every length around the block size, against HmacSha256.
TEST(HmacSha256Key, EqualsHmacSha256) {
  testutil::SplitMix64 s{3};
  auto bytes = [&](std::size_t n) {
    std::string out(n, '\0');
    for (char& c : out) c = static_cast<char>(s.Next());
    return out;
  };
  for (std::size_t key_length : {0, 1, 32, 63, 64, 65, 200}) {
    const std::string key = bytes(key_length);
    const HmacSha256Key keyed(key);
    for (std::size_t length = 0; length < 150; ++length) {
      const std::string data = bytes(length);
      ASSERT_EQ(TagOf(keyed, data), HmacSha256(key, data)) << key_length << " " << length;
    }
  }
}

TEST(HmacSha256Key, MovesItsState) {
  HmacSha256Key a("Jefe");
  const HmacSha256Key b(std::move(a));
  EXPECT_EQ(TagOf(b, "x"), HmacSha256("Jefe", "x"));
}

}  // namespace
}  // namespace ncbnet::crypto
