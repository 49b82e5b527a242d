#include "access/grants.h"

#include <gtest/gtest.h>

#include "access/access_test_env.h"
#include "access/agencies.h"
#include "access/capabilities.h"

namespace ncbnet::access {
namespace {

class GrantsTest : public AccessTest {
 protected:
  // Creates an agency under `parent` on behalf of `actor`.
  std::string NewAgency(const std::string& actor, const std::string& parent, AgencyKind kind) {
    std::string id;
    EXPECT_TRUE(Write([&](store::Transaction& tx) -> Status {
                  NCBNET_ASSIGN_OR_RETURN(
                      Agency a,
                      CreateChildAgency(tx, actor, parent, kind, "agency", clock_.NowMillis()));
                  id = a.id;
                  return Status::Ok();
                }).ok());
    return id;
  }

  Result<Grant> DoGrant(const std::string& from, const std::string& to, const std::string& cap,
                        std::optional<std::int64_t> expires = std::nullopt) {
    Grant out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(
          out, GrantCapability(tx, {from, ""}, to, cap, expires, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  std::set<std::string, std::less<>> Caps(const std::string& agency) {
    std::set<std::string, std::less<>> caps;
    EXPECT_TRUE(store_
                    ->Read([&](store::Transaction& tx) -> Status {
                      NCBNET_ASSIGN_OR_RETURN(caps,
                                              LiveCapabilities(tx, agency, clock_.NowMillis()));
                      return Status::Ok();
                    })
                    .ok());
    return caps;
  }
};

TEST_F(GrantsTest, NetworkGivesGsEverythingAndNcbsAllButReview) {
  EXPECT_EQ(Caps("gs").size(), AllCapabilities().size());
  const auto fra = Caps("ncb-fra");
  EXPECT_TRUE(fra.count("agency.admin"));
  EXPECT_TRUE(fra.count("record.write:SLTD"));
  EXPECT_FALSE(fra.count("notice.review"));
  // NOTICES is managed: NCBs check it, no one writes it through a grant (not even the GS).
  EXPECT_TRUE(fra.count("record.check:NOTICES"));
  EXPECT_FALSE(fra.count("record.write:NOTICES"));
  EXPECT_FALSE(Caps("gs").count("record.write:NOTICES"));
}

TEST_F(GrantsTest, RefusesGrantBeyondOwn) {
  const std::string border = NewAgency("ncb-fra", "ncb-fra", AgencyKind::kAgency);
  auto g = DoGrant("ncb-fra", border, "notice.review");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().reason(), "grant_exceeds_own");
  EXPECT_TRUE(Caps(border).empty());
}

TEST_F(GrantsTest, RefusesSelfGrantAndOtherBranch) {
  const std::string deu_agency = NewAgency("ncb-deu", "ncb-deu", AgencyKind::kAgency);
  EXPECT_EQ(DoGrant("ncb-fra", "ncb-fra", "message.send").status().reason(), "self_grant");
  EXPECT_EQ(DoGrant("ncb-fra", deu_agency, "message.send").status().reason(), "agency_not_found");
  EXPECT_EQ(DoGrant("ncb-fra", "ncb-deu", "message.send").status().reason(), "agency_not_found");
  EXPECT_EQ(DoGrant("ncb-fra", "nowhere", "message.send").status().reason(), "agency_not_found");
}

TEST_F(GrantsTest, RefusesUnknownCapability) {
  const std::string a = NewAgency("ncb-fra", "ncb-fra", AgencyKind::kAgency);
  EXPECT_EQ(DoGrant("ncb-fra", a, "record.check:NOPE").status().reason(), "unknown_capability");
  auto managed = DoGrant("gs", "ncb-fra", "record.write:NOTICES");
  ASSERT_FALSE(managed.ok());
  EXPECT_EQ(managed.status().reason(), "unknown_capability");
  EXPECT_NE(managed.status().message().find("managed database"), std::string::npos);
  EXPECT_TRUE(DoGrant("ncb-fra", a, "record.check:NOTICES").ok());
}

TEST_F(GrantsTest, RevocationCascadesDownTheTree) {
  const std::string a = NewAgency("ncb-fra", "ncb-fra", AgencyKind::kAgency);
  const std::string t = NewAgency("ncb-fra", a, AgencyKind::kTerminal);
  auto to_a = DoGrant("ncb-fra", a, "record.check:SLTD");
  ASSERT_TRUE(to_a.ok());
  ASSERT_TRUE(DoGrant("ncb-fra", a, "agency.admin").ok());
  ASSERT_TRUE(DoGrant(a, t, "record.check:SLTD").ok());
  EXPECT_TRUE(Caps(t).count("record.check:SLTD"));

  std::vector<std::string> revoked;
  ASSERT_TRUE(Write([&](store::Transaction& tx) -> Status {
                NCBNET_ASSIGN_OR_RETURN(
                    revoked, RevokeGrant(tx, {"ncb-fra", ""}, to_a->id, clock_.NowMillis()));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(revoked.size(), 2u);
  EXPECT_FALSE(Caps(a).count("record.check:SLTD"));
  EXPECT_FALSE(Caps(t).count("record.check:SLTD"));
  EXPECT_TRUE(Caps(a).count("agency.admin"));  // the sibling grant stays
}

TEST_F(GrantsTest, ChildRevokingParentsGrantLooksAbsent) {
  const std::string a = NewAgency("ncb-fra", "ncb-fra", AgencyKind::kAgency);
  auto to_a = DoGrant("ncb-fra", a, "record.check:SLTD");
  ASSERT_TRUE(to_a.ok());
  Status s = Write([&](store::Transaction& tx) {
    return RevokeGrant(tx, {a, ""}, to_a->id, clock_.NowMillis()).status();
  });
  EXPECT_EQ(s.reason(), "grant_not_found");
  EXPECT_TRUE(Caps(a).count("record.check:SLTD"));
}

TEST_F(GrantsTest, ExpiryIsClampedToParentAndEnforced) {
  const std::string a = NewAgency("ncb-fra", "ncb-fra", AgencyKind::kAgency);
  const std::string t = NewAgency("ncb-fra", a, AgencyKind::kTerminal);
  const std::int64_t hour = 3600 * 1000;
  ASSERT_TRUE(DoGrant("ncb-fra", a, "agency.admin").ok());
  ASSERT_TRUE(DoGrant("ncb-fra", a, "record.check:SLTD", clock_.NowMillis() + hour).ok());
  auto to_t = DoGrant(a, t, "record.check:SLTD", clock_.NowMillis() + 10 * hour);
  ASSERT_TRUE(to_t.ok());
  EXPECT_EQ(*to_t->expires_ms, clock_.NowMillis() + hour);
  clock_.Advance(std::chrono::milliseconds(hour + 1));
  EXPECT_FALSE(Caps(a).count("record.check:SLTD"));
  EXPECT_FALSE(Caps(t).count("record.check:SLTD"));
  EXPECT_EQ(DoGrant(a, t, "record.check:SLTD").status().reason(), "grant_exceeds_own");
}

}  // namespace
}  // namespace ncbnet::access
