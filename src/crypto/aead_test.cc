#include "crypto/aead.h"

#include <string>

#include <gtest/gtest.h>

#include "crypto/encoding.h"

namespace ncbnet::crypto {
namespace {

std::string FromHex(std::string_view hex) {
  Result<std::string> bytes = HexDecode(hex);
  return bytes.ok() ? *bytes : std::string();
}

const std::string kKey(32, 'k');

TEST(Aead, SealsAndOpens) {
  Result<std::string> sealed = Seal(kKey, "secret body", "msg_1\nbody");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->size(), kAeadNonceBytes + 11 + kAeadTagBytes);
  EXPECT_EQ(sealed->find("secret"), std::string::npos);
  Result<std::string> opened = Open(kKey, *sealed, "msg_1\nbody");
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "secret body");
}

TEST(Aead, SealsEmptyPlaintext) {
  Result<std::string> sealed = Seal(kKey, "", "");
  ASSERT_TRUE(sealed.ok());
  Result<std::string> opened = Open(kKey, *sealed, "");
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "");
}

TEST(Aead, UsesAFreshNonceEachTime) {
  Result<std::string> a = Seal(kKey, "same", "ad");
  Result<std::string> b = Seal(kKey, "same", "ad");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(Aead, RefusesTamperedCiphertextNonceOrTag) {
  Result<std::string> sealed = Seal(kKey, "secret body", "ad");
  ASSERT_TRUE(sealed.ok());
  for (std::size_t i : {std::size_t{0}, kAeadNonceBytes, sealed->size() - 1}) {
    std::string bad = *sealed;
    bad[i] = static_cast<char>(bad[i] ^ 1);
    Result<std::string> opened = Open(kKey, bad, "ad");
    ASSERT_FALSE(opened.ok()) << "byte " << i;
    EXPECT_EQ(opened.status().code(), StatusCode::kDataLoss);
    EXPECT_EQ(opened.status().reason(), "decrypt_failed");
  }
}

TEST(Aead, RefusesOtherAssociatedDataOrKey) {
  Result<std::string> sealed = Seal(kKey, "secret body", "msg_1\nbody");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(Open(kKey, *sealed, "msg_1\nsubject").status().reason(), "decrypt_failed");
  EXPECT_EQ(Open(std::string(32, 'x'), *sealed, "msg_1\nbody").status().reason(), "decrypt_failed");
}

TEST(Aead, RefusesTruncatedInput) {
  EXPECT_EQ(Open(kKey, "", "").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(Open(kKey, std::string(kAeadNonceBytes + kAeadTagBytes - 1, 'a'), "").status().code(),
            StatusCode::kDataLoss);
}

TEST(Aead, RefusesKeyOfWrongLength) {
  EXPECT_EQ(Seal("short", "x", "").status().reason(), "invalid_key");
  EXPECT_EQ(Open(std::string(33, 'k'), std::string(64, 'a'), "").status().reason(), "invalid_key");
}

// draft-irtf-cfrg-xchacha-03, appendix A.3.1.
TEST(Aead, OpensPublishedTestVector) {
  const std::string key =
      FromHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  const std::string nonce = FromHex("404142434445464748494a4b4c4d4e4f5051525354555657");
  const std::string ad = FromHex("50515253c0c1c2c3c4c5c6c7");
  const std::string cipher = FromHex(
      "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4e"
      "da7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2"
      "383565d3fff921f9664c97637da9768812f615c68b13b52e");
  const std::string tag = FromHex("c0875924c1c7987947deafd8780acf49");
  Result<std::string> opened = Open(key, nonce + cipher + tag, ad);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened,
            "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
            "future, sunscreen would be it.");
}

}  // namespace
}  // namespace ncbnet::crypto
