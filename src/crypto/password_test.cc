#include "crypto/password.h"

#include <string>

#include <gtest/gtest.h>

namespace ncbnet::crypto {
namespace {

TEST(HashPassword, ProducesArgon2idHashThatVerifies) {
  Result<std::string> hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$v=19$", 0), 0U) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery stapler"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
}

TEST(HashPassword, SaltsEachHash) {
  Result<std::string> a = HashPassword("same");
  Result<std::string> b = HashPassword("same");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(HashPassword, RejectsOverlongPassword) {
  EXPECT_TRUE(HashPassword(std::string(1024, 'x')).ok());
  Result<std::string> hash = HashPassword(std::string(1025, 'x'));
  ASSERT_FALSE(hash.ok());
  EXPECT_EQ(hash.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(hash.status().reason(), "password_too_long");
}

TEST(VerifyPassword, TreatsMalformedHashAsMismatch) {
  Result<std::string> good = HashPassword("pw");
  ASSERT_TRUE(good.ok());
  std::string embedded_nul = *good;
  embedded_nul.insert(5, 1, '\0');
  for (const std::string& bad :
       {std::string(), std::string("pw"), std::string("$argon2id$"),
        std::string("$argon2id$v=19$m=65536,t=2,p=1$$"), good->substr(0, good->size() - 3),
        embedded_nul, std::string(4096, '$')}) {
    EXPECT_FALSE(VerifyPassword(bad, "pw")) << bad;
  }
}

TEST(DummyPasswordHash, IsAValidStableHash) {
  const std::string& dummy = DummyPasswordHash();
  EXPECT_EQ(dummy.rfind("$argon2id$", 0), 0U);
  EXPECT_EQ(&dummy, &DummyPasswordHash());
  EXPECT_FALSE(VerifyPassword(dummy, ""));
  EXPECT_FALSE(VerifyPassword(dummy, "password"));
}

}  // namespace
}  // namespace ncbnet::crypto
