#include "crypto/hash.h"

#include <string>

#include <gtest/gtest.h>

namespace ncbnet::crypto {
namespace {

// FIPS 180-2 examples.
TEST(Sha256, MatchesKnownDigests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256("abc").size(), 32U);
}

TEST(Sha256Stream, EqualsTheOneShotDigestWhateverThePieces) {
  const std::string data(3 * 1024 * 1024 + 17, 'q');
  Sha256Stream stream;
  for (std::size_t at = 0; at < data.size(); at += 1000003) {
    stream.Update(std::string_view(data).substr(at, 1000003));
  }
  EXPECT_EQ(stream.FinishHex(), Sha256Hex(data));
  Sha256Stream empty;
  EXPECT_EQ(empty.FinishHex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(ConstantTimeEquals, ComparesContentsAndLengths) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secret2"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
  EXPECT_TRUE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace ncbnet::crypto
