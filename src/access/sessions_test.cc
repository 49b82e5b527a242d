#include "access/sessions.h"

#include <gtest/gtest.h>

#include "access/access_test_env.h"
#include "access/certificates.h"
#include "access/users.h"

namespace ncbnet::access {
namespace {

class SessionsTest : public AccessTest {
 protected:
  void SetUp() override {
    AccessTest::SetUp();
    ASSERT_TRUE(Write([&](store::Transaction& tx) -> Status {
                  NCBNET_ASSIGN_OR_RETURN(User u, InsertUser(tx, "ncb-fra", "fra.admin", "Admin",
                                                             "$argon2id$fake", clock_.NowMillis()));
                  user_id_ = u.id;
                  return Status::Ok();
                }).ok());
  }

  Result<Principal> Resolve(const std::string& token) {
    Principal p;
    Status s = store_->Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(p, ResolveSession(tx, token, clock_.NowMillis(), kIdleMs));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return p;
  }

  std::string Open(std::int64_t ttl_ms) {
    NewSession session;
    EXPECT_TRUE(Write([&](store::Transaction& tx) -> Status {
                  NCBNET_ASSIGN_OR_RETURN(
                      session, OpenSession(tx, user_id_, "ncb-fra", clock_.NowMillis(), ttl_ms));
                  return Status::Ok();
                }).ok());
    return session.token;
  }

  static constexpr std::int64_t kIdleMs = 30 * 60'000;
  std::string user_id_;
};

TEST_F(SessionsTest, ResolvesToUserAgencyAndLiveCapabilities) {
  const std::string token = Open(60'000);
  auto p = Resolve(token);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->user_id, user_id_);
  EXPECT_EQ(p->agency_id, "ncb-fra");
  EXPECT_TRUE(p->Has("agency.admin"));
  EXPECT_FALSE(p->Has("notice.review"));
}

TEST_F(SessionsTest, StoresOnlyTheTokenHash) {
  const std::string token = Open(60'000);
  bool found_plain = true;
  ASSERT_TRUE(store_
                  ->Read([&](store::Transaction& tx) -> Status {
                    NCBNET_ASSIGN_OR_RETURN(auto row,
                                            tx.QueryOne("SELECT count(*) FROM sessions WHERE "
                                                        "token_hash = ?",
                                                        {token}));
                    found_plain = (*row)[0].AsInt() > 0;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_FALSE(found_plain);
}

TEST_F(SessionsTest, ExpiredRevokedAndGarbledTokensAreRefusedWithTheirCodes) {
  const std::string token = Open(1000);
  clock_.Advance(std::chrono::milliseconds(1000));
  EXPECT_EQ(Resolve(token).status().reason(), "token_expired");

  const std::string other = Open(60'000);
  auto p = Resolve(other);
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(Write([&](store::Transaction& tx) {
                return RevokeSession(tx, p->session_token_hash, clock_.NowMillis());
              }).ok());
  EXPECT_EQ(Resolve(other).status().reason(), "token_revoked");

  EXPECT_EQ(Resolve("ncb_short").status().reason(), "invalid_token");
  EXPECT_EQ(Resolve(std::string("ncb_") + std::string(43, 'A')).status().reason(), "invalid_token");
}

TEST_F(SessionsTest, ASessionLeftIdleEndsAndUseRestartsItsIdleTime) {
  const std::string token = Open(8 * 3600'000);
  auto p = Resolve(token);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->session_idle_end_ms, clock_.NowMillis() + kIdleMs);
  EXPECT_EQ(p->session_expires_ms, clock_.NowMillis() + 8 * 3600'000);

  // Used just before its idle time runs out, it lives another idle time from then.
  clock_.Advance(std::chrono::milliseconds(kIdleMs - 1));
  ASSERT_TRUE(Resolve(token).ok());
  ASSERT_TRUE(Write([&](store::Transaction& tx) {
                return TouchSession(tx, p->session_token_hash, clock_.NowMillis());
              }).ok());
  clock_.Advance(std::chrono::milliseconds(kIdleMs - 1));
  ASSERT_TRUE(Resolve(token).ok());
  clock_.Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(Resolve(token).status().reason(), "session_idle");
}

TEST_F(SessionsTest, CertificateResolutionHonoursRevocationAndValidity) {
  const std::int64_t now = clock_.NowMillis();
  ASSERT_TRUE(Write([&](store::Transaction& tx) {
                return InsertCertificate(tx, {"abc123", "ncb-fra", "CN=ncb-fra", now - 1000,
                                              now + 60'000, now, std::nullopt, "pem"});
              }).ok());
  auto resolve = [&](const std::string& serial, const std::string& cn) -> Status {
    return store_->Read([&](store::Transaction& tx) {
      return ResolveCertificate(tx, serial, cn, clock_.NowMillis()).status();
    });
  };
  EXPECT_TRUE(resolve("abc123", "ncb-fra").ok());
  EXPECT_EQ(resolve("abc123", "ncb-deu").reason(), "client_cert_unknown");
  EXPECT_EQ(resolve("ffff", "ncb-fra").reason(), "client_cert_unknown");
  clock_.Advance(std::chrono::milliseconds(61'000));
  EXPECT_EQ(resolve("abc123", "ncb-fra").reason(), "client_cert_expired");
  ASSERT_TRUE(Write([&](store::Transaction& tx) {
                return RevokeCertificate(tx, "abc123", clock_.NowMillis());
              }).ok());
  EXPECT_EQ(resolve("abc123", "ncb-fra").reason(), "client_cert_revoked");
}

}  // namespace
}  // namespace ncbnet::access
