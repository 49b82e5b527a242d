#include "crypto/totp.h"

#include <string>

#include <gtest/gtest.h>

#include "crypto/encoding.h"

namespace ncbnet::crypto {
namespace {

constexpr std::string_view kRfcSecret = "12345678901234567890";

// RFC 6238 appendix B, SHA1 column, last 6 of the 8 digits.
TEST(TotpCode, MatchesRfc6238Vectors) {
  const struct {
    std::int64_t unix_seconds;
    const char* code;
  } kVectors[] = {{59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
                  {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}};
  for (const auto& v : kVectors) {
    EXPECT_EQ(TotpCode(kRfcSecret, v.unix_seconds / kTotpStepSeconds), v.code) << v.unix_seconds;
  }
}

TEST(VerifyTotp, AcceptsOneStepOfDriftEitherWay) {
  const std::int64_t now = 1111111111;  // step 37037037
  const std::int64_t step = now / kTotpStepSeconds;
  EXPECT_EQ(VerifyTotp(kRfcSecret, TotpCode(kRfcSecret, step), now, 0), step);
  EXPECT_EQ(VerifyTotp(kRfcSecret, TotpCode(kRfcSecret, step - 1), now, 0), step - 1);
  EXPECT_EQ(VerifyTotp(kRfcSecret, TotpCode(kRfcSecret, step + 1), now, 0), step + 1);
  EXPECT_EQ(VerifyTotp(kRfcSecret, TotpCode(kRfcSecret, step - 2), now, 0), std::nullopt);
  EXPECT_EQ(VerifyTotp(kRfcSecret, TotpCode(kRfcSecret, step + 2), now, 0), std::nullopt);
}

TEST(VerifyTotp, RefusesReplayedOrOlderSteps) {
  const std::int64_t now = 1234567890;
  const std::int64_t step = now / kTotpStepSeconds;
  const std::string code = TotpCode(kRfcSecret, step);
  EXPECT_EQ(VerifyTotp(kRfcSecret, code, now, step - 1), step);
  EXPECT_EQ(VerifyTotp(kRfcSecret, code, now, step), std::nullopt);
  EXPECT_EQ(VerifyTotp(kRfcSecret, TotpCode(kRfcSecret, step - 1), now, step - 1), std::nullopt);
}

TEST(VerifyTotp, RejectsWrongAndMalformedCodes) {
  const std::int64_t now = 59;
  EXPECT_EQ(VerifyTotp(kRfcSecret, "287082", now, -1), 1);
  EXPECT_EQ(VerifyTotp(kRfcSecret, "287083", now, -1), std::nullopt);
  EXPECT_EQ(VerifyTotp(kRfcSecret, "28708", now, -1), std::nullopt);
  EXPECT_EQ(VerifyTotp(kRfcSecret, "2870820", now, -1), std::nullopt);
  EXPECT_EQ(VerifyTotp(kRfcSecret, "", now, -1), std::nullopt);
  EXPECT_EQ(VerifyTotp("other secret", "287082", now, -1), std::nullopt);
  EXPECT_EQ(VerifyTotp("", "287082", now, -1), std::nullopt);
}

TEST(NewTotpSecret, Is20RandomBytes) {
  const std::string a = NewTotpSecret();
  EXPECT_EQ(a.size(), 20U);
  EXPECT_NE(a, NewTotpSecret());
}

TEST(TotpUri, EncodesSecretAndEscapesLabel) {
  EXPECT_EQ(TotpUri("foobar", "ncbnet", "alice@agency.example"),
            "otpauth://totp/ncbnet:alice%40agency.example?secret=MZXW6YTBOI&issuer=ncbnet");
  EXPECT_EQ(TotpUri("f", "NCB Hub", "a&b"),
            "otpauth://totp/NCB%20Hub:a%26b?secret=MY&issuer=NCB%20Hub");
}

}  // namespace
}  // namespace ncbnet::crypto
