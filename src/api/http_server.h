// The HTTPS server: Boost.Beast over Boost.Asio and OpenSSL, HTTP/1.1 with keep-alive, one
// io_context run by one thread per core, handlers on a pool of their own, long polling and
// WebSocket feeds (api/http_types.h: Wait, Feed) that hold no thread while they wait.
//
// It owns the transport's safety: TLS 1.2 and 1.3 only with modern AEAD suites, limits on
// header size, body size, request time and idle time, a cap on connections per source address
// and in all, a request id on every request, a JSON-lines access log, and a graceful stop that
// finishes requests in flight. It knows nothing of users, grants or audit: every complete
// request goes to the RequestHandler, every refused one to RequestHandler::OnRefused.
//
// Thread safety: Start() and Stop() from one controlling thread; the handler is called from
// many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/http_types.h"
#include "core/status.h"

namespace ncbnet::api {

struct ServerOptions {
  std::string listen_address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port; see HttpServer::port()
  int threads = 0;         // I/O threads; 0: std::thread::hardware_concurrency()
  // Threads that run the handler, which may block on the store: enough that many requests
  // can wait on one durable commit together (group commit). 0: 16 per core, at least 32.
  int handler_threads = 0;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  // Bulk endpoints (batch checks, manifests, record imports) take up to max_bulk_body_bytes:
  // requests whose path starts with one of `bulk_path_prefixes`.
  std::size_t max_bulk_body_bytes = 16 * 1024 * 1024;
  std::vector<std::string> bulk_path_prefixes;
  int request_timeout_ms = 30'000;
  int idle_timeout_ms = 60'000;
  int max_connections_per_source = 64;
  int max_connections = 10'000;
  // Peers (CIDR blocks, core/cidr.h) that must send a PROXY protocol header (v1 or v2) before
  // the TLS handshake; its source address then stands for the peer's address everywhere (per-
  // source connection cap, HttpRequest::source_ip). From a listed peer a missing, malformed,
  // oversized or late header closes the connection; from others nothing changes.
  std::vector<std::string> proxy_protocol_from;
  int proxy_header_timeout_ms = 5'000;  // the whole header must arrive in this time

  std::string server_cert_pem;  // the hub's certificate (chain)
  std::string server_key_pem;   // its private key; never logged
  std::string client_ca_pem;    // the network CA that client certificates must chain to
};

struct ServerStats {
  std::int64_t open_connections = 0;
  std::int64_t accepted_connections = 0;
  std::int64_t refused_connections = 0;  // over a connection limit
  std::int64_t tls_handshake_failures = 0;
  // Connections from a proxy_protocol_from peer closed before TLS, by reason (docs/security.md).
  std::int64_t proxy_header_malformed = 0;  // not a PROXY v1 or v2 header, or an invalid one
  std::int64_t proxy_header_too_large = 0;  // longer than the bound (proxy_header.h)
  std::int64_t proxy_header_truncated = 0;  // the peer closed before the header's end
  std::int64_t proxy_header_timeout = 0;    // not complete within proxy_header_timeout_ms
};

class HttpServer {
 public:
  // `handler` must outlive the server.
  HttpServer(ServerOptions options, RequestHandler& handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the worker threads; returns once the port is open.
  // Errors: kInvalidArgument "invalid_tls_material" or "invalid_proxy_protocol_from",
  // kUnavailable "bind_failed".
  Status Start();

  // The bound port (useful with port 0). Valid after Start().
  std::uint16_t port() const;

  // Stops accepting, lets requests in flight finish (up to `grace_ms`), closes idle
  // connections, and joins the threads. Idempotent.
  void Stop(int grace_ms = 10'000);

  // Blocks until SIGTERM or SIGINT arrives, then calls Stop().
  void RunUntilSignal();

  ServerStats Stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ncbnet::api
