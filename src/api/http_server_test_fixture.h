// Shared by the HttpServer tests: a test PKI, a recording handler, a fixture that starts the
// server on 127.0.0.1:0, and a raw TLS connection for speaking broken HTTP.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include "api/http_server.h"
#include "api/http_types.h"
#include "api/wakeups.h"
#include "core/clock.h"
#include "crypto/x509.h"
#include "tests/testutil/https_client.h"

namespace ncbnet::api::testing_support {

using std::chrono::milliseconds;
// Every wait in these tests is bounded by this, far above what a passing run needs.
constexpr milliseconds kPatience{5000};

struct TestPki {
  crypto::KeyAndCert ca;
  crypto::KeyAndCert server;
  crypto::KeyAndCert client;          // from `ca`, CN agc_test
  crypto::KeyAndCert foreign_client;  // from another CA
  crypto::KeyAndCert expired_client;  // from `ca`, expired yesterday

  static const TestPki& Get() {
    static const TestPki* const pki = Make();
    return *pki;
  }

 private:
  static crypto::KeyAndCert Issue(const crypto::KeyAndCert& ca, crypto::CertRequest request) {
    Result<crypto::KeyAndCert> cert = crypto::IssueCertificate(ca, request);
    EXPECT_TRUE(cert.ok()) << cert.status().ToString();
    return cert.ok() ? *cert : crypto::KeyAndCert{};
  }

  static TestPki* Make() {
    constexpr std::int64_t kDay = 86'400'000;
    const std::int64_t now = SystemClock().NowMillis();
    auto* pki = new TestPki();
    auto ca = crypto::CreateCertificateAuthority("ncbnet test CA", now - kDay, now + 30 * kDay);
    auto other = crypto::CreateCertificateAuthority("other CA", now - kDay, now + 30 * kDay);
    EXPECT_TRUE(ca.ok() && other.ok());
    if (!ca.ok() || !other.ok()) return pki;
    pki->ca = *ca;
    crypto::CertRequest server{"hub.test",    now - kDay, now + 30 * kDay, true, {"localhost"},
                               {"127.0.0.1"}, ""};
    pki->server = Issue(*ca, server);
    crypto::CertRequest client{"agc_test", now - kDay, now + 30 * kDay, false, {}, {}, ""};
    pki->client = Issue(*ca, client);
    pki->foreign_client = Issue(*other, client);
    crypto::CertRequest expired{"agc_old", now - 10 * kDay, now - kDay, false, {}, {}, ""};
    pki->expired_client = Issue(*ca, expired);
    return pki;
  }
};

// Echoes what it saw as JSON and records every request and refusal. "/stream" answers in
// pieces (HttpResponse::stream). "/block" waits until
// Release(); "/throw" throws (from the standard library, as a bug would). "/poll" and "/feed"
// serve what Publish() adds: see PushAnswer().
class RecordingHandler : public RequestHandler {
 public:
  struct Refusal {
    HttpRequest request;
    int status = 0;
    std::string code;
  };

  HttpResponse Handle(const HttpRequest& request) override {
    {
      std::unique_lock<std::mutex> lock(mu_);
      requests_.push_back(request);
      changed_.notify_all();
      if (request.path == "/block") {
        blocked_ = true;
        changed_.notify_all();
        changed_.wait_for(lock, kPatience, [this] { return released_; });
      }
    }
    if (request.path == "/throw") static_cast<void>(std::string().at(1));
    if (request.path == "/poll" || request.path == "/feed") return PushAnswer(request);
    if (request.path == "/stream") return StreamAnswer();
    HttpResponse response;
    response.body =
        R"({"method":")" + request.method + R"(","path":")" + request.path + R"(","query":")" +
        request.query + R"(","body_length":)" + std::to_string(request.body.size()) +
        R"(,"request_id":")" + request.request_id + R"(","peer_cn":")" +
        (request.peer_certificate ? request.peer_certificate->common_name : "") + R"("})";
    return response;
  }

  void OnRefused(const HttpRequest& request, int status, const std::string& code) override {
    std::lock_guard<std::mutex> lock(mu_);
    refusals_.push_back({request, status, code});
    changed_.notify_all();
  }

  std::optional<Refusal> WaitForRefusal(const std::string& code) {
    std::unique_lock<std::mutex> lock(mu_);
    std::optional<Refusal> found;
    changed_.wait_for(lock, kPatience, [&] {
      for (const Refusal& r : refusals_) {
        if (r.code == code) found = r;
      }
      return found.has_value();
    });
    return found;
  }

  // "/stream": five lines, one piece each, then the end.
  static HttpResponse StreamAnswer() {
    HttpResponse response;
    response.content_type = "application/x-ndjson";
    auto count = std::make_shared<int>(0);
    response.stream = Stream{[count](std::string& piece) {
      if (*count == 5) return false;
      piece = "{\"line\":" + std::to_string((*count)++) + "}\n";
      return true;
    }};
    return response;
  }

  // Adds a frame for /poll and /feed and wakes their waiters.
  void Publish(const std::string& frame) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      published_.push_back(frame);
    }
    wakeups_.Notify(kTopic);
  }
  // From now on /feed answers 401, as a revoked token would.
  void RefuseFeeds() {
    std::lock_guard<std::mutex> lock(mu_);
    refuse_feeds_ = true;
  }
  Wakeups& wakeups() { return wakeups_; }

  bool WaitUntilBlocked() {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(lock, kPatience, [this] { return blocked_; });
  }

  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    released_ = true;
    changed_.notify_all();
  }

  std::vector<HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  std::vector<Refusal> refusals() const {
    std::lock_guard<std::mutex> lock(mu_);
    return refusals_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<HttpRequest> requests_;
  std::vector<Refusal> refusals_;
  // "/poll?after=N&ms=M": the frames published after the first N, joined by ','; if there are
  // none, a Wait of M ms; "timeout" once the wait is over. "/feed?after=N": a Feed of those
  // frames with next target "/feed?after=<count>".
  HttpResponse PushAnswer(const HttpRequest& request) {
    const std::uint64_t seen = wakeups_.Version(kTopic);
    std::size_t after = 0;
    int wait_ms = 60'000;
    std::sscanf(request.query.c_str(), "after=%zu&ms=%d", &after, &wait_ms);  // NOLINT
    std::lock_guard<std::mutex> lock(mu_);
    HttpResponse response;
    const Wait wait{&wakeups_, kTopic, seen, wait_ms};
    std::vector<std::string> fresh;
    for (std::size_t i = after; i < published_.size(); ++i) fresh.push_back(published_[i]);
    if (request.path == "/feed") {
      if (refuse_feeds_) {
        response.status = 401;
        response.body = R"({"error":{"code":"session_revoked"}})";
        return response;
      }
      response.feed = Feed{fresh, "/feed?after=" + std::to_string(published_.size()), false, wait};
      return response;
    }
    for (const std::string& frame : fresh)
      response.body += (response.body.empty() ? "" : ",") + frame;
    if (!fresh.empty()) return response;
    if (request.wait_over) {
      response.body = "timeout";
    } else {
      response.wait = wait;
    }
    return response;
  }

  static constexpr const char* kTopic = "t";
  Wakeups wakeups_;
  std::vector<std::string> published_;  // guarded by mu_
  bool refuse_feeds_ = false;           // guarded by mu_
  bool blocked_ = false;
  bool released_ = false;
};

// A client TLS connection that sends whatever bytes a test wants.
class RawTlsConnection {
 public:
  // `configure` may restrict the client context (say, to TLS 1.1).
  explicit RawTlsConnection(const std::function<void(SSL_CTX*)>& configure = {}) {
    // Before the stream exists: SSL_new copies the context's settings.
    if (configure) configure(context_.native_handle());
    stream_.emplace(io_, context_);
  }

  // The negotiated protocol, e.g. "TLSv1.3".
  std::string version() { return SSL_get_version(stream_->native_handle()); }

  ~RawTlsConnection() { Close(); }

  // TCP connect and TLS handshake; false if either fails or takes longer than kPatience.
  bool Connect(std::uint16_t port) {
    boost::system::error_code ec;
    stream_->lowest_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    if (ec) return false;
    bool done = false;
    stream_->async_handshake(boost::asio::ssl::stream_base::client,
                             [&](boost::system::error_code handshake_ec) {
                               done = true;
                               ec = handshake_ec;
                             });
    RunFor(kPatience, [&] { return done; });
    return done && !ec;
  }

  bool Send(const std::string& bytes) {
    boost::system::error_code ec;
    boost::asio::write(*stream_, boost::asio::buffer(bytes), ec);
    return !ec;
  }

  // Reads until the server closes the connection or `limit` passes (then `closed` is false).
  struct ReadResult {
    std::string data;
    bool closed = false;
  };
  ReadResult ReadUntilClose(milliseconds limit = kPatience) {
    ReadResult result;
    std::function<void()> read_more = [&] {
      stream_->async_read_some(boost::asio::buffer(chunk_),
                               [&](boost::system::error_code ec, std::size_t n) {
                                 result.data.append(chunk_, n);
                                 if (ec) {
                                   result.closed = true;
                                 } else {
                                   read_more();
                                 }
                               });
    };
    read_more();
    RunFor(limit, [&] { return result.closed; });
    return result;
  }

  void Close() {
    boost::system::error_code ignored;
    stream_->lowest_layer().close(ignored);
  }

 private:
  // Runs the io_context until `done()` or `limit`; then closes the socket and drains, so that no
  // handler outlives the locals it refers to.
  void RunFor(milliseconds limit, const std::function<bool()>& done) {
    io_.restart();
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io_.run_one_for(milliseconds(50));
    }
    if (!done()) {
      Close();
      io_.restart();
      io_.run();
    }
  }

  boost::asio::io_context io_;
  boost::asio::ssl::context context_{boost::asio::ssl::context::tls_client};
  std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> stream_;
  char chunk_[4096] = {};
};

// Polls `condition` until it holds or kPatience passes; for state the server updates on its
// own threads just after the client has seen the effect.
inline bool Eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (server_) server_->Stop(0);
  }

  // Starts a server on 127.0.0.1:0 with `options` plus the test PKI.
  void StartServer(ServerOptions options = {}) {
    const TestPki& pki = TestPki::Get();
    options.listen_address = "127.0.0.1";
    options.port = 0;
    options.threads = options.threads == 0 ? 4 : options.threads;
    options.server_cert_pem = pki.server.cert_pem;
    options.server_key_pem = pki.server.key_pem;
    options.client_ca_pem = pki.ca.cert_pem;
    server_ = std::make_unique<HttpServer>(options, handler_);
    const Status status = server_->Start();
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  testutil::HttpsClient Client(
      std::optional<std::pair<std::string, std::string>> client_cert = {}) {
    return testutil::HttpsClient("127.0.0.1", server_->port(), TestPki::Get().ca.cert_pem,
                                 std::move(client_cert));
  }

  static std::pair<std::string, std::string> CertOf(const crypto::KeyAndCert& cert) {
    return {cert.cert_pem, cert.key_pem};
  }

  RecordingHandler handler_;
  std::unique_ptr<HttpServer> server_;
};

}  // namespace ncbnet::api::testing_support
