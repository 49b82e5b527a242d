// The hub's configuration: defaults here, then a TOML file (docs/configuration.md), then
// command-line flags (apps/ncbnet/serve.cc).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace ncbnet {

struct HubConfig {
  std::string data_dir = "ncbnet-data";
  // Where the store is: empty for the data directory's SQLite file (ncbnet.db), or a
  // postgresql:// URI (docs/deployment.md). `ncbnet init --store` writes it into the data
  // directory's ncbnet.toml, so that every command on that directory finds it.
  std::string store;
  // A node whose clock differs from the store server's by more than this refuses to serve
  // (PostgreSQL; SQLite has no server clock).
  int max_clock_skew_ms = 2000;
  std::string listen_address = "127.0.0.1";
  std::uint16_t port = 8443;
  int threads = 0;  // 0: one per core

  // Request limits: a slow or greedy client cannot hold a connection or a thread.
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = std::size_t{2} << 20;  // 2 MiB: a message's 1 MiB body and JSON
  int request_timeout_ms = 30'000;  // whole request, headers and body, must arrive in this time
  int idle_timeout_ms = 60'000;     // keep-alive connections idle longer are closed
  int max_connections_per_source = 64;
  int max_connections = 10'000;
  // Peers that must open each connection with a PROXY protocol header (v1 or v2) before TLS:
  // a load balancer's addresses, as CIDR blocks ("10.0.0.0/8") or single addresses. From them
  // the header's source address is the client's address; from any other peer nothing changes.
  std::vector<std::string> proxy_protocol_from;

  // Identity.
  int session_ttl_seconds = 8 * 3600;
  // A session not used by its user for this long ends (a background poll of the mailbox does
  // not count as use).
  int session_idle_seconds = 30 * 60;
  int login_max_failures_per_account = 5;
  int login_max_failures_per_source = 20;
  int login_lockout_seconds = 300;

  // Messaging: how long a message is kept after it is accepted, then purged (default five
  // years). Applies to messages sent from then on; each keeps the date set when it was sent.
  int message_retention_days = 1826;

  // Public extracts of notices (GET /v1/public/notices...): each source address may make
  // `public_burst` requests at once, then `public_requests_per_minute`, refilled evenly.
  int public_requests_per_minute = 60;
  int public_burst = 20;

  // The web console's built files (console/dist), served at "/" (api/console_files.h). Empty:
  // no console, "/" says so.
  std::string console_dir;

  // The public notices page's built files (console/dist-public), served at "/public"
  // (api/console_files.h). Empty: none. A hub on a closed network leaves it empty and a public
  // web server serves the page (docs/console.md).
  std::string public_dir;

  std::string log_level = "info";
  bool public_metrics = false;  // false: /metrics needs the audit.read capability
};

// Reads `path` over the defaults in `config`. Unknown keys are an error, so a typo does not
// silently leave a default in force. Errors: kNotFound, kInvalidArgument "invalid_config".
Status LoadConfigFile(const std::string& path, HubConfig& config);

}  // namespace ncbnet
