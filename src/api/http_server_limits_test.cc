// HttpServer's refusals over real TLS: sizes, syntax, slow and idle clients, connection caps.
// Each refusal must reach the client as JSON (when it still can) and the handler's OnRefused.
#include <string>

#include <gtest/gtest.h>

#include "api/http_server.h"
#include "api/http_server_test_fixture.h"

namespace ncbnet::api::testing_support {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(HttpServerTest, RefusesAnnouncedBodyOverTheLimitBeforeReadingIt) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  StartServer(options);
  RawTlsConnection connection;
  ASSERT_TRUE(connection.Connect(server_->port()));
  // Announces 10 MB and sends none of it: the answer must not wait for the body.
  ASSERT_TRUE(
      connection.Send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n"));
  const RawTlsConnection::ReadResult result = connection.ReadUntilClose();
  EXPECT_TRUE(result.closed);
  EXPECT_TRUE(Contains(result.data, "HTTP/1.1 413")) << result.data;
  EXPECT_TRUE(Contains(result.data, R"("code":"body_too_large")")) << result.data;
  EXPECT_TRUE(Contains(result.data, "Connection: close")) << result.data;
  auto refusal = handler_.WaitForRefusal("body_too_large");
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->status, 413);
  EXPECT_EQ(refusal->request.method, "POST");
  EXPECT_EQ(refusal->request.path, "/upload");
  EXPECT_EQ(refusal->request.source_ip, "127.0.0.1");
  EXPECT_EQ(refusal->request.request_id.rfind("req_", 0), 0U);
  EXPECT_TRUE(Contains(result.data, refusal->request.request_id));
  EXPECT_TRUE(handler_.requests().empty());
}

TEST_F(HttpServerTest, RefusesAContentLengthBodyOverTheLimit) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  StartServer(options);
  auto client = Client();
  auto reply = client.Request("POST", "/upload", std::string(2000, 'x'));
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->status, 413);
  EXPECT_TRUE(Contains(reply->body, R"("code":"body_too_large")"));
  EXPECT_TRUE(handler_.WaitForRefusal("body_too_large").has_value());
}

TEST_F(HttpServerTest, RefusesAChunkedBodyThatGrowsOverTheLimit) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  StartServer(options);
  RawTlsConnection connection;
  ASSERT_TRUE(connection.Connect(server_->port()));
  const std::string chunk(800, 'x');
  ASSERT_TRUE(
      connection.Send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "320\r\n" +
                      chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n"));
  const RawTlsConnection::ReadResult result = connection.ReadUntilClose();
  EXPECT_TRUE(Contains(result.data, "HTTP/1.1 413")) << result.data;
  EXPECT_TRUE(handler_.WaitForRefusal("body_too_large").has_value());
}

TEST_F(HttpServerTest, BulkPathsTakeLargerBodiesAndOnlyThey) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  options.max_bulk_body_bytes = 4096;
  options.bulk_path_prefixes = {"/v1/checks/"};
  StartServer(options);
  auto client = Client();
  auto bulk = client.Request("POST", "/v1/checks/SLTD", std::string(3000, 'x'));
  ASSERT_TRUE(bulk.ok()) << bulk.status().ToString();
  EXPECT_EQ(bulk->status, 200);
  EXPECT_TRUE(Contains(bulk->body, R"("body_length":3000)")) << bulk->body;
  auto too_big = Client().Request("POST", "/v1/checks/SLTD", std::string(5000, 'x'));
  ASSERT_TRUE(too_big.ok());
  EXPECT_EQ(too_big->status, 413);
  auto other = Client().Request("POST", "/v1/checksum", std::string(3000, 'x'));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->status, 413) << "a path that only begins like a bulk prefix";
}

TEST_F(HttpServerTest, RefusesHugeHeaders) {
  ServerOptions options;
  options.max_header_bytes = 4096;
  StartServer(options);
  auto client = Client();
  auto reply = client.Request("GET", "/", "", {{"X-Padding", std::string(8000, 'a')}});
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->status, 431);
  EXPECT_TRUE(Contains(reply->body, R"("code":"headers_too_large")"));
  EXPECT_EQ(reply->headers["connection"], "close");
  auto refusal = handler_.WaitForRefusal("headers_too_large");
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->status, 431);
  EXPECT_TRUE(handler_.requests().empty());
}

TEST_F(HttpServerTest, RefusesMalformedHttp) {
  StartServer();
  RawTlsConnection connection;
  ASSERT_TRUE(connection.Connect(server_->port()));
  ASSERT_TRUE(connection.Send("GET / HTTP/1.1\r\nBad Header Line\r\n\r\n"));
  const RawTlsConnection::ReadResult result = connection.ReadUntilClose();
  EXPECT_TRUE(result.closed);
  EXPECT_TRUE(Contains(result.data, "HTTP/1.1 400")) << result.data;
  EXPECT_TRUE(Contains(result.data, R"("code":"malformed_request")")) << result.data;
  auto refusal = handler_.WaitForRefusal("malformed_request");
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->status, 400);
}

TEST_F(HttpServerTest, TimesOutARequestThatArrivesTooSlowly) {
  ServerOptions options;
  options.request_timeout_ms = 300;
  StartServer(options);
  RawTlsConnection connection;
  ASSERT_TRUE(connection.Connect(server_->port()));
  ASSERT_TRUE(connection.Send("GET /slow HTTP/1.1\r\nHost: x\r\nX-Half: "));  // and then nothing
  const RawTlsConnection::ReadResult result = connection.ReadUntilClose();
  EXPECT_TRUE(result.closed);
  EXPECT_TRUE(Contains(result.data, "HTTP/1.1 408")) << result.data;
  auto refusal = handler_.WaitForRefusal("request_timeout");
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->status, 408);
  EXPECT_EQ(refusal->request.source_ip, "127.0.0.1");
}

TEST_F(HttpServerTest, ClosesAnIdleKeptAliveConnection) {
  ServerOptions options;
  options.idle_timeout_ms = 200;
  StartServer(options);
  RawTlsConnection connection;
  ASSERT_TRUE(connection.Connect(server_->port()));
  ASSERT_TRUE(connection.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  const RawTlsConnection::ReadResult result = connection.ReadUntilClose();
  EXPECT_TRUE(result.closed);
  EXPECT_TRUE(Contains(result.data, "HTTP/1.1 200")) << result.data;
  EXPECT_TRUE(handler_.refusals().empty());  // idling out is not a refusal
}

TEST_F(HttpServerTest, RefusesConnectionsOverThePerSourceLimit) {
  ServerOptions options;
  options.max_connections_per_source = 2;
  StartServer(options);
  RawTlsConnection first;
  RawTlsConnection second;
  RawTlsConnection third;
  ASSERT_TRUE(first.Connect(server_->port()));
  ASSERT_TRUE(second.Connect(server_->port()));
  EXPECT_FALSE(third.Connect(server_->port()));
  auto refusal = handler_.WaitForRefusal("too_many_connections");
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->status, 429);
  EXPECT_EQ(refusal->request.source_ip, "127.0.0.1");
  EXPECT_EQ(refusal->request.request_id.rfind("req_", 0), 0U);
  EXPECT_EQ(server_->Stats().refused_connections, 1);
  EXPECT_EQ(server_->Stats().open_connections, 2);

  // A freed slot can be used again.
  first.Close();
  ASSERT_TRUE(Eventually([&] { return server_->Stats().open_connections == 1; }));
  RawTlsConnection fourth;
  EXPECT_TRUE(fourth.Connect(server_->port()));
}

TEST_F(HttpServerTest, RefusesConnectionsOverTheTotalLimit) {
  ServerOptions options;
  options.max_connections = 1;
  StartServer(options);
  RawTlsConnection first;
  RawTlsConnection second;
  ASSERT_TRUE(first.Connect(server_->port()));
  EXPECT_FALSE(second.Connect(server_->port()));
  EXPECT_TRUE(handler_.WaitForRefusal("too_many_connections").has_value());
}

}  // namespace
}  // namespace ncbnet::api::testing_support
