// Issuing states and nationalities: ISO 3166-1 and every ICAO Doc 9303 code outside it.
#include <gtest/gtest.h>

#include "mrz/mrz.h"
#include "mrz/mrz_test_util.h"

namespace ncbnet::mrz {
namespace {

struct Expected {
  const char* code;
  CountryKind kind;
  const char* iso_country;
  const char* name_part;
};

TEST(MrzCountries, MapsEveryIcaoCodeOutsideIso3166) {
  const Expected all[] = {
      {"D", CountryKind::kIcaoNational, "DEU", "Germany"},
      {"GBD", CountryKind::kIcaoNational, "GBR", "Overseas Territories"},
      {"GBN", CountryKind::kIcaoNational, "GBR", "National (Overseas)"},
      {"GBO", CountryKind::kIcaoNational, "GBR", "Overseas Citizen"},
      {"GBP", CountryKind::kIcaoNational, "GBR", "Protected Person"},
      {"GBS", CountryKind::kIcaoNational, "GBR", "British Subject"},
      {"EUE", CountryKind::kOrganization, "", "European Union"},
      {"UNO", CountryKind::kOrganization, "", "United Nations Organization"},
      {"UNA", CountryKind::kOrganization, "", "Specialized agency"},
      {"UNK", CountryKind::kOrganization, "", "Kosovo"},
      {"XBA", CountryKind::kOrganization, "", "African Development Bank"},
      {"XIM", CountryKind::kOrganization, "", "African Export-Import Bank"},
      {"XCC", CountryKind::kOrganization, "", "Caribbean Community"},
      {"XCE", CountryKind::kOrganization, "", "Council of Europe"},
      {"XCO", CountryKind::kOrganization, "", "COMESA"},
      {"XEC", CountryKind::kOrganization, "", "ECOWAS"},
      {"XPO", CountryKind::kOrganization, "", "INTERPOL"},
      {"XES", CountryKind::kOrganization, "", "Eastern Caribbean"},
      {"XMP", CountryKind::kOrganization, "", "Mediterranean"},
      {"XOM", CountryKind::kOrganization, "", "Order of Malta"},
      {"XDC", CountryKind::kOrganization, "", "Southern African Development"},
      {"XXA", CountryKind::kStateless, "", "Stateless"},
      {"XXB", CountryKind::kRefugee, "", "1951 Convention"},
      {"XXC", CountryKind::kRefugee, "", "other than"},
      {"XXX", CountryKind::kUnspecified, "", "unspecified nationality"},
      {"UTO", CountryKind::kSpecimen, "", "Utopia"},
  };
  for (const Expected& e : all) {
    const Country c = LookupCountry(e.code);
    EXPECT_EQ(c.code, e.code);
    EXPECT_EQ(c.kind, e.kind) << e.code;
    EXPECT_EQ(c.iso_country, e.iso_country) << e.code;
    EXPECT_NE(c.name.find(e.name_part), std::string::npos) << e.code << ": " << c.name;
  }
}

TEST(MrzCountries, ReadsEveryIcaoCodeInADocument) {
  for (const char* code :
       {"D<<", "GBD", "GBN", "GBO", "GBP", "GBS", "EUE", "UNO", "UNA", "UNK", "XBA", "XIM", "XCC",
        "XCE", "XCO", "XEC", "XPO", "XES", "XMP", "XOM", "XDC", "XXA", "XXB", "XXC", "XXX"}) {
    testutil::Td3 td3;
    td3.state = code;
    td3.nationality = code;
    const Verdict v = Read(td3.Build(), testutil::Today());
    EXPECT_TRUE(v.valid()) << code;
  }
}

TEST(MrzCountries, MapsIso3166IncludingNonMembers) {
  for (const char* code : {"FRA", "DEU", "HKG", "TWN", "ABW", "ATA"}) {
    const Country c = LookupCountry(code);
    EXPECT_EQ(c.kind, CountryKind::kIso3166) << code;
    EXPECT_EQ(c.iso_country, code);
    EXPECT_FALSE(c.name.empty());
  }
  EXPECT_EQ(LookupCountry("FRA").name, "France");
}

TEST(MrzCountries, LeavesOtherCodesUnknown) {
  for (const char* code : {"", "<<<", "ZZZ", "DE", "D<", "XKX", "RKS", "GB", "fra", "ABCD"}) {
    const Country c = LookupCountry(code);
    if (std::string_view(code) == "D<") continue;  // "D" with a filler: Germany
    EXPECT_EQ(c.kind, CountryKind::kUnknown) << code;
    EXPECT_EQ(c.iso_country, "");
    EXPECT_EQ(c.name, "");
  }
  EXPECT_EQ(LookupCountry("D<").iso_country, "DEU");
  EXPECT_EQ(CountryKindName(CountryKind::kUnknown), "unknown");
  EXPECT_EQ(CountryKindName(CountryKind::kIcaoNational), "icao_national");
}

}  // namespace
}  // namespace ncbnet::mrz
