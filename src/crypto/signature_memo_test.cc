#include "crypto/signature_memo.h"

#include <string>

#include <gtest/gtest.h>

#include "crypto/sign.h"

namespace ncbnet::crypto {
namespace {

TEST(SignatureMemoTest, VerifiesLikeVerifySignatureTheFirstTimeAndAfter) {
  const SigningKey key = SigningKey::Generate();
  const std::string signature = key.Sign("message one");
  EXPECT_TRUE(VerifySignatureMemo(key.public_key(), "message one", signature));
  EXPECT_TRUE(VerifySignatureMemo(key.public_key(), "message one", signature));  // remembered
}

TEST(SignatureMemoTest, AKnownSignatureDoesNotValidateAnotherMessageOrKey) {
  const SigningKey key = SigningKey::Generate();
  const SigningKey other = SigningKey::Generate();
  const std::string signature = key.Sign("pay 10");
  ASSERT_TRUE(VerifySignatureMemo(key.public_key(), "pay 10", signature));
  EXPECT_FALSE(VerifySignatureMemo(key.public_key(), "pay 100", signature));
  EXPECT_FALSE(VerifySignatureMemo(other.public_key(), "pay 10", signature));
  // Length prefixes: moving bytes between the parts makes a different key.
  EXPECT_FALSE(VerifySignatureMemo(key.public_key(), "pay 1", "0" + signature));
}

TEST(SignatureMemoTest, AnInvalidSignatureIsNeverRemembered) {
  const SigningKey key = SigningKey::Generate();
  std::string forged = key.Sign("hello");
  forged[0] = static_cast<char>(forged[0] ^ 1);
  EXPECT_FALSE(VerifySignatureMemo(key.public_key(), "hello", forged));
  EXPECT_FALSE(VerifySignatureMemo(key.public_key(), "hello", forged));
}

TEST(SignatureMemoTest, RememberedSignaturesAreTakenAsValid) {
  const SigningKey key = SigningKey::Generate();
  const std::string signature = key.Sign("head 42");
  RememberValidSignature(key.public_key(), "head 42", signature);
  EXPECT_TRUE(VerifySignatureMemo(key.public_key(), "head 42", signature));
}

}  // namespace
}  // namespace ncbnet::crypto
