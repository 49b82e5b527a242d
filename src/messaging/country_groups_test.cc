#include "messaging/country_groups.h"

#include <gtest/gtest.h>

#include "messaging/messaging_test_env.h"

namespace ncbnet::messaging {
namespace {

class CountryGroupsTest : public MessagingTest {
 protected:
  Result<PutResult> Put(const std::string& name, const std::vector<std::string>& countries,
                        const std::string& description = "") {
    PutResult out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(
          out, PutCountryGroup(tx, name, description, countries, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  std::optional<CountryGroup> Get(const std::string& name) {
    std::optional<CountryGroup> out;
    EXPECT_TRUE(store_
                    ->Read([&](store::Transaction& tx) -> Status {
                      NCBNET_ASSIGN_OR_RETURN(out, GetCountryGroup(tx, name));
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }
};

TEST_F(CountryGroupsTest, PutCreatesThenReplacesMembers) {
  auto created = Put("west", {"FRA", "DEU", "FRA"}, "France and Germany");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->group.countries, (std::vector<std::string>{"DEU", "FRA"}));
  clock_.Advance(std::chrono::seconds(5));
  auto replaced = Put("west", {"ITA"}, "Italy only");
  ASSERT_TRUE(replaced.ok());
  EXPECT_FALSE(replaced->created);
  const auto got = Get("west");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->countries, std::vector<std::string>{"ITA"});
  EXPECT_EQ(got->description, "Italy only");
  EXPECT_LT(got->created_ms, got->updated_ms);
  EXPECT_EQ(Count("country_group_members"), 1);
}

TEST_F(CountryGroupsTest, RefusesBadNamesUnknownCountriesAndEmptyGroups) {
  EXPECT_EQ(Put("West", {"FRA"}).status().reason(), "invalid_group");
  EXPECT_EQ(Put("w", {"FRA"}).status().reason(), "invalid_group");
  EXPECT_EQ(Put("west", {}).status().reason(), "invalid_group");
  EXPECT_EQ(Put("west", {"FRA"}, "bad\ndescription").status().reason(), "invalid_group");
  // ESP is a real country but not a member of this test network; "fra" is not upper case.
  EXPECT_EQ(Put("west", {"FRA", "ESP"}).status().reason(), "unknown_country");
  EXPECT_EQ(Put("west", {"fra"}).status().reason(), "unknown_country");
  EXPECT_EQ(Count("country_groups"), 0);
  EXPECT_EQ(Count("country_group_members"), 0);
}

TEST_F(CountryGroupsTest, ListAndDelete) {
  ASSERT_TRUE(Put("b-group", {"FRA"}).ok());
  ASSERT_TRUE(Put("a-group", {"DEU", "ITA"}).ok());
  std::vector<CountryGroup> all;
  ASSERT_TRUE(store_
                  ->Read([&](store::Transaction& tx) -> Status {
                    NCBNET_ASSIGN_OR_RETURN(all, ListCountryGroups(tx));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].name, "a-group");
  EXPECT_EQ(all[0].countries.size(), 2U);
  EXPECT_TRUE(
      Write([&](store::Transaction& tx) { return DeleteCountryGroup(tx, "a-group"); }).ok());
  EXPECT_EQ(
      Write([&](store::Transaction& tx) { return DeleteCountryGroup(tx, "a-group"); }).reason(),
      "group_not_found");
  EXPECT_FALSE(Get("a-group").has_value());
  EXPECT_EQ(Count("country_group_members"), 1);
}

TEST_F(CountryGroupsTest, SendToAGroupReachesEachMemberNcbOnce) {
  ASSERT_TRUE(Put("partners", {"DEU", "ITA", "FRA"}).ok());
  Addressing to;
  to.groups = {"partners"};
  to.countries = {"DEU"};
  auto sent = SendTo("ncb-fra", to);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  // FRA is the sender: dropped; DEU named twice: once.
  EXPECT_EQ(sent->recipients, (std::vector<std::string>{"ncb-deu", "ncb-ita"}));
  auto read = Read("ncb-ita", sent->message_id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->content.to.groups, std::vector<std::string>{"partners"});
}

TEST_F(CountryGroupsTest, UnknownGroupRefusesTheWholeMessage) {
  Addressing to;
  to.groups = {"nowhere"};
  to.countries = {"DEU"};
  auto sent = SendTo("ncb-fra", to);
  EXPECT_EQ(sent.status().reason(), "unknown_recipient");
  EXPECT_NE(sent.status().message().find("nowhere"), std::string::npos);
  EXPECT_EQ(Count("messages"), 0);
  EXPECT_EQ(Count("message_recipients"), 0);
}

TEST_F(CountryGroupsTest, GroupMembersFollowTheTerminalRules) {
  ASSERT_TRUE(Put("abroad", {"DEU"}).ok());
  Addressing to;
  to.groups = {"abroad"};
  EXPECT_EQ(SendTo(fra_terminal_, to).status().reason(), "recipient_not_allowed");
}

}  // namespace
}  // namespace ncbnet::messaging
