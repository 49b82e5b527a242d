#include "api/internal/access_log.h"

#include <cstdio>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/time_format.h"

namespace ncbnet::api::internal {
namespace {

constexpr std::size_t kMaxClientRequestId = 64;
// A path is attacker-sized (up to the header limit); the log keeps its start.
constexpr std::size_t kMaxLoggedPath = 512;

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

}  // namespace

std::string JsonString(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20 || byte >= 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(byte));
      out.append(escaped);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string ErrorBody(std::string_view code, std::string_view message,
                      std::string_view request_id) {
  return R"({"error":{"code":)" + JsonString(code) + R"(,"message":)" + JsonString(message) +
         R"(,"request_id":)" + JsonString(request_id) + "}}";
}

std::string SanitizeClientRequestId(std::string_view value) {
  if (value.empty() || value.size() > kMaxClientRequestId) return "";
  for (const char c : value) {
    if (!IsIdChar(c)) return "";
  }
  return std::string(value);
}

std::string FormatAccessLine(const AccessEntry& entry) {
  std::string line = R"({"time":)" + JsonString(FormatIsoMillis(entry.time_ms));
  line += R"(,"request_id":)" + JsonString(entry.request_id);
  if (!entry.client_request_id.empty()) {
    line += R"(,"client_request_id":)" + JsonString(entry.client_request_id);
  }
  line += R"(,"source":)" + JsonString(entry.source);
  line += R"(,"method":)" + JsonString(entry.method);
  line += R"(,"path":)" + JsonString(std::string_view(entry.path).substr(0, kMaxLoggedPath));
  line += R"(,"status":)" + std::to_string(entry.status);
  line += R"(,"bytes":)" + std::to_string(entry.bytes);
  line += R"(,"duration_us":)" + std::to_string(entry.duration_us) + "}";
  return line;
}

std::shared_ptr<spdlog::logger> AccessLogger() {
  if (auto registered = spdlog::get("access")) return registered;
  auto logger =
      std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_pattern("%v");
  return logger;
}

void WriteAccessLine(spdlog::logger& logger, const AccessEntry& entry) {
  logger.info("{}", FormatAccessLine(entry));
}

}  // namespace ncbnet::api::internal
