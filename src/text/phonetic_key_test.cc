#include "text/phonetic_key.h"

#include <gtest/gtest.h>

namespace ncbnet::text {
namespace {

void ExpectSameKey(std::initializer_list<std::string_view> spellings) {
  const std::string key = PhoneticKey(*spellings.begin());
  for (std::string_view s : spellings) EXPECT_EQ(PhoneticKey(s), key) << s;
}

TEST(PhoneticKey, FoldsTransliterationVariants) {
  ExpectSameKey({"mohammed", "muhammad", "mohamed", "mohammad", "muhammed", "mhmd"});
  ExpectSameKey({"aleksandr", "oleksandr", "alexander", "aleksander", "oleksander"});
  ExpectSameKey({"yevgeny", "evgeniy", "evgeni", "yevgeniy", "evgenij"});
  ExpectSameKey({"zhang", "chang", "jang"});
  ExpectSameKey({"tchaikovsky", "chaikovskiy", "chaykovskiy", "tschaikowski"});
  ExpectSameKey({"sergey", "sergei", "sergej"});
  ExpectSameKey({"abdullah", "abdulla", "abdallah"});
  ExpectSameKey({"hassan", "hasan", "hsn"});
  ExpectSameKey({"philippe", "filip", "phillip"});
  ExpectSameKey({"xu", "hsu"});
  ExpectSameKey({"xie", "hsieh"});
}

TEST(PhoneticKey, KeepsDifferentNamesApart) {
  EXPECT_NE(PhoneticKey("ivan"), PhoneticKey("igor"));
  EXPECT_NE(PhoneticKey("petrov"), PhoneticKey("popov"));
  EXPECT_NE(PhoneticKey("smith"), PhoneticKey("schmitz"));
}

TEST(PhoneticKey, VowelOnlyTokensKeyAsThemselves) {
  EXPECT_EQ(PhoneticKey("ai"), "~ai");
  EXPECT_EQ(PhoneticKey(""), "~");
}

TEST(BoundedEditDistance, CountsEditsAndSwaps) {
  EXPECT_EQ(BoundedEditDistance("ivanov", "ivanov", 2), 0);
  EXPECT_EQ(BoundedEditDistance("ivanov", "ivanow", 2), 1);
  EXPECT_EQ(BoundedEditDistance("ivanov", "ivnaov", 2), 1);  // adjacent swap
  EXPECT_EQ(BoundedEditDistance("ivanov", "ivnov", 2), 1);
  EXPECT_EQ(BoundedEditDistance("ivanov", "ivvanoov", 2), 2);
  EXPECT_EQ(BoundedEditDistance("ivanov", "petrov", 2), 3);
  EXPECT_EQ(BoundedEditDistance("a", "abcd", 2), 3);
  // Over 64 bytes the distance is not computed, but equal tokens are still 0 apart.
  EXPECT_EQ(BoundedEditDistance(std::string(65, 'a'), std::string(65, 'a'), 2), 0);
  EXPECT_EQ(BoundedEditDistance(std::string(65, 'a'), std::string(64, 'a') + "b", 2), 3);
}

}  // namespace
}  // namespace ncbnet::text
