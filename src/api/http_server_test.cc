// HttpServer over real TLS on 127.0.0.1: requests, keep-alive, ids, headers, client
// certificates, TLS versions, start errors and a graceful stop. Limits and refusals are in
// http_server_limits_test.cc.
#include "api/http_server.h"

#include <future>
#include <string>

#include <gtest/gtest.h>

#include "api/http_server_test_fixture.h"

namespace ncbnet::api::testing_support {
namespace {

TEST_F(HttpServerTest, ServesGetAndPostOnOneKeptAliveConnection) {
  StartServer();
  auto client = Client();
  Result<testutil::HttpsClient::Reply> get = client.Request("GET", "/hello?x=1&y=2");
  ASSERT_TRUE(get.ok()) << get.status().ToString();
  EXPECT_EQ(get->status, 200);
  EXPECT_NE(get->body.find(R"("path":"/hello")"), std::string::npos) << get->body;
  Result<testutil::HttpsClient::Reply> post = client.Request("POST", "/echo", R"({"a":1})");
  ASSERT_TRUE(post.ok()) << post.status().ToString();
  EXPECT_EQ(post->status, 200);

  EXPECT_EQ(client.connections_opened(), 1);
  EXPECT_EQ(server_->Stats().accepted_connections, 1);
  const std::vector<HttpRequest> seen = handler_.requests();
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].target, "/hello?x=1&y=2");
  EXPECT_EQ(seen[0].path, "/hello");
  EXPECT_EQ(seen[0].query, "x=1&y=2");
  EXPECT_EQ(seen[0].source_ip, "127.0.0.1");
  EXPECT_EQ(seen[1].method, "POST");
  EXPECT_EQ(seen[1].body, R"({"a":1})");
  EXPECT_EQ(seen[1].Header("content-type"), "application/json");
  EXPECT_EQ(seen[1].Header("absent"), "");
}

TEST_F(HttpServerTest, GivesEveryRequestItsOwnIdAndIgnoresTheClients) {
  StartServer();
  auto client = Client();
  auto first = client.Request("GET", "/a", "", {{"X-Request-Id", "client-chosen"}});
  auto second = client.Request("GET", "/b");
  ASSERT_TRUE(first.ok() && second.ok());
  const std::string id1 = first->headers["x-request-id"];
  const std::string id2 = second->headers["x-request-id"];
  EXPECT_EQ(id1.rfind("req_", 0), 0U) << id1;
  EXPECT_EQ(id2.rfind("req_", 0), 0U) << id2;
  EXPECT_NE(id1, id2);
  const std::vector<HttpRequest> seen = handler_.requests();
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[0].request_id, id1);
  EXPECT_EQ(seen[1].request_id, id2);
}

TEST_F(HttpServerTest, AddsSecurityHeadersToEveryResponse) {
  StartServer();
  auto client = Client();
  auto reply = client.Request("GET", "/");
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->headers["strict-transport-security"], "max-age=31536000");
  EXPECT_EQ(reply->headers["x-content-type-options"], "nosniff");
  EXPECT_EQ(reply->headers["cache-control"], "no-store");
  EXPECT_EQ(reply->headers["content-security-policy"],
            "default-src 'none'; frame-ancestors 'none'");
  EXPECT_EQ(reply->headers["referrer-policy"], "no-referrer");
  EXPECT_EQ(reply->headers["x-frame-options"], "DENY");
  EXPECT_EQ(reply->headers["content-type"], "application/json");
  EXPECT_FALSE(reply->headers["server"].empty());
}

TEST_F(HttpServerTest, HonoursConnectionClose) {
  StartServer();
  auto client = Client();
  auto reply = client.Request("GET", "/", "", {{"Connection", "close"}});
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->headers["connection"], "close");
  ASSERT_TRUE(client.Request("GET", "/").ok());
  EXPECT_EQ(client.connections_opened(), 2);
}

TEST_F(HttpServerTest, AnswersInternalErrorWhenTheHandlerThrows) {
  StartServer();
  auto client = Client();
  auto reply = client.Request("GET", "/throw");
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->status, 500);
  EXPECT_NE(reply->body.find(R"("code":"internal")"), std::string::npos) << reply->body;
  EXPECT_NE(reply->body.find(reply->headers["x-request-id"]), std::string::npos);
  EXPECT_TRUE(client.Request("GET", "/").ok());  // the server lives on
}

TEST_F(HttpServerTest, ReportsAVerifiedClientCertificate) {
  StartServer();
  const TestPki& pki = TestPki::Get();
  auto client = Client(CertOf(pki.client));
  ASSERT_TRUE(client.Request("GET", "/").ok());
  const std::vector<HttpRequest> seen = handler_.requests();
  ASSERT_EQ(seen.size(), 1U);
  ASSERT_TRUE(seen[0].peer_certificate.has_value());
  const PeerCertificate& peer = *seen[0].peer_certificate;
  EXPECT_TRUE(peer.verified) << peer.verify_error;
  EXPECT_EQ(peer.verify_error_code, 0);
  EXPECT_EQ(peer.common_name, "agc_test");
  Result<crypto::CertInfo> info = crypto::ParseCertificate(pki.client.cert_pem);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(peer.serial_hex, info->serial_hex);
  EXPECT_EQ(peer.pem, pki.client.cert_pem);
}

TEST_F(HttpServerTest, AcceptsButFlagsACertificateFromAnotherCa) {
  StartServer();
  auto client = Client(CertOf(TestPki::Get().foreign_client));
  ASSERT_TRUE(client.Request("GET", "/").ok());
  const std::vector<HttpRequest> seen = handler_.requests();
  ASSERT_EQ(seen.size(), 1U);
  ASSERT_TRUE(seen[0].peer_certificate.has_value());
  EXPECT_FALSE(seen[0].peer_certificate->verified);
  EXPECT_NE(seen[0].peer_certificate->verify_error_code, 0);
  EXPECT_FALSE(seen[0].peer_certificate->verify_error.empty());
  EXPECT_EQ(seen[0].peer_certificate->common_name, "agc_test");
}

TEST_F(HttpServerTest, AcceptsButFlagsAnExpiredCertificate) {
  StartServer();
  auto client = Client(CertOf(TestPki::Get().expired_client));
  ASSERT_TRUE(client.Request("GET", "/").ok());
  const std::vector<HttpRequest> seen = handler_.requests();
  ASSERT_EQ(seen.size(), 1U);
  ASSERT_TRUE(seen[0].peer_certificate.has_value());
  EXPECT_FALSE(seen[0].peer_certificate->verified);
  EXPECT_EQ(seen[0].peer_certificate->verify_error_code, X509_V_ERR_CERT_HAS_EXPIRED);
  EXPECT_NE(seen[0].peer_certificate->verify_error.find("expired"), std::string::npos);
}

TEST_F(HttpServerTest, HasNoPeerCertificateWhenTheClientSendsNone) {
  StartServer();
  auto client = Client();
  ASSERT_TRUE(client.Request("GET", "/").ok());
  const std::vector<HttpRequest> seen = handler_.requests();
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_FALSE(seen[0].peer_certificate.has_value());
}

TEST_F(HttpServerTest, RefusesTls11) {
  StartServer();
  // The client is willing to speak TLS 1.1 (and nothing newer), so a failure is the server's.
  RawTlsConnection old_client([](SSL_CTX* ctx) {
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION);
    SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
  });
  EXPECT_FALSE(old_client.Connect(server_->port()));
  EXPECT_TRUE(Eventually([&] { return server_->Stats().tls_handshake_failures == 1; }));
  RawTlsConnection tls12_client(
      [](SSL_CTX* ctx) { SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION); });
  ASSERT_TRUE(tls12_client.Connect(server_->port()));
  EXPECT_EQ(tls12_client.version(), "TLSv1.2");
  RawTlsConnection modern_client;
  ASSERT_TRUE(modern_client.Connect(server_->port()));
  EXPECT_EQ(modern_client.version(), "TLSv1.3");
}

TEST_F(HttpServerTest, RefusesTls12WithoutForwardSecrecyOrAead) {
  StartServer();
  RawTlsConnection cbc_client([](SSL_CTX* ctx) {
    SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-AES128-SHA256:AES128-GCM-SHA256");
  });
  EXPECT_FALSE(cbc_client.Connect(server_->port()));
  EXPECT_TRUE(Eventually([&] { return server_->Stats().tls_handshake_failures == 1; }));
}

TEST_F(HttpServerTest, StartRejectsBadTlsMaterial) {
  ServerOptions options;
  options.server_cert_pem = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
  options.server_key_pem = TestPki::Get().server.key_pem;
  HttpServer server(options, handler_);
  const Status status = server.Start();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.reason(), "invalid_tls_material");

  options.server_cert_pem = TestPki::Get().server.cert_pem;
  options.server_key_pem = TestPki::Get().client.key_pem;  // does not match
  HttpServer mismatched(options, handler_);
  EXPECT_EQ(mismatched.Start().reason(), "invalid_tls_material");
}

TEST_F(HttpServerTest, StartReportsAPortInUse) {
  StartServer();
  ServerOptions options;
  options.port = server_->port();
  options.server_cert_pem = TestPki::Get().server.cert_pem;
  options.server_key_pem = TestPki::Get().server.key_pem;
  HttpServer second(options, handler_);
  const Status status = second.Start();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.reason(), "bind_failed");
}

TEST_F(HttpServerTest, StopLetsARequestInFlightFinish) {
  StartServer();
  auto client = Client();
  auto reply = std::async(std::launch::async, [&] { return client.Request("GET", "/block"); });
  ASSERT_TRUE(handler_.WaitUntilBlocked());
  auto stopped = std::async(std::launch::async, [&] { server_->Stop(5000); });
  // Stop() has begun once new connections are refused; only then let the handler go on.
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  bool refusing = false;
  while (!refusing && std::chrono::steady_clock::now() < deadline) {
    RawTlsConnection probe;
    refusing = !probe.Connect(server_->port());
  }
  EXPECT_TRUE(refusing);
  handler_.Release();
  Result<testutil::HttpsClient::Reply> result = reply.get();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->headers["connection"], "close");
  EXPECT_EQ(stopped.wait_for(kPatience), std::future_status::ready);
  EXPECT_EQ(server_->Stats().open_connections, 0);
}

TEST_F(HttpServerTest, StopClosesIdleConnectionsPromptly) {
  StartServer();
  auto client = Client();
  ASSERT_TRUE(client.Request("GET", "/").ok());
  const auto started = std::chrono::steady_clock::now();
  server_->Stop(kPatience.count());
  EXPECT_LT(std::chrono::steady_clock::now() - started, kPatience / 2);
  EXPECT_EQ(server_->Stats().open_connections, 0);
}

}  // namespace
}  // namespace ncbnet::api::testing_support
