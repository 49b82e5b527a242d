// Reads the PROXY protocol header (proxy_header.h) that a trusted load balancer sends before
// the TLS handshake, with a deadline (ServerOptions::proxy_header_timeout_ms) and the parser's
// size bounds, never a byte past the header's end, then hands the socket on with the client's
// address. A malformed, oversized, truncated or late header closes the connection, counted by
// reason (ServerStats::proxy_header_*) and logged; it never reaches the request handler.
//
// Lifetime: like Session, owned by its pending completion handlers. Registered with the
// ServerState as a live connection, so that Stop() ends it.
//
// Thread safety: Start() and OnServerStop() from any thread; the rest runs on the socket's
// strand.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "api/internal/server_state.h"

namespace ncbnet::api::internal {

class ProxyReader : public LiveConnection, public std::enable_shared_from_this<ProxyReader> {
 public:
  // Called on the socket's strand once the header is read: `slot` still counts the connection
  // under the proxy's address; `client_ip` is the header's source address, or the proxy's own
  // for LOCAL and UNKNOWN headers.
  using Done = std::function<void(boost::asio::ip::tcp::socket socket, ConnectionSlot slot,
                                  std::string client_ip)>;

  // `socket` must have a strand as its executor; `slot` counts it under the proxy's address.
  ProxyReader(boost::asio::ip::tcp::socket socket, ConnectionSlot slot,
              std::shared_ptr<ServerState> state, Done done);
  ~ProxyReader() override;
  ProxyReader(const ProxyReader&) = delete;
  ProxyReader& operator=(const ProxyReader&) = delete;

  void Start();
  void OnServerStop() override;
  void CloseNowForStop() override;

 private:
  void ReadMore(std::size_t n);
  void OnRead(const boost::system::error_code& ec);
  void Fail(const char* reason);

  const std::shared_ptr<ServerState> state_;
  boost::asio::ip::tcp::socket socket_;
  std::optional<ConnectionSlot> slot_;
  boost::asio::steady_timer deadline_;
  Done done_;
  std::string bytes_;  // the header so far; never more than the parser's bound
  bool timed_out_ = false;
  bool finished_ = false;
};

}  // namespace ncbnet::api::internal
