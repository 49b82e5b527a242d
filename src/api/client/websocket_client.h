// A small synchronous WebSocket client over TLS, for `ncbnet msg watch` and tests: connects,
// upgrades one target (sending headers such as Authorization, or presenting a client
// certificate), then reads text messages one at a time. Answers the server's pings while it
// reads. Beast and OpenSSL stay in websocket_client.cc.
//
// Thread safety: none; one client per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "core/status.h"

namespace ncbnet::api::client {

class WebSocketClient {
 public:
  // `client_cert` is {certificate PEM, key PEM}. Nothing is connected yet.
  WebSocketClient(std::string host, std::uint16_t port, std::string ca_pem,
                  std::optional<std::pair<std::string, std::string>> client_cert = {});
  ~WebSocketClient();
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  // Connects and upgrades `target`. A refused upgrade is kFailedPrecondition
  // "upgrade_refused" with the HTTP status and body in the message; transport failures are
  // kUnavailable as for HttpsClient.
  Status Connect(const std::string& target, const std::map<std::string, std::string>& headers);

  // The next text message. kUnavailable "read_timeout" if none came within `timeout` (the
  // connection is dropped: connect again, from the last cursor); kUnavailable "closed" when
  // the connection ended, with the close code and reason in the message.
  Result<std::string> Read(std::chrono::milliseconds timeout = std::chrono::hours(24));

  // Sends a close frame and waits briefly for the server's; then drops the connection.
  void Close();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ncbnet::api::client
