#include "api/internal/websocket_feed.h"

#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/stream_base.hpp>

#include "api/internal/access_log.h"
#include "api/wakeups.h"
#include "core/clock.h"
#include "crypto/random.h"

namespace ncbnet::api::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using std::chrono::milliseconds;

// A client is silent, by design; a ping after this long finds out whether it is still there.
constexpr milliseconds kIdlePing{20'000};
// Clients send nothing but control frames; anything bigger is abuse.
constexpr std::size_t kMaxClientMessage = 4096;
// Bounds the closing handshake, as Session bounds its TLS shutdown: a client that never answers
// our close frame must not hold its connection, and so Stop(), for the whole grace period.
constexpr milliseconds kMaxCloseTime{1000};

void SplitTarget(const std::string& target, HttpRequest& request) {
  request.target = target;
  const std::size_t question = target.find('?');
  request.path = target.substr(0, question);
  request.query = question == std::string::npos ? "" : target.substr(question + 1);
}

}  // namespace

WebSocketFeed::WebSocketFeed(TlsStream stream, ConnectionSlot slot,
                             std::shared_ptr<ServerState> state, HttpRequest request,
                             std::chrono::steady_clock::time_point started)
    : state_(std::move(state)),
      slot_(std::move(slot)),
      ws_(std::move(stream)),
      request_(std::move(request)),
      started_(started) {}

WebSocketFeed::~WebSocketFeed() {
  if (waiting_on_ != nullptr) waiting_on_->Cancel(wait_token_);  // Wakeups outlives servers
  state_->RemoveConnection(this);
}

void WebSocketFeed::Start(BeastRequest upgrade, Feed first) {
  beast::get_lowest_layer(ws_).expires_never();  // the WebSocket's own timeouts take over
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = milliseconds(state_->options().request_timeout_ms);
  timeouts.idle_timeout = kIdlePing;
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
    response.set(beast::http::field::server, "ncbnet");
  }));
  ws_.read_message_max(kMaxClientMessage);
  ws_.async_accept(upgrade, [self = shared_from_this(), first = std::move(first)](
                                ErrorCode ec) mutable { self->OnAccepted(std::move(first), ec); });
}

void WebSocketFeed::OnAccepted(Feed first, ErrorCode ec) {
  LogOpen(ec ? 400 : 101);
  if (ec) return OnGone();
  open_ = true;
  if (state_->stopping()) return Close(websocket::close_code::going_away);
  ReadAndDiscard();
  Deliver(std::move(first));
}

void WebSocketFeed::ReadAndDiscard() {
  read_buffer_.clear();
  ws_.async_read(read_buffer_, [self = shared_from_this()](ErrorCode ec, std::size_t) {
    if (ec) return self->OnGone();  // closed by the client, a dead peer, or our own close
    self->ReadAndDiscard();
  });
}

void WebSocketFeed::Deliver(Feed feed) {
  for (std::string& frame : feed.frames) outbox_.push_back(std::move(frame));
  feed.frames.clear();
  next_ = std::move(feed);
  WriteNext();
}

void WebSocketFeed::WriteNext() {
  if (writing_ || closing_) return;
  // A refusal's error body is in the outbox: the close waits until it is out.
  if (outbox_.empty()) return close_after_write_ ? Close(*close_after_write_) : AfterBatch();
  writing_ = true;
  ws_.text(true);
  ws_.async_write(asio::buffer(outbox_.front()),
                  [self = shared_from_this()](ErrorCode ec, std::size_t) {
                    self->writing_ = false;
                    if (ec) return self->OnGone();
                    self->outbox_.pop_front();
                    self->WriteNext();
                  });
}

void WebSocketFeed::AfterBatch() {
  if (state_->stopping()) return Close(websocket::close_code::going_away);
  if (next_.more) return AskAgain();
  if (next_.wait.wakeups == nullptr) return Close(websocket::close_code::internal_error);
  const std::uint64_t seq = ++wait_seq_;
  waiting_on_ = next_.wait.wakeups;
  wait_token_ =
      // A weak reference: a waiter left in Wakeups (which outlives the server) must not keep
      // the feed, and with it a stream of a stopped server, alive. The pending read does.
      waiting_on_->WatchOnce(next_.wait.topic, next_.wait.seen, [weak = weak_from_this(), seq] {
        const std::shared_ptr<WebSocketFeed> self = weak.lock();
        if (!self) return;
        asio::post(self->ws_.get_executor(), [self, seq] {
          if (seq != self->wait_seq_ || self->closing_) return;
          self->waiting_on_ = nullptr;
          self->AskAgain();
        });
      });
}

void WebSocketFeed::AskAgain() {
  ++wait_seq_;
  request_.request_id = crypto::NewId("req");
  request_.wait_over = false;
  request_.websocket_upgrade = false;
  request_.feed_continuation = true;
  SplitTarget(next_.next_target, request_);
  asio::post(state_->handler_pool(), [self = shared_from_this()] {
    HttpResponse response = self->state_->CallHandler(self->request_);
    asio::post(self->ws_.get_executor(), [self, response = std::move(response)]() mutable {
      self->OnAnswer(std::move(response));
    });
  });
}

void WebSocketFeed::OnAnswer(HttpResponse response) {
  if (closing_) return;
  if (response.feed && response.status < 400) return Deliver(std::move(*response.feed));
  // Refused (say, a revoked token): the error body is the last message, then a policy close.
  // A server error (the store unavailable) is no refusal: 1011 tells the client to come back.
  outbox_.push_back(std::move(response.body));
  close_after_write_ = response.status >= 500 ? websocket::close_code::internal_error
                                              : websocket::close_code::policy_error;
  WriteNext();
}

void WebSocketFeed::OnServerStop() {
  asio::post(ws_.get_executor(), [self = shared_from_this()] {
    if (!self->open_) return;  // the handshake fails or succeeds soon and sees stopping()
    if (self->writing_) {
      // Finish the frame being written and drop the rest: the client resumes from its cursor.
      self->outbox_.erase(self->outbox_.begin() + 1, self->outbox_.end());
      self->close_after_write_ = websocket::close_code::going_away;
    } else {
      self->Close(websocket::close_code::going_away);
    }
  });
}

void WebSocketFeed::CloseNowForStop() { beast::get_lowest_layer(ws_).close(); }

void WebSocketFeed::Close(websocket::close_code code) {
  if (closing_) return;
  closing_ = true;
  CancelWakeup();
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = kMaxCloseTime;  // Beast times the closing handshake with it
  timeouts.idle_timeout = kIdlePing;
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  // The pending read completes once the client answers the close (or after kMaxCloseTime).
  ws_.async_close(
      code, [self = shared_from_this()](ErrorCode) { beast::get_lowest_layer(self->ws_).close(); });
}

void WebSocketFeed::OnGone() {
  closing_ = true;
  CancelWakeup();
  beast::get_lowest_layer(ws_).close();
}

void WebSocketFeed::CancelWakeup() {
  ++wait_seq_;
  if (waiting_on_ != nullptr) waiting_on_->Cancel(wait_token_);
  waiting_on_ = nullptr;
}

void WebSocketFeed::LogOpen(int status) {
  AccessEntry entry;
  entry.time_ms = SystemClock().NowMillis();
  entry.request_id = request_.request_id;
  entry.source = request_.source_ip;
  entry.method = request_.method;
  entry.path = request_.path;
  entry.status = status;
  entry.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started_)
                          .count();
  WriteAccessLine(state_->access_log(), entry);
}

}  // namespace ncbnet::api::internal
