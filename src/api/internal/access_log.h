// The access log and the small JSON texts the server writes itself (error bodies, log lines).
// No JSON library: every value is either a number or a string escaped here.
//
// Thread safety: free functions; WriteAccessLine may be called concurrently (spdlog loggers
// are thread-safe).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace spdlog {
class logger;
}

namespace ncbnet::api::internal {

// `text` as a JSON string literal, quotes included. Control characters and non-ASCII bytes
// are escaped as \u00XX so that a log line stays one printable line whatever a client sent.
std::string JsonString(std::string_view text);

// {"error":{"code":...,"message":...,"request_id":...}}
std::string ErrorBody(std::string_view code, std::string_view message, std::string_view request_id);

// The client's X-Request-Id, fit to log: at most 64 characters of [A-Za-z0-9._-]; anything
// else yields "". Never used as our own id: clients cannot be trusted to make them unique.
std::string SanitizeClientRequestId(std::string_view value);

struct AccessEntry {
  std::int64_t time_ms = 0;
  std::string request_id;
  std::string client_request_id;  // sanitised; omitted when empty
  std::string source;
  std::string method;
  std::string path;  // never the query string: it may hold secrets
  int status = 0;
  std::size_t bytes = 0;
  std::int64_t duration_us = 0;
};

// One JSON line; headers, bodies and tokens are never part of it.
std::string FormatAccessLine(const AccessEntry& entry);

// The logger named "access" if the application registered one, else an unregistered logger
// writing bare lines to stderr.
std::shared_ptr<spdlog::logger> AccessLogger();

void WriteAccessLine(spdlog::logger& logger, const AccessEntry& entry);

}  // namespace ncbnet::api::internal
