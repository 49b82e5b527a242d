#include "notices/lookup.h"

#include <gtest/gtest.h>

#include "access/access_test_env.h"
#include "notices/lookup_test_rows.h"

namespace ncbnet::notices {
namespace {

// Notices rows written as the notices service writes them (migration 9), in every state that
// matters to a lookup; France requests them all.
class LookupTest : public access::AccessTest {
 protected:
  LookupTest() : AccessTest({{"FRA", "France"}, {"DEU", "Germany"}, {"ITA", "Italy"}}) {}

  void Insert(const std::string& id, const std::string& channel, const std::string& kind,
              const std::string& state, const std::optional<std::string>& control_number,
              const std::string& recipients = "*") {
    ASSERT_TRUE(Write([&](store::Transaction& tx) {
                  return testutil::InsertNoticeRow(
                      tx, {id, channel, kind, state, control_number, recipients});
                }).ok());
  }

  std::map<std::string, LiveNotice> Lookup(const std::vector<std::string>& numbers,
                                           const std::string& viewer_country) {
    std::map<std::string, LiveNotice> out;
    EXPECT_TRUE(store_
                    ->Read([&](store::Transaction& tx) -> Status {
                      NCBNET_ASSIGN_OR_RETURN(out, LookupLive(tx, numbers, viewer_country));
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }

  static std::vector<std::string> Keys(const std::map<std::string, LiveNotice>& m) {
    std::vector<std::string> keys;
    for (const auto& [k, v] : m) keys.push_back(k);
    return keys;
  }
};

TEST_F(LookupTest, FindsPublishedNoticesWithTheirKindAndRequester) {
  Insert("ntc_1", "notice", "red", "published", "A-1/11-2026");
  const auto live = Lookup({"A-1/11-2026", "A-404/11-2026"}, "DEU");
  ASSERT_EQ(Keys(live), (std::vector<std::string>{"A-1/11-2026"}));
  const LiveNotice& n = live.at("A-1/11-2026");
  EXPECT_EQ(n.kind, "red");
  EXPECT_EQ(n.channel, "notice");
  EXPECT_EQ(n.requesting_country, "FRA");
  EXPECT_EQ(Keys(Lookup({"A-1/11-2026"}, "")).size(), 1u);  // the GS too
}

TEST_F(LookupTest, LeavesOutNoticesThatAreNotPublished) {
  const char* states[] = {"draft",     "under_review", "info_requested", "rejected",
                          "suspended", "cancelled",    "withdrawn",      "expired"};
  std::vector<std::string> numbers;
  int i = 0;
  for (const char* state : states) {
    const std::string number = "Y-" + std::to_string(++i) + "/11-2026";
    Insert("ntc_" + std::to_string(i), "notice", "yellow", state, number);
    numbers.push_back(number);
  }
  EXPECT_TRUE(Lookup(numbers, "DEU").empty());
  EXPECT_TRUE(Lookup(numbers, "FRA").empty());  // not even for the requester
}

TEST_F(LookupTest, ADiffusionIsLiveOnlyWhenCirculatedAndOnlyForItsRecipients) {
  Insert("dif_1", "diffusion", "red", "circulated", "DIF-1/11-2026", "DEU");
  Insert("dif_2", "diffusion", "blue", "circulated", "DIF-2/11-2026", "*");
  Insert("dif_3", "diffusion", "red", "withdrawn", "DIF-3/11-2026", "*");
  Insert("dif_4", "diffusion", "red", "cancelled", "DIF-4/11-2026", "DEU,ITA");
  const std::vector<std::string> all = {"DIF-1/11-2026", "DIF-2/11-2026", "DIF-3/11-2026",
                                        "DIF-4/11-2026"};
  EXPECT_EQ(Keys(Lookup(all, "DEU")), (std::vector<std::string>{"DIF-1/11-2026", "DIF-2/11-2026"}));
  EXPECT_EQ(Keys(Lookup(all, "FRA")), (std::vector<std::string>{"DIF-1/11-2026", "DIF-2/11-2026"}));
  EXPECT_EQ(Keys(Lookup(all, "ITA")), (std::vector<std::string>{"DIF-2/11-2026"}));
  EXPECT_EQ(Keys(Lookup(all, "")), (std::vector<std::string>{"DIF-2/11-2026"}));
  // A country code that merely contains a recipient's is no recipient.
  Insert("dif_5", "diffusion", "red", "circulated", "DIF-5/11-2026", "DEUX,ITA");
  EXPECT_TRUE(Lookup({"DIF-5/11-2026"}, "DEU").empty());
  EXPECT_EQ(Lookup({"DIF-5/11-2026"}, "ITA").size(), 1u);
}

TEST_F(LookupTest, MatchesControlNumbersExactlyAndIgnoresEmptyOnes) {
  Insert("ntc_1", "notice", "red", "published", "A-1/11-2026");
  Insert("ntc_2", "notice", "red", "draft", std::nullopt);
  EXPECT_TRUE(Lookup({"a-1/11-2026", " A-1/11-2026", "A-1", "", "%"}, "DEU").empty());
}

TEST_F(LookupTest, LooksUpMoreThanOneStatementHolds) {
  std::vector<std::string> numbers;
  for (int i = 1; i <= 250; ++i) numbers.push_back("G-" + std::to_string(i) + "/11-2026");
  Insert("ntc_a", "notice", "green", "published", numbers[0]);
  Insert("ntc_b", "notice", "green", "published", numbers[149]);
  Insert("ntc_c", "notice", "green", "published", numbers[249]);
  EXPECT_EQ(Lookup(numbers, "ITA").size(), 3u);
}

}  // namespace
}  // namespace ncbnet::notices
