// The PROXY protocol's header (HAProxy's proxy-protocol.txt, versions 1 and 2), which a load
// balancer sends at the start of a connection, before TLS, to say whose connection it relays.
// A pure parser: bytes in, a header or a reason out. Used by proxy_reader.cc, which reads the
// header only from the peers listed in proxy_protocol_from (docs/security.md), and by its
// fuzz target.
//
// Reading without reading too far: the TLS handshake follows the header on the same stream, so
// the reader must not take a byte past the header's end. ParseProxyHeader() therefore says, for
// an incomplete header, how many more bytes it needs at least; reading exactly that many never
// goes past the end.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ncbnet::api::internal {

// The longest v1 line allowed by the specification, CRLF included.
inline constexpr std::size_t kProxyV1MaxBytes = 107;
// Our bound for v2: the 16-byte fixed part and up to 512 bytes of addresses and TLVs, enough
// for the longest address block (AF_UNIX, 216) and the TLVs HAProxy sends (ALPN, authority,
// unique id, SSL details).
inline constexpr std::size_t kProxyV2MaxBytes = 16 + 512;

struct ProxyHeader {
  int version = 0;  // 1 or 2
  // True when the header names no client: v2 LOCAL (the proxy's own health checks), v1
  // UNKNOWN, or a v2 PROXY header of an unspecified or AF_UNIX family. The connection's own
  // address then stays the client's.
  bool local = false;
  std::string source_address;  // IPv4 dotted or canonical IPv6 (RFC 5952); empty when local
  std::uint16_t source_port = 0;
  int tlv_count = 0;     // v2 TLVs after the addresses (checked for framing, not used)
  std::size_t size = 0;  // bytes the header took, CRLF or TLVs included
};

struct ProxyParse {
  std::optional<ProxyHeader> header;  // set once the header is complete
  std::size_t need = 0;               // otherwise, at least this many more bytes (never 0)
};

// Parses the header at the start of `bytes`, which must hold nothing past the header (the
// reader asks for `need` bytes at a time). Errors: kInvalidArgument "proxy_header_malformed"
// (neither version's signature, a syntax error, an unsupported command, family or transport,
// a bad address or port, broken TLV framing), "proxy_header_too_large" (longer than
// kProxyV1MaxBytes or kProxyV2MaxBytes).
Result<ProxyParse> ParseProxyHeader(std::string_view bytes);

}  // namespace ncbnet::api::internal
