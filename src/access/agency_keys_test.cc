#include "access/agency_keys.h"

#include <gtest/gtest.h>

#include "access/access_test_env.h"
#include "access/agencies.h"
#include "crypto/hash.h"
#include "crypto/sign.h"

namespace ncbnet::access {
namespace {

class AgencyKeysTest : public AccessTest {
 protected:
  Result<AgencyKey> Register(const std::string& actor, const std::string& agency,
                             const std::string& public_key) {
    AgencyKey out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out,
                              RegisterAgencyKey(tx, actor, agency, public_key, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<AgencyKey> Revoke(const std::string& actor, const std::string& key_id) {
    AgencyKey out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, RevokeAgencyKey(tx, actor, key_id, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  std::vector<AgencyKey> List() {
    std::vector<AgencyKey> keys;
    EXPECT_TRUE(store_
                    ->Read([&](store::Transaction& tx) -> Status {
                      NCBNET_ASSIGN_OR_RETURN(keys, ListAgencyKeys(tx));
                      return Status::Ok();
                    })
                    .ok());
    return keys;
  }

  crypto::SigningKey key_ = crypto::SigningKey::Generate();
};

TEST_F(AgencyKeysTest, KeyIdIsPrefixOfSha256) {
  const std::string id = KeyIdFor(key_.public_key());
  EXPECT_EQ(id, "ed25519:" + crypto::Sha256Hex(key_.public_key()).substr(0, 32));
  EXPECT_EQ(id.size(), 8U + 32U);
}

TEST_F(AgencyKeysTest, RegistersFindsAndLists) {
  Result<AgencyKey> k = Register("ncb-fra", "ncb-fra", key_.public_key());
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  EXPECT_EQ(k->key_id, KeyIdFor(key_.public_key()));
  EXPECT_EQ(k->agency_id, "ncb-fra");
  EXPECT_FALSE(k->revoked_ms);

  std::optional<AgencyKey> found;
  ASSERT_TRUE(store_
                  ->Read([&](store::Transaction& tx) -> Status {
                    NCBNET_ASSIGN_OR_RETURN(found, FindAgencyKey(tx, k->key_id));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(found);
  EXPECT_EQ(found->public_key, key_.public_key());
  EXPECT_EQ(found->created_ms, clock_.NowMillis());
  ASSERT_EQ(List().size(), 1U);
}

TEST_F(AgencyKeysTest, GsRegistersForAnyNcb) {
  EXPECT_TRUE(Register("gs", "ncb-deu", key_.public_key()).ok());
}

TEST_F(AgencyKeysTest, RefusesAgencyOutsideBranchAsNotFound) {
  Result<AgencyKey> k = Register("ncb-fra", "ncb-deu", key_.public_key());
  EXPECT_EQ(k.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(k.status().reason(), "agency_not_found");
  EXPECT_EQ(Register("ncb-fra", "ncb-xxx", key_.public_key()).status().reason(),
            "agency_not_found");
  EXPECT_TRUE(List().empty());
}

TEST_F(AgencyKeysTest, RefusesInvalidKeys) {
  for (const std::string& bad : {std::string(31, 'a'), std::string(33, 'a'), std::string(32, '\0'),
                                 std::string(32, '\xff')}) {
    Result<AgencyKey> k = Register("ncb-fra", "ncb-fra", bad);
    EXPECT_EQ(k.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(k.status().reason(), "invalid_key");
  }
  // The identity point (1, 0...) is of small order.
  std::string identity(32, '\0');
  identity[0] = 1;
  EXPECT_EQ(Register("ncb-fra", "ncb-fra", identity).status().reason(), "invalid_key");
}

TEST_F(AgencyKeysTest, RefusesDuplicateKey) {
  ASSERT_TRUE(Register("gs", "ncb-fra", key_.public_key()).ok());
  Result<AgencyKey> again = Register("gs", "ncb-deu", key_.public_key());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().reason(), "key_exists");
}

TEST_F(AgencyKeysTest, RevokesWithinBranchOnly) {
  Result<AgencyKey> k = Register("ncb-fra", "ncb-fra", key_.public_key());
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(Revoke("ncb-deu", k->key_id).status().reason(), "key_not_found");
  EXPECT_EQ(Revoke("ncb-fra", "ed25519:00").status().reason(), "key_not_found");

  const std::int64_t revoked_at = clock_.NowMillis() + 1000;
  clock_.SetMillis(revoked_at);
  Result<AgencyKey> r = Revoke("ncb-fra", k->key_id);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->revoked_ms, revoked_at);

  clock_.Advance(std::chrono::milliseconds(5));
  Result<AgencyKey> again = Revoke("gs", k->key_id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->revoked_ms, revoked_at) << "a second revocation keeps the first time";
  ASSERT_EQ(List().size(), 1U);
  EXPECT_EQ(List()[0].revoked_ms, revoked_at);
}

}  // namespace
}  // namespace ncbnet::access
