// What the HTTPS and WebSocket clients share: a client TLS context that verifies the hub
// against the network CA and the host name, and a TCP connection with its TLS handshake.
//
// Thread safety: free functions; the objects they fill belong to the caller.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "core/status.h"

namespace ncbnet::api::client::internal {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// `client_cert` is {certificate PEM, key PEM}. kInvalidArgument "invalid_tls_material" if a
// certificate or key does not load.
Status ConfigureClientTls(boost::asio::ssl::context& context, const std::string& host,
                          const std::string& ca_pem,
                          const std::optional<std::pair<std::string, std::string>>& client_cert);

// Resolves, connects (with SNI when `host` is a name) and completes the handshake within
// `timeout`. Errors: kUnavailable "resolve_failed", "connect_failed", "handshake_failed".
Status ConnectTls(const std::string& host, std::uint16_t port, std::chrono::seconds timeout,
                  TlsStream& stream);

}  // namespace ncbnet::api::client::internal
