#include "core/countries.h"

#include <gtest/gtest.h>

namespace ncbnet {
namespace {

TEST(Countries, ParsesCodesAndNamesSkippingComments) {
  auto c = ParseCountries("# members\nFRA\tFrance\r\n\nDEU\tGermany\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].code, "FRA");
  EXPECT_EQ((*c)[1].name, "Germany");
}

TEST(Countries, NamesTheBadLine) {
  for (const char* bad :
       {"FRA France\n", "fra\tFrance\n", "FR\tFrance\n", "FRA\t\n", "FRA\tFrance\nFRA\tAgain\n"}) {
    const auto c = ParseCountries(bad);
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_EQ(c.status().reason(), "invalid_country_file");
    EXPECT_NE(c.status().message().find("line "), std::string::npos);
  }
}

TEST(Countries, ShippedFileHoldsThe195Members) {
  auto c = LoadCountries(std::string(NCBNET_SOURCE_DATA_DIR) + "/countries.tsv");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->size(), 195u);
}

}  // namespace
}  // namespace ncbnet
