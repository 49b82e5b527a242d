// GET /readyz over HTTPS against the in-process hub: ready when the store takes writes and the
// record indexes are loaded; otherwise 503 with Retry-After and the fixed reason names. Never
// audited (a load balancer asks every second).
#include <gtest/gtest.h>

#include "api/hub_test_env.h"
#include "audit/audit_log.h"

namespace ncbnet::api::testing_support {
namespace {

class ReadyzTest : public HubTest {
 protected:
  testutil::HttpsClient::Reply Get() {
    testutil::HttpsClient client("127.0.0.1", server_->port(), TestPki::Get().ca.cert_pem);
    auto r = client.Request("GET", "/readyz");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : testutil::HttpsClient::Reply{};
  }

  std::int64_t AuditEntries() {
    std::int64_t n = -1;
    EXPECT_TRUE(store_
                    ->Read([&](store::Transaction& tx) -> Status {
                      NCBNET_ASSIGN_OR_RETURN(n, audit::Count(tx));
                      return Status::Ok();
                    })
                    .ok());
    return n;
  }
};

TEST_F(ReadyzTest, IsReadyWhenTheStoreTakesWritesAndTheIndexesAreLoaded) {
  const std::int64_t before = AuditEntries();
  const auto reply = Get();
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(ParseJson(reply.body), nlohmann::json({{"status", "ready"}}));
  EXPECT_EQ(AuditEntries(), before) << "a readiness probe is not audited";
}

TEST_F(ReadyzTest, NamesWhatIsMissingAndSaysWhenToAskAgain) {
  services_->record_indexes = nullptr;  // as a node whose indexes are not loaded
  const auto reply = Get();
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(ParseJson(reply.body),
            nlohmann::json({{"status", "not_ready"}, {"reasons", {"indexes_loading"}}}));
  ASSERT_EQ(reply.headers.count("retry-after"), 1u);
  EXPECT_EQ(reply.headers.at("retry-after"), "1");
}

}  // namespace
}  // namespace ncbnet::api::testing_support
