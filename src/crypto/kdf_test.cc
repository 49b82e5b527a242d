#include "crypto/kdf.h"

#include <string>

#include <gtest/gtest.h>

#include "crypto/encoding.h"

namespace ncbnet::crypto {
namespace {

// RFC 4231, test cases 1 and 2.
TEST(HmacSha256, MatchesRfc4231Vectors) {
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(DeriveSubkey, IsDeterministicAndSeparatesContextsAndIds) {
  const std::string master(32, 'M');
  auto a = DeriveSubkey(master, "ncbnet-s", 1, 32);
  auto again = DeriveSubkey(master, "ncbnet-s", 1, 32);
  auto other_id = DeriveSubkey(master, "ncbnet-s", 2, 32);
  auto other_context = DeriveSubkey(master, "ncbnet-x", 1, 32);
  auto other_master = DeriveSubkey(std::string(32, 'N'), "ncbnet-s", 1, 32);
  ASSERT_TRUE(a.ok() && again.ok() && other_id.ok() && other_context.ok() && other_master.ok());
  EXPECT_EQ(a->size(), 32U);
  EXPECT_EQ(*a, *again);
  EXPECT_NE(*a, *other_id);
  EXPECT_NE(*a, *other_context);
  EXPECT_NE(*a, *other_master);
  EXPECT_NE(*a, master);
}

TEST(DeriveSubkey, RefusesBadInputs) {
  const std::string master(32, 'M');
  EXPECT_EQ(DeriveSubkey(std::string(31, 'M'), "ncbnet-s", 1, 32).status().reason(),
            "invalid_kdf_input");
  EXPECT_FALSE(DeriveSubkey(master, "short", 1, 32).ok());
  EXPECT_FALSE(DeriveSubkey(master, "ncbnet-search", 1, 32).ok());
  EXPECT_FALSE(DeriveSubkey(master, "ncbnet-s", 1, 15).ok());
  EXPECT_FALSE(DeriveSubkey(master, "ncbnet-s", 1, 65).ok());
  EXPECT_TRUE(DeriveSubkey(master, "ncbnet-s", 1, 16).ok());
}

}  // namespace
}  // namespace ncbnet::crypto
