// One client connection: TLS handshake, then HTTP/1.1 requests one after another until the
// client, a limit, a timeout or Stop() ends it. Runs on its own strand; the handler is called
// on that strand and may block it.
//
// Lifetime: owned by the completion handlers it has pending (shared_from_this), so it lives
// exactly as long as some I/O on it is outstanding, and dies with the io_context at the latest.
//
// Thread safety: Start() and OnServerStop() may be called from any thread; everything else runs
// on the strand.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "api/http_types.h"
#include "api/internal/http_message.h"
#include "api/internal/server_state.h"

namespace ncbnet::api::internal {

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `socket` must have a strand as its executor. `slot` is this connection's count.
  Session(boost::asio::ip::tcp::socket socket, ConnectionSlot slot,
          std::shared_ptr<ServerState> state);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start();
  // Ends the connection now if it waits for a request or a handshake; otherwise lets the
  // request in progress finish and closes after its response.
  void OnServerStop();
  // Closes the socket at once. Only once no thread runs the io_context (end of Stop()).
  void CloseNowForStop();

 private:
  enum class Phase { kHandshake, kIdle, kReading, kHandling, kWriting, kClosing };
  using ErrorCode = boost::system::error_code;

  void OnHandshake(ErrorCode ec);
  void ReadNext();
  void OnFirstBytes(ErrorCode ec, std::size_t bytes);
  void BeginRequest();
  void OnDeadline(ErrorCode ec, std::uint64_t request_seq);
  void OnHeader(ErrorCode ec, std::size_t bytes);
  void OnBody(ErrorCode ec, std::size_t bytes);
  void OnReadError(ErrorCode ec);
  void Refuse(int status, const std::string& code, const std::string& message);
  void Dispatch();
  HttpResponse CallHandler();
  void Write(BeastResponse response, bool close_after);
  void OnWrite(ErrorCode ec, std::size_t bytes);
  void LogAccess();
  void Shutdown(bool linger);
  void CloseSocket();
  void StopIfIdle();

  const std::shared_ptr<ServerState> state_;
  ConnectionSlot slot_;  // released last, once the socket is gone
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream_;
  boost::asio::steady_timer deadline_;  // request_timeout_ms from a request's first byte
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  BeastResponse response_;  // kept alive while it is written

  Phase phase_ = Phase::kHandshake;
  std::optional<PeerCertificate> peer_;  // computed once per connection
  std::uint64_t request_seq_ = 0;
  bool timed_out_ = false;
  bool close_after_write_ = false;

  // The request in progress.
  HttpRequest request_;
  std::string client_request_id_;
  std::chrono::steady_clock::time_point started_;
  struct Refusal {
    int status;
    std::string code;
  };
  std::optional<Refusal> refusal_;  // reported once its response is out
};

}  // namespace ncbnet::api::internal
