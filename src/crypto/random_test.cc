#include "crypto/random.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace ncbnet::crypto {
namespace {

TEST(RandomBytes, ReturnsRequestedLengthAndVaries) {
  EXPECT_EQ(RandomBytes(0), "");
  EXPECT_EQ(RandomBytes(33).size(), 33U);
  EXPECT_NE(RandomBytes(16), RandomBytes(16));  // equal with probability 2^-128
}

TEST(NewId, HasPrefixAnd26LowerCaseBase32Characters) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string id = NewId("usr");
    ASSERT_EQ(id.size(), 4U + 26U) << id;
    EXPECT_EQ(id.substr(0, 4), "usr_");
    EXPECT_EQ(id.find_first_not_of("abcdefghijklmnopqrstuvwxyz234567", 4), std::string::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100U);
}

}  // namespace
}  // namespace ncbnet::crypto
