#include "core/config.h"

#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "core/cidr.h"

namespace ncbnet {
namespace {

Status Bad(const std::string& why) { return Status::InvalidArgument("invalid_config", why); }

template <typename T>
Status ReadInt(const toml::table& t, const char* key, T& out, std::int64_t lo, std::int64_t hi) {
  const toml::node* node = t.get(key);
  if (node == nullptr) return Status::Ok();
  const auto v = node->value<std::int64_t>();
  if (!v || *v < lo || *v > hi) {
    return Bad(std::string(key) + " must be an integer in [" + std::to_string(lo) + ", " +
               std::to_string(hi) + "]");
  }
  out = static_cast<T>(*v);
  return Status::Ok();
}

Status ReadString(const toml::table& t, const char* key, std::string& out) {
  const toml::node* node = t.get(key);
  if (node == nullptr) return Status::Ok();
  const auto v = node->value<std::string>();
  if (!v) return Bad(std::string(key) + " must be a string");
  out = *v;
  return Status::Ok();
}

Status ReadBool(const toml::table& t, const char* key, bool& out) {
  const toml::node* node = t.get(key);
  if (node == nullptr) return Status::Ok();
  const auto v = node->value<bool>();
  if (!v) return Bad(std::string(key) + " must be true or false");
  out = *v;
  return Status::Ok();
}

// An array of address blocks (core/cidr.h), each checked here so that a typo stops the start.
Status ReadCidrs(const toml::table& t, const char* key, std::vector<std::string>& out) {
  const toml::node* node = t.get(key);
  if (node == nullptr) return Status::Ok();
  const toml::array* array = node->as_array();
  if (array == nullptr) return Bad(std::string(key) + " must be an array of address blocks");
  std::vector<std::string> texts;
  for (const toml::node& item : *array) {
    const auto v = item.value<std::string>();
    if (!v) return Bad(std::string(key) + " must be an array of strings");
    texts.push_back(*v);
  }
  if (const auto parsed = ParseCidrs(texts); !parsed.ok()) {
    return Bad(std::string(key) + ": " + parsed.status().message());
  }
  out = std::move(texts);
  return Status::Ok();
}

Status Apply(const toml::table& t, HubConfig& c) {
  static const std::set<std::string, std::less<>> kKeys = {"data_dir",
                                                           "listen_address",
                                                           "port",
                                                           "threads",
                                                           "max_header_bytes",
                                                           "max_body_bytes",
                                                           "request_timeout_ms",
                                                           "idle_timeout_ms",
                                                           "max_connections_per_source",
                                                           "max_connections",
                                                           "proxy_protocol_from",
                                                           "session_ttl_seconds",
                                                           "session_idle_seconds",
                                                           "login_max_failures_per_account",
                                                           "login_max_failures_per_source",
                                                           "login_lockout_seconds",
                                                           "message_retention_days",
                                                           "log_level",
                                                           "console_dir",
                                                           "public_dir",
                                                           "store",
                                                           "max_clock_skew_ms",
                                                           "public_metrics",
                                                           "public_requests_per_minute",
                                                           "public_burst"};
  for (const auto& [key, value] : t) {
    if (kKeys.count(key.str()) == 0) return Bad("unknown key '" + std::string(key.str()) + "'");
  }
  NCBNET_RETURN_IF_ERROR(ReadString(t, "data_dir", c.data_dir));
  NCBNET_RETURN_IF_ERROR(ReadString(t, "listen_address", c.listen_address));
  NCBNET_RETURN_IF_ERROR(ReadInt(t, "port", c.port, 0, 65535));
  NCBNET_RETURN_IF_ERROR(ReadInt(t, "threads", c.threads, 0, 256));
  NCBNET_RETURN_IF_ERROR(ReadInt(t, "max_header_bytes", c.max_header_bytes, 1024, 1 << 20));
  NCBNET_RETURN_IF_ERROR(ReadInt(t, "max_body_bytes", c.max_body_bytes, 1024, 64 << 20));
  NCBNET_RETURN_IF_ERROR(ReadInt(t, "request_timeout_ms", c.request_timeout_ms, 100, 600'000));
  NCBNET_RETURN_IF_ERROR(ReadInt(t, "idle_timeout_ms", c.idle_timeout_ms, 100, 3'600'000));
  NCBNET_RETURN_IF_ERROR(
      ReadInt(t, "max_connections_per_source", c.max_connections_per_source, 1, 100'000));
  NCBNET_RETURN_IF_ERROR(ReadInt(t, "max_connections", c.max_connections, 1, 1'000'000));
  NCBNET_RETURN_IF_ERROR(ReadCidrs(t, "proxy_protocol_from", c.proxy_protocol_from));
  NCBNET_RETURN_IF_ERROR(
      ReadInt(t, "session_ttl_seconds", c.session_ttl_seconds, 1, 7 * 24 * 3600));
  NCBNET_RETURN_IF_ERROR(
      ReadInt(t, "session_idle_seconds", c.session_idle_seconds, 1, 7 * 24 * 3600));
  NCBNET_RETURN_IF_ERROR(
      ReadInt(t, "login_max_failures_per_account", c.login_max_failures_per_account, 1, 1000));
  NCBNET_RETURN_IF_ERROR(
      ReadInt(t, "login_max_failures_per_source", c.login_max_failures_per_source, 1, 100'000));
  NCBNET_RETURN_IF_ERROR(
      ReadInt(t, "login_lockout_seconds", c.login_lockout_seconds, 1, 24 * 3600));
  NCBNET_RETURN_IF_ERROR(
      ReadInt(t, "message_retention_days", c.message_retention_days, 1, 100 * 366));
  NCBNET_RETURN_IF_ERROR(ReadString(t, "log_level", c.log_level));
  NCBNET_RETURN_IF_ERROR(ReadString(t, "console_dir", c.console_dir));
  NCBNET_RETURN_IF_ERROR(ReadString(t, "public_dir", c.public_dir));
  NCBNET_RETURN_IF_ERROR(ReadString(t, "store", c.store));
  NCBNET_RETURN_IF_ERROR(ReadInt(t, "max_clock_skew_ms", c.max_clock_skew_ms, 1, 600'000));
  static const std::set<std::string, std::less<>> kLevels = {"trace", "debug",    "info", "warn",
                                                             "error", "critical", "off"};
  if (kLevels.count(c.log_level) == 0) {
    return Bad("log_level must be one of trace, debug, info, warn, error, critical, off");
  }
  NCBNET_RETURN_IF_ERROR(ReadBool(t, "public_metrics", c.public_metrics));
  NCBNET_RETURN_IF_ERROR(
      ReadInt(t, "public_requests_per_minute", c.public_requests_per_minute, 1, 100'000));
  NCBNET_RETURN_IF_ERROR(ReadInt(t, "public_burst", c.public_burst, 1, 10'000));
  return Status::Ok();
}

}  // namespace

Status LoadConfigFile(const std::string& path, HubConfig& config) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("config_missing", "cannot open " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  // toml++ reports syntax errors by exception; they stop here.
  try {
    const toml::table table = toml::parse(buf.str(), path);
    return Apply(table, config);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << path << ":" << e.source().begin.line << ": " << e.description();
    return Bad(msg.str());
  }
}

}  // namespace ncbnet
