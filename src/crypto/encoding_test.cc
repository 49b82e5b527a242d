#include "crypto/encoding.h"

#include <string>

#include <gtest/gtest.h>

#include "crypto/random.h"

namespace ncbnet::crypto {
namespace {

TEST(Hex, EncodesLowerCase) {
  EXPECT_EQ(HexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(HexEncode(""), "");
}

TEST(Hex, DecodesEitherCase) {
  Result<std::string> bytes = HexDecode("0001ABff");
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, std::string("\x00\x01\xab\xff", 4));
}

TEST(Hex, RejectsOddLengthAndBadCharacters) {
  for (const char* bad : {"0", "abc", "0g", "zz", " 00", "00 \n"}) {
    Result<std::string> bytes = HexDecode(bad);
    ASSERT_FALSE(bytes.ok()) << bad;
    EXPECT_EQ(bytes.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(bytes.status().reason(), "invalid_encoding");
  }
}

// RFC 4648 section 10, without padding.
TEST(Base32, MatchesRfc4648Vectors) {
  EXPECT_EQ(Base32Encode(""), "");
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode("fo"), "MZXQ");
  EXPECT_EQ(Base32Encode("foo"), "MZXW6");
  EXPECT_EQ(Base32Encode("foob"), "MZXW6YQ");
  EXPECT_EQ(Base32Encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
}

TEST(Base32, DecodesCaseInsensitivelyWithOptionalPadding) {
  for (const char* text : {"MZXW6YTBOI", "mzxw6ytboi", "MZXW6YTBOI======"}) {
    Result<std::string> bytes = Base32Decode(text);
    ASSERT_TRUE(bytes.ok()) << text;
    EXPECT_EQ(*bytes, "foobar");
  }
}

TEST(Base32, RejectsMalformedInput) {
  // Bad alphabet, impossible lengths, non-zero trailing bits, broken padding.
  for (const char* bad : {"MZXW1", "MZXW8", "M", "MZX", "MZXW6Y", "MZ",
                          "MZ======", "MY=", "MY======MY", "MY=====", "MZ XW"}) {
    Result<std::string> bytes = Base32Decode(bad);
    ASSERT_FALSE(bytes.ok()) << bad;
    EXPECT_EQ(bytes.status().reason(), "invalid_encoding");
  }
}

TEST(Base64Url, MatchesRfc4648VectorsWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(Base64Url, RejectsMalformedInput) {
  // Standard-alphabet characters, padding, impossible length, non-zero trailing bits.
  for (const char* bad : {"+/8", "Zg==", "Z", "Zm9vY", "Zh", "Zm9", "Zm 9v"}) {
    Result<std::string> bytes = Base64UrlDecode(bad);
    ASSERT_FALSE(bytes.ok()) << bad;
    EXPECT_EQ(bytes.status().reason(), "invalid_encoding");
  }
}

TEST(Encoding, RoundTripsRandomBytesOfEveryLength) {
  for (std::size_t n = 0; n < 70; ++n) {
    const std::string bytes = RandomBytes(n);
    Result<std::string> hex = HexDecode(HexEncode(bytes));
    Result<std::string> b32 = Base32Decode(Base32Encode(bytes));
    Result<std::string> b64 = Base64UrlDecode(Base64UrlEncode(bytes));
    ASSERT_TRUE(hex.ok() && b32.ok() && b64.ok()) << n;
    EXPECT_EQ(*hex, bytes);
    EXPECT_EQ(*b32, bytes);
    EXPECT_EQ(*b64, bytes);
  }
}

}  // namespace
}  // namespace ncbnet::crypto
