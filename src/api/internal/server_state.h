// What the server and its connections share: options, the handler, the TLS context, counters,
// the connection limits and the list of live sessions (so that Stop() can reach them).
// Held by shared_ptr so that it outlives every session, even one destroyed with the
// io_context after Stop().
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "api/http_server.h"
#include "api/http_types.h"

namespace spdlog {
class logger;
}

namespace ncbnet::api::internal {

// What Stop() needs of a live connection, HTTP (Session) or WebSocket (WebSocketFeed).
class LiveConnection {
 public:
  virtual ~LiveConnection() = default;
  // Ends the connection soon: at once if it is idle, after the exchange in progress if not.
  virtual void OnServerStop() = 0;
  // Closes the socket at once. Only once no thread runs the io_context (end of Stop()).
  virtual void CloseNowForStop() = 0;
};

class ServerState {
 public:
  // `handler_pool` runs RequestHandler::Handle() off the I/O threads; it must outlive every
  // connection (HttpServer joins it in Stop(), after the I/O threads).
  ServerState(ServerOptions options, RequestHandler& handler,
              std::unique_ptr<boost::asio::ssl::context> tls,
              std::shared_ptr<spdlog::logger> access_log, boost::asio::thread_pool& handler_pool);
  ~ServerState();
  ServerState(const ServerState&) = delete;
  ServerState& operator=(const ServerState&) = delete;

  const ServerOptions& options() const { return options_; }
  RequestHandler& handler() const { return handler_; }
  boost::asio::ssl::context& tls() const { return *tls_; }
  spdlog::logger& access_log() const { return *access_log_; }
  boost::asio::thread_pool& handler_pool() const { return handler_pool_; }

  // Calls handler().Handle(); a handler that throws (a bug) gets a 500, not a dead server.
  HttpResponse CallHandler(const HttpRequest& request) const;

  // Calls handler().OnRefused and keeps a stray exception from unwinding into Asio.
  void ReportRefusal(const HttpRequest& request, int status, const std::string& code) const;

  // Counts a new connection from `source_ip`; false (and counted as refused) if that would
  // pass max_connections_per_source or max_connections. Each true is paired with one
  // CloseConnection(source_ip).
  bool TryOpenConnection(const std::string& source_ip);
  void CloseConnection(const std::string& source_ip);
  // Moves one open connection's count from `from` to `to` (a PROXY header named its client);
  // false (counted as refused, `from` still counted) if `to` is at max_connections_per_source.
  bool TryMoveConnection(const std::string& from, const std::string& to);
  // True once no connection is open; false if `deadline` passed first.
  bool WaitForNoConnections(std::chrono::steady_clock::time_point deadline);

  void AddConnection(const std::shared_ptr<LiveConnection>& connection);
  void RemoveConnection(const LiveConnection* connection);
  std::vector<std::shared_ptr<LiveConnection>> LiveConnections() const;

  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  void SetStopping() { stopping_.store(true, std::memory_order_release); }

  void CountHandshakeFailure() { handshake_failures_.fetch_add(1, std::memory_order_relaxed); }
  // Counts a connection closed over its PROXY header; `reason` is the last part of one of the
  // ServerStats::proxy_header_* names ("malformed", "too_large", "truncated", "timeout").
  void CountProxyHeaderFailure(std::string_view reason);
  ServerStats Stats() const;

 private:
  const ServerOptions options_;
  RequestHandler& handler_;
  const std::unique_ptr<boost::asio::ssl::context> tls_;
  const std::shared_ptr<spdlog::logger> access_log_;
  boost::asio::thread_pool& handler_pool_;

  mutable std::mutex mu_;
  std::condition_variable no_connections_;
  std::unordered_map<std::string, int> per_source_;  // guarded by mu_
  std::int64_t open_ = 0;                            // guarded by mu_
  std::unordered_map<const LiveConnection*, std::weak_ptr<LiveConnection>>
      connections_;  // guarded by mu_

  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> accepted_{0};
  std::atomic<std::int64_t> refused_{0};
  std::atomic<std::int64_t> handshake_failures_{0};
  std::atomic<std::int64_t> proxy_malformed_{0};
  std::atomic<std::int64_t> proxy_too_large_{0};
  std::atomic<std::int64_t> proxy_truncated_{0};
  std::atomic<std::int64_t> proxy_timeout_{0};
};

// Owns one unit of ServerState's connection count: releases it when destroyed.
class ConnectionSlot {
 public:
  ConnectionSlot(std::shared_ptr<ServerState> state, std::string source_ip)
      : state_(std::move(state)), source_ip_(std::move(source_ip)) {}
  ~ConnectionSlot() {
    if (state_) state_->CloseConnection(source_ip_);
  }
  ConnectionSlot(ConnectionSlot&& other) noexcept = default;
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

  const std::string& source_ip() const { return source_ip_; }
  // Counts the connection under `source_ip` instead (ServerState::TryMoveConnection).
  bool MoveTo(const std::string& source_ip) {
    if (!state_->TryMoveConnection(source_ip_, source_ip)) return false;
    source_ip_ = source_ip;
    return true;
  }

 private:
  std::shared_ptr<ServerState> state_;
  std::string source_ip_;
};

}  // namespace ncbnet::api::internal
