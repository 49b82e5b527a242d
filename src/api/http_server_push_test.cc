// HttpServer's long polling (HttpResponse::wait) and WebSocket feeds (HttpResponse::feed) over
// real TLS on 127.0.0.1, with the recording handler's /poll and /feed and a real WebSocket
// client.
#include <future>
#include <string>

#include <gtest/gtest.h>

#include "api/client/websocket_client.h"
#include "api/http_server.h"
#include "api/http_server_test_fixture.h"

namespace ncbnet::api::testing_support {
namespace {

class HttpServerPushTest : public HttpServerTest {
 protected:
  // The number of times the handler has been asked for `path`.
  int CallsTo(const std::string& path) const {
    int calls = 0;
    for (const HttpRequest& r : handler_.requests()) calls += r.path == path ? 1 : 0;
    return calls;
  }

  // The next message, or the error's text: a failed read shows in the comparison.
  static std::string NextOf(client::WebSocketClient& ws) {
    Result<std::string> message = ws.Read(kPatience);
    return message.ok() ? *message : message.status().ToString();
  }

  client::WebSocketClient WebSocket() {
    return client::WebSocketClient("127.0.0.1", server_->port(), TestPki::Get().ca.cert_pem);
  }
};

TEST_F(HttpServerPushTest, LongPollAnswersAsSoonAsItsTopicMoves) {
  StartServer();
  auto client = Client();
  auto reply = std::async(std::launch::async, [&] { return client.Request("GET", "/poll"); });
  ASSERT_TRUE(Eventually([&] { return CallsTo("/poll") == 1; }));
  ASSERT_TRUE(Eventually([&] { return handler_.wakeups().waiting() == 1; }));
  handler_.Publish("m1");
  Result<testutil::HttpsClient::Reply> result = reply.get();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "m1");
  EXPECT_EQ(CallsTo("/poll"), 2);
  EXPECT_EQ(handler_.wakeups().waiting(), 0U);
  // The connection is kept alive and serves the next request.
  ASSERT_TRUE(client.Request("GET", "/hello").ok());
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST_F(HttpServerPushTest, AStreamedAnswerArrivesWholeInChunks) {
  StartServer();
  auto client = Client();
  for (int round = 0; round < 2; ++round) {
    Result<testutil::HttpsClient::Reply> reply = client.Request("GET", "/stream");
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->body,
              "{\"line\":0}\n{\"line\":1}\n{\"line\":2}\n{\"line\":3}\n{\"line\":4}\n");
  }
  EXPECT_EQ(client.connections_opened(), 1) << "kept alive after a streamed answer";
}

TEST_F(HttpServerPushTest, LongPollIsAnsweredWhenItsTimeIsUp) {
  StartServer();
  auto client = Client();
  Result<testutil::HttpsClient::Reply> result = client.Request("GET", "/poll?after=0&ms=20");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->body, "timeout");
  const std::vector<HttpRequest> seen = handler_.requests();
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_FALSE(seen[0].wait_over);
  EXPECT_TRUE(seen[1].wait_over);
  EXPECT_EQ(seen[0].request_id, seen[1].request_id);  // one request, asked twice
  EXPECT_EQ(handler_.wakeups().waiting(), 0U);
}

TEST_F(HttpServerPushTest, AnEventBeforeTheWaitBeginsIsNotMissed) {
  StartServer();
  handler_.Publish("early");
  auto client = Client();
  Result<testutil::HttpsClient::Reply> result = client.Request("GET", "/poll?after=0&ms=60000");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->body, "early");
}

TEST_F(HttpServerPushTest, StopAnswersAWaitingLongPollAtOnce) {
  StartServer();
  auto client = Client();
  auto reply = std::async(std::launch::async,
                          [&] { return client.Request("GET", "/poll?after=0&ms=60000"); });
  ASSERT_TRUE(Eventually([&] { return handler_.wakeups().waiting() == 1; }));
  server_->Stop(kPatience.count());
  Result<testutil::HttpsClient::Reply> result = reply.get();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->body, "timeout");
  EXPECT_EQ(result->headers["connection"], "close");
  EXPECT_EQ(server_->Stats().open_connections, 0);
}

TEST_F(HttpServerPushTest, FeedSendsWhatIsThereThenWhatComes) {
  StartServer();
  handler_.Publish("a");
  handler_.Publish("b");
  client::WebSocketClient ws = WebSocket();
  ASSERT_TRUE(ws.Connect("/feed?after=0", {{"x-test", "1"}}).ok());
  EXPECT_EQ(NextOf(ws), "a");
  EXPECT_EQ(NextOf(ws), "b");
  ASSERT_TRUE(Eventually([&] { return handler_.wakeups().waiting() == 1; }));
  handler_.Publish("c");
  EXPECT_EQ(NextOf(ws), "c");
  handler_.Publish("d");
  EXPECT_EQ(NextOf(ws), "d");

  const std::vector<HttpRequest> seen = handler_.requests();
  ASSERT_GE(seen.size(), 3U);
  EXPECT_TRUE(seen[0].websocket_upgrade);
  EXPECT_FALSE(seen[0].feed_continuation);
  EXPECT_EQ(seen[1].target, "/feed?after=2");
  EXPECT_TRUE(seen[1].feed_continuation);
  EXPECT_EQ(seen[1].Header("x-test"), "1");  // later requests carry the upgrade's headers
  EXPECT_NE(seen[1].request_id, seen[0].request_id);
  ws.Close();
}

TEST_F(HttpServerPushTest, ARefusedContinuationEndsTheFeedWithItsErrorAndPolicyClose) {
  StartServer();
  client::WebSocketClient ws = WebSocket();
  ASSERT_TRUE(ws.Connect("/feed?after=0", {}).ok());
  ASSERT_TRUE(Eventually([&] { return handler_.wakeups().waiting() == 1; }));
  handler_.RefuseFeeds();
  handler_.Publish("secret");
  Result<std::string> last = ws.Read(kPatience);
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  EXPECT_EQ(*last, R"({"error":{"code":"session_revoked"}})");
  Result<std::string> closed = ws.Read(kPatience);
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.status().reason(), "closed");
  EXPECT_NE(closed.status().message().find("code 1008"), std::string::npos)
      << closed.status().message();
}

TEST_F(HttpServerPushTest, AFeedRefusedAtTheUpgradeIsAnHttpError) {
  StartServer();
  handler_.RefuseFeeds();
  client::WebSocketClient ws = WebSocket();
  const Status status = ws.Connect("/feed?after=0", {});
  EXPECT_EQ(status.reason(), "upgrade_refused");
  EXPECT_NE(status.message().find("401"), std::string::npos) << status.message();
}

TEST_F(HttpServerPushTest, StopClosesAFeedAsGoingAway) {
  StartServer();
  client::WebSocketClient ws = WebSocket();
  ASSERT_TRUE(ws.Connect("/feed?after=0", {}).ok());
  ASSERT_TRUE(Eventually([&] { return handler_.wakeups().waiting() == 1; }));
  auto stopped = std::async(std::launch::async, [&] { server_->Stop(kPatience.count()); });
  Result<std::string> closed = ws.Read(kPatience);
  ASSERT_FALSE(closed.ok());
  EXPECT_NE(closed.status().message().find("code 1001"), std::string::npos)
      << closed.status().message();
  EXPECT_EQ(stopped.wait_for(kPatience), std::future_status::ready);
  EXPECT_EQ(server_->Stats().open_connections, 0);
  EXPECT_EQ(handler_.wakeups().waiting(), 0U);
}

TEST_F(HttpServerPushTest, AClientThatLeavesReleasesItsFeed) {
  StartServer();
  {
    client::WebSocketClient ws = WebSocket();
    ASSERT_TRUE(ws.Connect("/feed?after=0", {}).ok());
    ASSERT_TRUE(Eventually([&] { return handler_.wakeups().waiting() == 1; }));
  }  // dropped without a close frame
  EXPECT_TRUE(Eventually([&] { return server_->Stats().open_connections == 0; }));
  EXPECT_TRUE(Eventually([&] { return handler_.wakeups().waiting() == 0; }));
}

}  // namespace
}  // namespace ncbnet::api::testing_support
