#include "api/client/https_client.h"

#include <cctype>
#include <chrono>
#include <exception>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "api/client/internal/tls_connect.h"

namespace ncbnet::api::client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;

// Keeps a broken server from hanging a test or a CLI call.
constexpr std::chrono::seconds kIoTimeout{10};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

class HttpsClient::Impl {
 public:
  Impl(std::string host, std::uint16_t port, const std::string& ca_pem,
       const std::optional<std::pair<std::string, std::string>>& client_cert)
      : host_(std::move(host)), port_(port) {
    setup_ = internal::ConfigureClientTls(context_, host_, ca_pem, client_cert);
  }

  ~Impl() { Disconnect(); }

  Result<Reply> Request(const std::string& method, const std::string& target,
                        const std::string& body,
                        const std::map<std::string, std::string>& headers) {
    NCBNET_RETURN_IF_ERROR(setup_);
    http::request<http::string_body> request{http::string_to_verb(method), target, 11};
    if (request.method() == http::verb::unknown) request.method_string(method);
    request.set(http::field::host, host_);
    if (!body.empty()) request.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    request.prepare_payload();

    const bool reused = stream_.has_value();
    Result<Reply> reply = RoundTrip(request);
    if (!reply.ok() && reply.status().code() == StatusCode::kUnavailable && reused) {
      reply = RoundTrip(request);  // closed while idle: once more
    }
    return reply;
  }

  int connections_opened() const { return connections_opened_; }
  void set_max_response_bytes(std::uint64_t bytes) { max_response_bytes_ = bytes; }

 private:
  Status Connect() {
    Disconnect();
    try {
      stream_.emplace(io_, context_);
    } catch (const std::exception& e) {
      return Status::Unavailable("tls_setup_failed", e.what());
    }
    if (Status s = internal::ConnectTls(host_, port_, kIoTimeout, *stream_); !s.ok()) {
      Disconnect();
      return s;
    }
    ++connections_opened_;
    return Status::Ok();
  }

  Result<Reply> RoundTrip(http::request<http::string_body>& request) {
    if (!stream_) NCBNET_RETURN_IF_ERROR(Connect());
    boost::system::error_code ec;
    beast::get_lowest_layer(*stream_).expires_after(kIoTimeout);
    http::write(*stream_, request, ec);
    if (ec) return Fail("write_failed", ec);
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_response_bytes_);
    http::read(*stream_, buffer_, parser, ec);
    if (ec == http::error::body_limit) {
      // The hub answered: resending would only bring the same too large answer again.
      Disconnect();
      return Status::ResourceExhausted("response_too_large", ec.message());
    }
    if (ec) return Fail("read_failed", ec);
    auto& response = parser.get();
    Reply reply;
    reply.status = static_cast<int>(response.result_int());
    reply.body = std::move(response.body());
    for (const auto& field : response) {
      reply.headers[Lower(std::string(field.name_string()))] = std::string(field.value());
    }
    if (!response.keep_alive()) Disconnect();
    return reply;
  }

  Status Fail(const std::string& reason, const boost::system::error_code& ec) {
    Disconnect();
    return Status::Unavailable(reason, ec.message());
  }

  // No TLS close_notify: a short-lived client may simply drop the connection.
  void Disconnect() {
    if (stream_) beast::get_lowest_layer(*stream_).close();
    stream_.reset();
    buffer_.clear();
  }

  const std::string host_;
  const std::uint16_t port_;
  Status setup_;
  asio::io_context io_;
  ssl::context context_{ssl::context::tls_client};
  std::optional<beast::ssl_stream<beast::tcp_stream>> stream_;
  beast::flat_buffer buffer_;
  int connections_opened_ = 0;
  std::uint64_t max_response_bytes_ = 64 * 1024 * 1024;
};

HttpsClient::HttpsClient(std::string host, std::uint16_t port, std::string ca_pem,
                         std::optional<std::pair<std::string, std::string>> client_cert)
    : impl_(std::make_unique<Impl>(std::move(host), port, ca_pem, client_cert)) {}

HttpsClient::~HttpsClient() = default;

void HttpsClient::set_max_response_bytes(std::uint64_t bytes) {
  impl_->set_max_response_bytes(bytes);
}

Result<HttpsClient::Reply> HttpsClient::Request(const std::string& method,
                                                const std::string& target, const std::string& body,
                                                const std::map<std::string, std::string>& headers) {
  return impl_->Request(method, target, body, headers);
}

int HttpsClient::connections_opened() const { return impl_->connections_opened(); }

}  // namespace ncbnet::api::client
