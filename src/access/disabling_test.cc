#include "access/disabling.h"

#include <gtest/gtest.h>

#include "access/access_test_env.h"
#include "access/certificates.h"
#include "access/grants.h"
#include "access/sessions.h"

namespace ncbnet::access {
namespace {

// France's branch: NCB -> agency -> terminal, each with a user, a session, a certificate and
// (below the NCB) a grant of record.check:SLTD.
class DisablingTest : public AccessTest {
 protected:
  struct Member {
    std::string agency, user, token, serial;
  };

  void SetUp() override {
    AccessTest::SetUp();
    ncb_ = Populate("ncb-fra", "");
    agency_ = Populate("ncb-fra", "agency");
    terminal_ = Populate(agency_.agency, "terminal");
  }

  // Creates an agency of `kind` under `parent` (or uses `parent` itself when kind is empty).
  Member Populate(const std::string& parent, const std::string& kind) {
    Member m;
    const std::int64_t now = clock_.NowMillis();
    EXPECT_TRUE(
        Write([&](store::Transaction& tx) -> Status {
          m.agency = parent;
          if (!kind.empty()) {
            NCBNET_ASSIGN_OR_RETURN(Agency a, CreateChildAgency(tx, "ncb-fra", parent,
                                                                *ParseAgencyKind(kind), kind, now));
            m.agency = a.id;
            NCBNET_RETURN_IF_ERROR(
                GrantCapability(tx, {parent, ""}, m.agency, "record.check:SLTD", std::nullopt, now)
                    .status());
          }
          NCBNET_ASSIGN_OR_RETURN(
              User u, InsertUser(tx, m.agency, "u." + std::to_string(++counter_), "User",
                                 "$argon2id$fake", now));
          m.user = u.id;
          NCBNET_ASSIGN_OR_RETURN(NewSession s, OpenSession(tx, u.id, m.agency, now, 3'600'000));
          m.token = s.token;
          m.serial = "abc" + std::to_string(counter_);
          return InsertCertificate(tx, {m.serial, m.agency, "CN=" + m.agency, now - 1,
                                        now + 3'600'000, now, std::nullopt, "pem"});
        }).ok());
    return m;
  }

  // The first error resolving `m`'s session and certificate, or "ok ok".
  std::string Resolve(const Member& m) {
    std::string out;
    EXPECT_TRUE(store_
                    ->Read([&](store::Transaction& tx) -> Status {
                      const std::int64_t now = clock_.NowMillis();
                      auto s = ResolveSession(tx, m.token, now, 3600'000);
                      auto c = ResolveCertificate(tx, m.serial, m.agency, now);
                      out = (s.ok() ? "ok" : s.status().reason()) + " " +
                            (c.ok() ? "ok" : c.status().reason());
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }

  Result<DisabledAgency> Disable(const std::string& actor, const std::string& id) {
    DisabledAgency out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, DisableAgency(tx, actor, id, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<User> DisableOneUser(const std::string& actor_agency, const std::string& actor_user,
                              const std::string& id) {
    User out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out,
                              DisableUser(tx, actor_agency, actor_user, id, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  int counter_ = 0;
  Member ncb_, agency_, terminal_;
};

TEST_F(DisablingTest, DisablingAnAgencyTakesItsWholeBranchAtOnce) {
  EXPECT_EQ(Resolve(agency_), "ok ok");
  EXPECT_EQ(Resolve(terminal_), "ok ok");
  clock_.Advance(std::chrono::seconds(5));
  Result<DisabledAgency> d = Disable("ncb-fra", agency_.agency);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->agency.disabled_ms, clock_.NowMillis());
  EXPECT_EQ(d->summary.agencies, 2);
  EXPECT_EQ(d->summary.users, 2);
  EXPECT_EQ(d->summary.sessions, 2);
  EXPECT_EQ(d->summary.certificates, 2);
  EXPECT_EQ(d->summary.grants, 2);

  EXPECT_EQ(Resolve(agency_), "token_revoked client_cert_revoked");
  EXPECT_EQ(Resolve(terminal_), "token_revoked client_cert_revoked");
  EXPECT_EQ(Resolve(ncb_), "ok ok");

  // Again: nothing more to change, and no error.
  Result<DisabledAgency> again = Disable("ncb-fra", agency_.agency);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->summary.agencies, 0);
  EXPECT_EQ(again->agency.disabled_ms, d->agency.disabled_ms);

  // Nothing new is made for a disabled agency.
  Status s = Write([&](store::Transaction& tx) {
    return CreateChildAgency(tx, "ncb-fra", agency_.agency, AgencyKind::kTerminal, "t",
                             clock_.NowMillis())
        .status();
  });
  EXPECT_EQ(s.reason(), "agency_disabled");
  s = Write([&](store::Transaction& tx) {
    return GrantCapability(tx, {"ncb-fra", ""}, terminal_.agency, "message.send", std::nullopt,
                           clock_.NowMillis())
        .status();
  });
  EXPECT_EQ(s.reason(), "agency_disabled");
}

TEST_F(DisablingTest, OnlyStrictlyBelowAndInsideOnesBranch) {
  Result<DisabledAgency> self = Disable("ncb-fra", "ncb-fra");
  EXPECT_EQ(self.status().reason(), "self_disable");
  EXPECT_EQ(Disable(agency_.agency, "ncb-fra").status().reason(), "agency_not_found");
  EXPECT_EQ(Disable("ncb-deu", agency_.agency).status().reason(), "agency_not_found");
  EXPECT_EQ(Disable("ncb-fra", "ncb-deu").status().reason(), "agency_not_found");
  EXPECT_EQ(Disable("ncb-fra", "agc_missing").status().reason(), "agency_not_found");
  EXPECT_EQ(Resolve(agency_), "ok ok");

  // The GS may disable a whole NCB.
  ASSERT_TRUE(Disable("gs", "ncb-fra").ok());
  EXPECT_EQ(Resolve(ncb_), "token_revoked client_cert_revoked");
  EXPECT_EQ(Resolve(terminal_), "token_revoked client_cert_revoked");
}

TEST_F(DisablingTest, DisablingAUserEndsItsSessions) {
  EXPECT_EQ(DisableOneUser("ncb-fra", ncb_.user, ncb_.user).status().reason(), "self_disable");
  EXPECT_EQ(DisableOneUser("ncb-deu", "", terminal_.user).status().reason(), "user_not_found");
  EXPECT_EQ(DisableOneUser(terminal_.agency, "", agency_.user).status().reason(), "user_not_found");
  EXPECT_EQ(DisableOneUser("ncb-fra", ncb_.user, "usr_missing").status().reason(),
            "user_not_found");

  Result<User> u = DisableOneUser("ncb-fra", ncb_.user, terminal_.user);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_TRUE(u->disabled_ms.has_value());
  // The session is gone; the terminal's certificate speaks for the agency, not the user.
  EXPECT_EQ(Resolve(terminal_), "token_revoked ok");
  EXPECT_TRUE(DisableOneUser("ncb-fra", ncb_.user, terminal_.user).ok());
}

}  // namespace
}  // namespace ncbnet::access
