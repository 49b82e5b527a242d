#include "api/internal/session.h"

#include <algorithm>
#include <limits>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include "api/internal/access_log.h"
#include "api/internal/tls_context.h"
#include "api/internal/websocket_feed.h"
#include "core/clock.h"
#include "crypto/random.h"

namespace ncbnet::api::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using std::chrono::milliseconds;

constexpr std::size_t kFirstReadBytes = 4096;
// Bounds the TLS close_notify exchange, so that a silent peer cannot hold a connection open.
constexpr milliseconds kMaxShutdownTime{1000};
// The longest a long poll may be held, whatever the handler asks.
constexpr int kMaxWaitMs = 5 * 60 * 1000;

std::uint32_t HeaderLimit(std::size_t bytes) {
  return static_cast<std::uint32_t>(
      std::min<std::size_t>(bytes, std::numeric_limits<std::uint32_t>::max()));
}

// A violation of HTTP syntax, as opposed to the peer going away mid-message.
bool IsMalformed(const boost::system::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_method).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

}  // namespace

Session::Session(asio::ip::tcp::socket socket, ConnectionSlot slot,
                 std::shared_ptr<ServerState> state)
    : state_(std::move(state)),
      slot_(std::move(slot)),
      stream_(beast::tcp_stream(std::move(socket)), state_->tls()),
      deadline_(stream_.get_executor()) {}

Session::~Session() {
  if (phase_ == Phase::kWaiting && waiting_on_ != nullptr) waiting_on_->Cancel(wait_token_);
  state_->RemoveConnection(this);
}

void Session::Start() {
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (self->state_->stopping()) return self->CloseSocket();
    beast::get_lowest_layer(self->stream_)
        .expires_after(milliseconds(self->state_->options().request_timeout_ms));
    self->stream_.async_handshake(asio::ssl::stream_base::server,
                                  beast::bind_front_handler(&Session::OnHandshake, self));
  });
}

void Session::OnServerStop() {
  // deadline_ shares the strand and, unlike stream_, stays after a hand-over.
  asio::post(deadline_.get_executor(), [self = shared_from_this()] { self->StopIfIdle(); });
}

void Session::CloseNowForStop() {
  if (phase_ != Phase::kHandedOver) beast::get_lowest_layer(stream_).close();
}

void Session::StopIfIdle() {
  // Runs on the strand, so phase_ is current: a session that is reading, handling or writing
  // sees stopping() before its next read and closes then.
  if (phase_ == Phase::kHandshake || phase_ == Phase::kIdle) {
    beast::get_lowest_layer(stream_).cancel();  // the pending read or handshake fails
  } else if (phase_ == Phase::kWaiting) {
    OnWaitOver(wait_seq_, /*timed_out=*/true);  // answer the long poll now
  }
}

void Session::OnHandshake(ErrorCode ec) {
  if (ec) {
    if (!state_->stopping()) state_->CountHandshakeFailure();
    return CloseSocket();
  }
  peer_ = ReadPeerCertificate(stream_.native_handle());
  ReadNext();
}

void Session::ReadNext() {
  if (state_->stopping()) return Shutdown(/*linger=*/false);
  const ServerOptions& options = state_->options();
  parser_.emplace();
  parser_->header_limit(HeaderLimit(options.max_header_bytes));
  // The larger limit until the path is known (OnHeader); Content-Length is checked there.
  parser_->body_limit(std::max(options.max_body_bytes, options.max_bulk_body_bytes));
  request_ = HttpRequest{};
  request_.source_ip = slot_.source_ip();
  client_request_id_.clear();
  timed_out_ = false;
  if (buffer_.size() > 0) return BeginRequest();  // pipelined bytes are already here
  phase_ = Phase::kIdle;
  // An idle keep-alive connection: the stream's own timer closes it after idle_timeout_ms.
  beast::get_lowest_layer(stream_).expires_after(milliseconds(options.idle_timeout_ms));
  stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
                          beast::bind_front_handler(&Session::OnFirstBytes, shared_from_this()));
}

void Session::OnFirstBytes(ErrorCode ec, std::size_t bytes) {
  buffer_.commit(bytes);
  if (ec) {
    // The peer left, idled out, or Stop() cancelled the wait. No close_notify exchange: the
    // last response was delimited by its length, and Stop() should not wait on idle peers.
    return CloseSocket();
  }
  BeginRequest();
}

void Session::BeginRequest() {
  phase_ = Phase::kReading;
  ++request_seq_;
  request_.request_id = crypto::NewId("req");
  started_ = std::chrono::steady_clock::now();
  const milliseconds timeout(state_->options().request_timeout_ms);
  // Our own deadline cancels the read but keeps the socket, so that a 408 can still be sent;
  // the stream's timer is a backstop that closes the socket if even that stalls.
  beast::get_lowest_layer(stream_).expires_after(timeout + kMaxShutdownTime);
  deadline_.expires_after(timeout);
  deadline_.async_wait([self = shared_from_this(), seq = request_seq_](ErrorCode wait_ec) {
    self->OnDeadline(wait_ec, seq);
  });
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
}

void Session::OnDeadline(ErrorCode ec, std::uint64_t request_seq) {
  if (ec || request_seq != request_seq_ || phase_ != Phase::kReading) return;
  timed_out_ = true;  // slowloris: the request did not arrive in time
  beast::get_lowest_layer(stream_).cancel();
}

void Session::OnHeader(ErrorCode ec, std::size_t /*bytes*/) {
  // A Content-Length above body_limit already failed here, before any body was read.
  if (ec) return OnReadError(ec);
  const auto target = parser_->get().target();
  if (!IsBulkPath(std::string_view(target.data(), target.size()))) {
    const std::size_t limit = state_->options().max_body_bytes;
    const auto length = parser_->content_length();
    if (length && *length > limit) return OnReadError(http::error::body_limit);
    parser_->body_limit(limit);  // a chunked body is counted as it arrives
  }
  if (parser_->is_done()) return OnBody({}, 0);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&Session::OnBody, shared_from_this()));
}

bool Session::IsBulkPath(std::string_view target) const {
  for (const std::string& prefix : state_->options().bulk_path_prefixes) {
    if (target.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

void Session::OnBody(ErrorCode ec, std::size_t /*bytes*/) {
  if (ec) return OnReadError(ec);
  deadline_.cancel();
  Dispatch();
}

void Session::OnReadError(ErrorCode ec) {
  deadline_.cancel();
  if (ec == http::error::header_limit) {
    return Refuse(431, "headers_too_large", "request headers too large");
  }
  if (ec == http::error::body_limit) return Refuse(413, "body_too_large", "request body too large");
  if (timed_out_ || ec == beast::error::timeout) {
    return Refuse(408, "request_timeout", "request not completed in time");
  }
  if (IsMalformed(ec)) return Refuse(400, "malformed_request", "malformed HTTP request");
  CloseSocket();  // the peer went away mid-request
}

void Session::Refuse(int status, const std::string& code, const std::string& message) {
  FillRequestHead(parser_->get(), request_);
  request_.peer_certificate = peer_;
  refusal_ = Refusal{status, code};
  Write(ErrorResponse(status, code, message, /*version=*/11, request_.request_id),
        /*close_after=*/true);
}

void Session::Dispatch() {
  phase_ = Phase::kHandling;
  BeastRequest& message = parser_->get();
  FillRequestHead(message, request_);
  request_.body = std::move(message.body());
  request_.peer_certificate = peer_;
  request_.websocket_upgrade = websocket::is_upgrade(message);
  client_request_id_ = SanitizeClientRequestId(request_.Header("x-request-id"));
  wait_deadline_.reset();
  CallHandler();
}

void Session::CallHandler() {
  // Only the pool thread touches request_ until OnHandled(): the strand has nothing pending.
  asio::post(state_->handler_pool(), [self = shared_from_this()] {
    HttpResponse response = self->state_->CallHandler(self->request_);
    asio::post(self->deadline_.get_executor(), [self, response = std::move(response)]() mutable {
      self->OnHandled(std::move(response));
    });
  });
}

void Session::OnHandled(HttpResponse response) {
  if (response.feed && request_.websocket_upgrade) return HandOverToFeed(std::move(*response.feed));
  if (response.wait && response.wait->wakeups != nullptr && !request_.wait_over) {
    return BeginWait(*response.wait);
  }
  if (response.stream && response.status < 400) return BeginStream(std::move(response));
  // Stop() may have begun while the handler ran: finish this request, then close.
  const BeastRequest& message = parser_->get();
  const bool keep_alive = message.keep_alive() && !state_->stopping();
  Write(ToBeastResponse(std::move(response), message.version(), keep_alive, request_.request_id),
        !keep_alive);
}

void Session::BeginWait(const Wait& wait) {
  phase_ = Phase::kWaiting;
  const auto until =
      std::chrono::steady_clock::now() + milliseconds(std::clamp(wait.timeout_ms, 0, kMaxWaitMs));
  // Later waits of the same request (a wakeup with nothing for this client) keep the first
  // deadline.
  wait_deadline_ = wait_deadline_ ? std::min(*wait_deadline_, until) : until;
  const std::uint64_t seq = ++wait_seq_;
  deadline_.expires_at(*wait_deadline_);
  deadline_.async_wait([self = shared_from_this(), seq](ErrorCode ec) {
    if (!ec) self->OnWaitOver(seq, /*timed_out=*/true);
  });
  waiting_on_ = wait.wakeups;
  wait_token_ = wait.wakeups->WatchOnce(wait.topic, wait.seen, [self = shared_from_this(), seq] {
    asio::post(self->deadline_.get_executor(),
               [self, seq] { self->OnWaitOver(seq, /*timed_out=*/false); });
  });
  if (state_->stopping()) OnWaitOver(seq, /*timed_out=*/true);
}

void Session::OnWaitOver(std::uint64_t wait_seq, bool timed_out) {
  if (wait_seq != wait_seq_ || phase_ != Phase::kWaiting) return;  // the other event came first
  ++wait_seq_;
  deadline_.cancel();
  waiting_on_->Cancel(wait_token_);
  waiting_on_ = nullptr;
  phase_ = Phase::kHandling;
  request_.wait_over =
      timed_out || state_->stopping() || std::chrono::steady_clock::now() >= *wait_deadline_;
  CallHandler();
}

void Session::HandOverToFeed(Feed first) {
  phase_ = Phase::kHandedOver;
  deadline_.cancel();
  state_->RemoveConnection(this);
  auto feed = std::make_shared<WebSocketFeed>(std::move(stream_), std::move(slot_), state_,
                                              std::move(request_), started_);
  state_->AddConnection(feed);
  feed->Start(parser_->release(), std::move(first));
}

void Session::Write(BeastResponse response, bool close_after) {
  phase_ = Phase::kWriting;
  response_ = std::move(response);
  close_after_write_ = close_after;
  // A client that does not read its response is held no longer than a slow request.
  beast::get_lowest_layer(stream_).expires_after(
      milliseconds(state_->options().request_timeout_ms));
  http::async_write(stream_, response_,
                    beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
}

void Session::BeginStream(HttpResponse response) {
  stream_next_ = std::move(response.stream->next);
  response.stream.reset();
  response.body.clear();
  const BeastRequest& message = parser_->get();
  const bool keep_alive = message.keep_alive() && !state_->stopping();
  phase_ = Phase::kWriting;
  close_after_write_ = !keep_alive;
  response_ =
      ToBeastResponse(std::move(response), message.version(), keep_alive, request_.request_id);
  response_.erase(http::field::content_length);
  response_.chunked(true);
  stream_bytes_ = 0;
  stream_header_.emplace(response_);
  beast::get_lowest_layer(stream_).expires_after(
      milliseconds(state_->options().request_timeout_ms));
  http::async_write_header(stream_, *stream_header_,
                           [self = shared_from_this()](ErrorCode ec, std::size_t) {
                             if (ec) return self->CloseSocket();
                             self->NextPiece();
                           });
}

void Session::NextPiece() {
  asio::post(state_->handler_pool(), [self = shared_from_this()] {
    std::string piece;
    const bool more = self->stream_next_(piece);
    asio::post(self->deadline_.get_executor(), [self, more, piece = std::move(piece)]() mutable {
      self->WritePiece(more, std::move(piece));
    });
  });
}

void Session::WritePiece(bool more, std::string piece) {
  // Stopping mid-stream: close without the last chunk, so the answer reads as incomplete.
  if (state_->stopping()) return CloseSocket();
  beast::get_lowest_layer(stream_).expires_after(
      milliseconds(state_->options().request_timeout_ms));
  if (!more) {
    stream_next_ = nullptr;
    return asio::async_write(stream_, http::make_chunk_last(),
                             [self = shared_from_this()](ErrorCode ec, std::size_t) {
                               self->stream_header_.reset();
                               self->OnWrite(ec, 0);
                             });
  }
  if (piece.empty()) return NextPiece();  // an empty chunk would end the body
  stream_piece_ = std::move(piece);
  stream_bytes_ += stream_piece_.size();
  asio::async_write(stream_, http::make_chunk(asio::buffer(stream_piece_)),
                    [self = shared_from_this()](ErrorCode ec, std::size_t) {
                      if (ec) return self->CloseSocket();
                      self->NextPiece();
                    });
}

void Session::OnWrite(ErrorCode ec, std::size_t /*bytes*/) {
  LogAccess();
  response_ = {};
  const bool refused = refusal_.has_value();
  if (refused) {
    state_->ReportRefusal(request_, refusal_->status, refusal_->code);
    refusal_.reset();
  }
  if (ec) return CloseSocket();
  if (close_after_write_ || state_->stopping()) return Shutdown(/*linger=*/refused);
  ReadNext();
}

void Session::LogAccess() {
  AccessEntry entry;
  entry.time_ms = SystemClock().NowMillis();
  entry.request_id = request_.request_id;
  entry.client_request_id = client_request_id_;
  entry.source = request_.source_ip;
  entry.method = request_.method;
  entry.path = request_.path;
  entry.status = static_cast<int>(response_.result_int());
  entry.bytes = response_.body().size() + stream_bytes_;
  entry.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started_)
                          .count();
  WriteAccessLine(state_->access_log(), entry);
  stream_bytes_ = 0;
}

void Session::Shutdown(bool linger) {
  phase_ = Phase::kClosing;
  deadline_.cancel();
  // Without lingering we send our close_notify and close at once: pretending the peer's has
  // arrived stops OpenSSL from waiting for it, so Stop() is not held up by silent clients.
  // After a refusal the client may still be sending the rest of its request; closing with
  // unread data would reset the connection and could destroy the error response before the
  // client reads it, so we read (and discard) until its close_notify, EOF or the timer.
  if (!linger) SSL_set_shutdown(stream_.native_handle(), SSL_RECEIVED_SHUTDOWN);
  beast::get_lowest_layer(stream_).expires_after(
      std::min(kMaxShutdownTime, milliseconds(state_->options().request_timeout_ms)));
  stream_.async_shutdown([self = shared_from_this()](ErrorCode) { self->CloseSocket(); });
}

void Session::CloseSocket() {
  phase_ = Phase::kClosing;
  deadline_.cancel();
  beast::get_lowest_layer(stream_).close();
}

}  // namespace ncbnet::api::internal
