// The server's TLS configuration and what it learns of a client's certificate. OpenSSL and
// Asio's ssl::context stay inside api/internal.
//
// Thread safety: MakeServerTlsContext from one thread; ReadPeerCertificate on the thread that
// owns the connection.
#pragma once

#include <memory>
#include <optional>

#include <boost/asio/ssl/context.hpp>

#include "api/http_server.h"
#include "api/http_types.h"
#include "core/status.h"

using SSL = struct ssl_st;

namespace ncbnet::api::internal {

// A TLS 1.2+ server context: ECDHE with AES-GCM or ChaCha20-Poly1305 for TLS 1.2, OpenSSL's
// defaults for TLS 1.3, no compression, no renegotiation. Client certificates are requested
// and always accepted; their verification result is read after the handshake (see
// PeerCertificate). Errors: kInvalidArgument "invalid_tls_material" for a certificate, key or
// CA that does not parse or a key that does not match; kInternal "tls_setup_failed".
Result<std::unique_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const ServerOptions& options);

// The client's certificate after a completed handshake, or nullopt if it sent none.
std::optional<PeerCertificate> ReadPeerCertificate(SSL* ssl);

}  // namespace ncbnet::api::internal
