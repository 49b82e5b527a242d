#include "api/client/websocket_client.h"

#include <exception>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "api/client/internal/tls_connect.h"

namespace ncbnet::api::client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace ssl = boost::asio::ssl;

constexpr std::chrono::seconds kConnectTimeout{10};
constexpr std::size_t kMaxMessage = 16 * 1024 * 1024;

}  // namespace

class WebSocketClient::Impl {
 public:
  Impl(std::string host, std::uint16_t port, const std::string& ca_pem,
       const std::optional<std::pair<std::string, std::string>>& client_cert)
      : host_(std::move(host)), port_(port) {
    setup_ = internal::ConfigureClientTls(context_, host_, ca_pem, client_cert);
  }

  ~Impl() { Drop(); }

  Status Connect(const std::string& target, const std::map<std::string, std::string>& headers) {
    NCBNET_RETURN_IF_ERROR(setup_);
    Drop();
    try {
      ws_.emplace(io_, context_);
    } catch (const std::exception& e) {
      return Status::Unavailable("tls_setup_failed", e.what());
    }
    if (Status s = internal::ConnectTls(host_, port_, kConnectTimeout, ws_->next_layer());
        !s.ok()) {
      Drop();
      return s;
    }
    ws_->set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
      for (const auto& [name, value] : headers) req.set(name, value);
    }));
    ws_->read_message_max(kMaxMessage);
    websocket::response_type response;
    boost::system::error_code ec;
    ws_->handshake(response, host_, target, ec);
    beast::get_lowest_layer(*ws_).expires_never();
    if (ec == websocket::error::upgrade_declined) {
      const std::string detail =
          std::to_string(response.result_int()) + " " + std::string(response.body());
      Drop();
      return Status::FailedPrecondition("upgrade_refused", detail);
    }
    if (ec) {
      Drop();
      return Status::Unavailable("handshake_failed", ec.message());
    }
    return Status::Ok();
  }

  Result<std::string> Read(std::chrono::milliseconds timeout) {
    if (!ws_) return Status::Unavailable("closed", "not connected");
    std::optional<boost::system::error_code> done;
    ws_->async_read(buffer_, [&done](boost::system::error_code ec, std::size_t) { done = ec; });
    io_.restart();
    io_.run_for(timeout);
    if (!done) {
      // Cancelling a WebSocket read would break the stream; a caller that times out must
      // reconnect. Say so plainly.
      Drop();
      return Status::Unavailable("read_timeout", "no message in time; connection dropped");
    }
    if (*done) {
      std::string why = done->message();
      if (*done == websocket::error::closed) {
        why = "closed by the hub: code " + std::to_string(ws_->reason().code) + " " +
              std::string(ws_->reason().reason.c_str());
      }
      Drop();
      return Status::Unavailable("closed", why);
    }
    std::string message = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    return message;
  }

  void Close() {
    if (!ws_) return;
    beast::get_lowest_layer(*ws_).expires_after(std::chrono::seconds(2));
    ws_->async_close(websocket::close_code::normal, [](boost::system::error_code) {});
    io_.restart();
    io_.run_for(std::chrono::seconds(2));
    Drop();
  }

 private:
  void Drop() {
    if (ws_) beast::get_lowest_layer(*ws_).close();
    ws_.reset();
    buffer_.clear();
    io_.restart();
    io_.poll();  // lets cancelled handlers finish before the stream goes
  }

  const std::string host_;
  const std::uint16_t port_;
  Status setup_;
  asio::io_context io_;
  ssl::context context_{ssl::context::tls_client};
  std::optional<websocket::stream<internal::TlsStream>> ws_;
  beast::flat_buffer buffer_;
};

WebSocketClient::WebSocketClient(std::string host, std::uint16_t port, std::string ca_pem,
                                 std::optional<std::pair<std::string, std::string>> client_cert)
    : impl_(std::make_unique<Impl>(std::move(host), port, ca_pem, client_cert)) {}

WebSocketClient::~WebSocketClient() = default;

Status WebSocketClient::Connect(const std::string& target,
                                const std::map<std::string, std::string>& headers) {
  return impl_->Connect(target, headers);
}

Result<std::string> WebSocketClient::Read(std::chrono::milliseconds timeout) {
  return impl_->Read(timeout);
}

void WebSocketClient::Close() { impl_->Close(); }

}  // namespace ncbnet::api::client
