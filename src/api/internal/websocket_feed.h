// A WebSocket that carries a handler's feed (api/http_types.h, Feed): the upgraded connection
// of a request whose handler answered with a Feed. It sends the feed's frames as text
// messages, then waits on the feed's wakeup without a thread, asks the handler again with the
// feed's next target, and so on until the client, the network, an error answer or Stop() ends
// it. Every later request goes through the handler like any other, so it is authenticated,
// authorised and audited again: a revoked token or grant ends the feed at its next frame.
//
// Client messages are read and discarded (a feed is one-way); pings keep idle connections
// alive and find dead ones.
//
// Lifetime: like Session, owned by its pending completion handlers and by a pending wakeup.
// Thread safety: Start(), OnServerStop() and CloseNowForStop() may be called from any thread
// (CloseNowForStop() only once no thread runs the io_context); the rest runs on the strand.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "api/http_types.h"
#include "api/internal/http_message.h"
#include "api/internal/server_state.h"

namespace ncbnet::api::internal {

class WebSocketFeed : public LiveConnection, public std::enable_shared_from_this<WebSocketFeed> {
 public:
  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  // `request` is the upgrade request as the handler saw it; later requests reuse its headers
  // and client certificate with the feed's next target.
  WebSocketFeed(TlsStream stream, ConnectionSlot slot, std::shared_ptr<ServerState> state,
                HttpRequest request, std::chrono::steady_clock::time_point started);
  ~WebSocketFeed() override;
  WebSocketFeed(const WebSocketFeed&) = delete;
  WebSocketFeed& operator=(const WebSocketFeed&) = delete;

  // Completes the upgrade of `upgrade` (on the strand), then sends `first`.
  void Start(BeastRequest upgrade, Feed first);
  void OnServerStop() override;
  void CloseNowForStop() override;

 private:
  using ErrorCode = boost::system::error_code;

  void OnAccepted(Feed first, ErrorCode ec);
  void ReadAndDiscard();
  void Deliver(Feed feed);
  void WriteNext();
  void AfterBatch();
  void AskAgain();
  void OnAnswer(HttpResponse response);
  void Close(boost::beast::websocket::close_code code);
  void OnGone();  // the connection failed or ended: release everything
  void CancelWakeup();
  void LogOpen(int status);

  const std::shared_ptr<ServerState> state_;
  ConnectionSlot slot_;
  boost::beast::websocket::stream<TlsStream> ws_;
  boost::beast::flat_buffer read_buffer_;
  HttpRequest request_;
  const std::chrono::steady_clock::time_point started_;

  std::deque<std::string> outbox_;  // frames not yet written, the front one being written
  bool writing_ = false;
  Feed next_;  // what to do once the outbox is empty
  bool open_ = false;
  bool closing_ = false;
  std::optional<boost::beast::websocket::close_code> close_after_write_;

  Wakeups* waiting_on_ = nullptr;
  std::uint64_t wait_token_ = 0;
  std::uint64_t wait_seq_ = 0;  // invalidates the callbacks of an earlier wait
};

}  // namespace ncbnet::api::internal
