// One client connection: TLS handshake, then HTTP/1.1 requests one after another until the
// client, a limit, a timeout or Stop() ends it. Runs on its own strand; the handler runs on the
// server's handler pool, so that a blocking handler holds no I/O thread. A long-polling
// request (HttpResponse::wait) waits on the strand with no thread at all; a WebSocket upgrade
// (HttpResponse::feed) hands the connection over to a WebSocketFeed.
//
// Lifetime: owned by the completion handlers it has pending (shared_from_this), so it lives
// exactly as long as some I/O on it is outstanding, and dies with the io_context at the latest.
//
// Thread safety: Start() and OnServerStop() may be called from any thread; everything else runs
// on the strand.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "api/http_types.h"
#include "api/internal/http_message.h"
#include "api/internal/server_state.h"
#include "api/wakeups.h"

namespace ncbnet::api::internal {

class Session : public LiveConnection, public std::enable_shared_from_this<Session> {
 public:
  // `socket` must have a strand as its executor. `slot` is this connection's count.
  Session(boost::asio::ip::tcp::socket socket, ConnectionSlot slot,
          std::shared_ptr<ServerState> state);
  ~Session() override;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start();
  // Ends the connection now if it waits for a request or a handshake; answers a waiting long
  // poll at once; otherwise lets the request in progress finish and closes after its response.
  void OnServerStop() override;
  void CloseNowForStop() override;

 private:
  enum class Phase {
    kHandshake,
    kIdle,
    kReading,
    kHandling,
    kWaiting,  // a long poll, between two calls of the handler
    kWriting,
    kClosing,
    kHandedOver,  // the connection now belongs to a WebSocketFeed
  };
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
  bool IsBulkPath(std::string_view target) const;
  void Dispatch();
  void CallHandler();  // on the handler pool, then OnHandled() on the strand
  void OnHandled(HttpResponse response);
  void BeginWait(const Wait& wait);
  void OnWaitOver(std::uint64_t wait_seq, bool timed_out);
  void HandOverToFeed(Feed first);
  void Write(BeastResponse response, bool close_after);
  void BeginStream(HttpResponse response);
  void NextPiece();  // on the handler pool, then WritePiece() on the strand
  void WritePiece(bool more, std::string piece);
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
  // A streamed answer (HttpResponse::stream): its producer, header serializer and the piece
  // being written.
  std::function<bool(std::string&)> stream_next_;
  std::optional<boost::beast::http::response_serializer<boost::beast::http::string_body>>
      stream_header_;
  std::string stream_piece_;
  std::size_t stream_bytes_ = 0;

  Phase phase_ = Phase::kHandshake;
  std::optional<PeerCertificate> peer_;  // computed once per connection
  std::uint64_t request_seq_ = 0;
  bool timed_out_ = false;
  bool close_after_write_ = false;

  // A long poll in progress: the wakeup it waits for and when it must be answered.
  std::uint64_t wait_seq_ = 0;  // invalidates the callbacks of an earlier wait
  Wakeups* waiting_on_ = nullptr;
  std::uint64_t wait_token_ = 0;
  std::optional<std::chrono::steady_clock::time_point> wait_deadline_;

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
