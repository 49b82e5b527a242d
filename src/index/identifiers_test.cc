#include "index/identifiers.h"

#include <gtest/gtest.h>

namespace ncbnet::index {
namespace {

TEST(DocumentNumber, DropsSeparatorsAndUpperCases) {
  EXPECT_EQ(*NormaliseDocumentNumber("x4 12-3456<<"), "X4123456");
  EXPECT_EQ(*NormaliseDocumentNumber("AB1234567"), "AB1234567");
}

TEST(DocumentNumber, RejectsEmptyLongAndForeignCharacters) {
  for (const char* raw : {"", "<<<", "123456789012345678901", "AB#12", "PASS\xC3\xA9"}) {
    const auto r = NormaliseDocumentNumber(raw);
    ASSERT_FALSE(r.ok()) << raw;
    EXPECT_EQ(r.status().reason(), "invalid_document_number");
  }
}

TEST(Vin, ComputesTheTextbookCheckDigit) {
  EXPECT_EQ(VinCheckDigit("1M8GDM9AXKP042788"), 'X');
  EXPECT_EQ(VinCheckDigit("1M8GDM9A_KP042788"), '\0');  // '_' is no VIN character
  EXPECT_EQ(*NormaliseVin("1m8gdm9a-xkp 042788", /*north_american=*/true), "1M8GDM9AXKP042788");
}

TEST(Vin, ChecksTheDigitOnlyForNorthAmericanVins) {
  // The textbook VIN with a wrong check digit: rejected in North America, kept elsewhere
  // (European makers leave position 9 free).
  const auto na = NormaliseVin("1M8GDM9A1KP042788", true);
  ASSERT_FALSE(na.ok());
  EXPECT_EQ(na.status().reason(), "invalid_vin");
  EXPECT_NE(na.status().message().find("check digit"), std::string::npos);
  EXPECT_EQ(*NormaliseVin("WVWZZZ1JZXW000001", false), "WVWZZZ1JZXW000001");
}

TEST(Vin, RejectsIOQAndBadLengthsAcceptsLegacySerials) {
  EXPECT_NE(NormaliseVin("WVWZZZ1JZXW00000I", false).status().message().find("I, O or Q"),
            std::string::npos);
  EXPECT_FALSE(NormaliseVin("WVWZZZ1JZXW0000011", false).ok());
  EXPECT_FALSE(NormaliseVin("AB12", false).ok());
  EXPECT_FALSE(NormaliseVin("AB12*45", false).ok());
  EXPECT_EQ(*NormaliseVin("124 70 S 123456", true), "12470S123456");  // 1960s serial
}

TEST(Plate, PrefixesTheCountry) {
  EXPECT_EQ(*NormalisePlate("fra", "ab-123-cd"), "FRA:AB123CD");
  EXPECT_EQ(*NormalisePlate("DEU", "B MW 1234"), "DEU:BMW1234");
  EXPECT_EQ(NormalisePlate("FR", "AB123CD").status().reason(), "invalid_country");
  EXPECT_EQ(NormalisePlate("F1A", "AB123CD").status().reason(), "invalid_country");
  EXPECT_EQ(NormalisePlate("FRA", "").status().reason(), "invalid_plate");
  EXPECT_EQ(NormalisePlate("FRA", "ABCDEFGHIJKLM").status().reason(), "invalid_plate");
  EXPECT_EQ(NormalisePlate("FRA", "AB.123").status().reason(), "invalid_plate");
}

TEST(Firearm, NormalisesMakeAndSerial) {
  EXPECT_EQ(*NormaliseFirearm("  Smith &  Wesson ", "dbc-1234"), "SMITH WESSON:DBC1234");
  EXPECT_EQ(*NormaliseFirearm("Heckler&Koch", "24-012345"), "HECKLER KOCH:24012345");
  EXPECT_EQ(*NormaliseFirearm("Glock\t", "ABC123"), "GLOCK:ABC123");
  for (auto [make, serial] : {std::pair{"", "1"}, std::pair{"&&", "1"}, std::pair{"Glock", ""},
                              std::pair{"Ceska\xC3\xA1", "1"}, std::pair{"Glock", "A/1"}}) {
    EXPECT_EQ(NormaliseFirearm(make, serial).status().reason(), "invalid_firearm") << make;
  }
  EXPECT_FALSE(NormaliseFirearm("Glock", std::string(31, '1')).ok());
}

TEST(Imo, VerifiesThePublishedExample) {
  EXPECT_EQ(*NormaliseImo("IMO 9074729"), "9074729");
  EXPECT_EQ(*NormaliseImo("9074729"), "9074729");
  EXPECT_EQ(*NormaliseImo("imo9074729"), "9074729");
  for (const char* raw : {"9074728", "IMO 907472", "90747290", "IMO-9074729", "IMX9074729", ""}) {
    EXPECT_EQ(NormaliseImo(raw).status().reason(), "invalid_imo") << raw;
  }
}

}  // namespace
}  // namespace ncbnet::index
