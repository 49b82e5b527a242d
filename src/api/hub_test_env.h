// The whole hub in-process for the API's tests: a real SQLite store holding a network (the GS
// and NCBs for France, Germany and Italy, with their default grants), the record indexes, the
// hub's messaging key, the real router and dispatcher behind the real HTTPS server on
// 127.0.0.1:0, with the test PKI (api/http_server_test_fixture.h). Tests write what the API
// cannot (NOTICES records, as the notices service does) through the services, then speak HTTPS.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "access/access_test_env.h"
#include "access/login_throttle.h"
#include "access/sessions.h"
#include "access/users.h"
#include "api/dispatcher.h"
#include "api/http_server.h"
#include "api/http_server_test_fixture.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "core/json.h"
#include "messaging/hub_messages.h"
#include "records/record_indexes.h"
#include "records/records.h"

namespace ncbnet::api::testing_support {

class HubTest : public access::AccessTest {
 protected:
  HubTest() : AccessTest({{"FRA", "France"}, {"DEU", "Germany"}, {"ITA", "Italy"}}) {}

  void SetUp() override {
    AccessTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(Write([&](store::Transaction& tx) { return audit::Anchor(tx, audit_key_); }).ok());
    auto secret = records::DeriveIndexSecret(std::string(32, 'K'));
    ASSERT_TRUE(secret.ok());
    secret_ = *secret;
    indexes_ = std::make_unique<records::RecordIndexes>(records::Catalogue::Builtin(), secret_);
    ASSERT_TRUE(indexes_->Build(*store_).ok());
    ASSERT_TRUE(
        Write([&](store::Transaction& tx) {
          return messaging::EnsureHubKeyRegistered(tx, hub_key_, clock_.NowMillis()).status();
        }).ok());
    services_ = std::make_unique<HubServices>(HubServices{
        *store_, clock_, audit_key_, throttle_, config_, metrics_, data_key_, wakeups_, {}});
    services_->record_indexes = indexes_.get();
    services_->index_secret = &secret_;
    services_->hub_message_key = &hub_key_;
    router_ = BuildRouter(false);
    dispatcher_ = std::make_unique<Dispatcher>(*services_, router_);
    const TestPki& pki = TestPki::Get();
    ServerOptions options;
    options.threads = 2;
    options.handler_threads = 4;
    options.server_cert_pem = pki.server.cert_pem;
    options.server_key_pem = pki.server.key_pem;
    options.client_ca_pem = pki.ca.cert_pem;
    server_ = std::make_unique<HttpServer>(options, *dispatcher_);
    ASSERT_TRUE(server_->Start().ok());
  }

  void TearDown() override {
    if (server_) server_->Stop(0);
  }

  // A bearer token of a new user of `agency`.
  std::string TokenFor(const std::string& agency) {
    std::string token;
    EXPECT_TRUE(Write([&](store::Transaction& tx) -> Status {
                  NCBNET_ASSIGN_OR_RETURN(
                      access::User user,
                      access::InsertUser(tx, agency,
                                         "user" + std::to_string(++users_) + "." + agency,
                                         "Test user", "$argon2id$fake", clock_.NowMillis()));
                  NCBNET_ASSIGN_OR_RETURN(
                      access::NewSession s,
                      access::OpenSession(tx, user.id, agency, clock_.NowMillis(), 3'600'000));
                  token = s.token;
                  return Status::Ok();
                }).ok());
    return token;
  }

  struct Reply {
    int status = 0;
    nlohmann::json body;
    std::string text;
  };

  // `method` `target` with `body` (none if null), as the holder of `token`, over HTTPS.
  Reply Call(const std::string& token, const std::string& method, const std::string& target,
             const nlohmann::json& body = nullptr) {
    testutil::HttpsClient client("127.0.0.1", server_->port(), TestPki::Get().ca.cert_pem);
    std::map<std::string, std::string> headers = {{"authorization", "Bearer " + token}};
    if (!body.is_null()) headers["content-type"] = "application/json";
    auto r = client.Request(method, target, body.is_null() ? "" : body.dump(), headers);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return {};
    return {r->status, ParseJson(r->body), r->body};
  }

  // Writes `change` as a service does, then brings the indexes up to date as the API would.
  Result<records::Record> WriteRecord(
      const std::function<Result<records::Record>(store::Transaction&)>& change) {
    records::Record out;
    NCBNET_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, change(tx));
      return Status::Ok();
    }));
    NCBNET_RETURN_IF_ERROR(indexes_->CatchUp(*store_));
    return out;
  }

  records::IndexSecret secret_;
  std::unique_ptr<records::RecordIndexes> indexes_;
  crypto::SigningKey audit_key_ = crypto::SigningKey::Generate();
  crypto::SigningKey hub_key_ = crypto::SigningKey::Generate();
  access::LoginThrottle throttle_{{}};
  HubConfig config_;
  Metrics metrics_;
  messaging::DataKey data_key_{std::string(32, 'k')};
  Wakeups wakeups_;
  std::unique_ptr<HubServices> services_;
  Router router_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<HttpServer> server_;
  int users_ = 0;
};

}  // namespace ncbnet::api::testing_support
