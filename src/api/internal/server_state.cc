#include "api/internal/server_state.h"

#include <exception>

#include <spdlog/spdlog.h>

#include "api/internal/access_log.h"

namespace ncbnet::api::internal {

ServerState::ServerState(ServerOptions options, RequestHandler& handler,
                         std::unique_ptr<boost::asio::ssl::context> tls,
                         std::shared_ptr<spdlog::logger> access_log,
                         boost::asio::thread_pool& handler_pool)
    : options_(std::move(options)),
      handler_(handler),
      tls_(std::move(tls)),
      access_log_(std::move(access_log)),
      handler_pool_(handler_pool) {}

ServerState::~ServerState() = default;

void ServerState::ReportRefusal(const HttpRequest& request, int status,
                                const std::string& code) const {
  try {
    handler_.OnRefused(request, status, code);
  } catch (...) {  // the handler promised not to throw; keep the server up if it does
    spdlog::error("api: OnRefused threw for request {}", request.request_id);
  }
}

HttpResponse ServerState::CallHandler(const HttpRequest& request) const {
  try {
    return handler_.Handle(request);
  } catch (...) {  // the one last resort: a handler bug must not take the server down
    spdlog::error("api: handler threw for request {}", request.request_id);
    HttpResponse response;
    response.status = 500;
    response.body = ErrorBody("internal", "internal error", request.request_id);
    return response;
  }
}

bool ServerState::TryOpenConnection(const std::string& source_ip) {
  std::lock_guard<std::mutex> lock(mu_);
  int& from_source = per_source_[source_ip];
  if (from_source >= options_.max_connections_per_source || open_ >= options_.max_connections) {
    if (from_source == 0) per_source_.erase(source_ip);
    refused_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  ++from_source;
  ++open_;
  accepted_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void ServerState::CloseConnection(const std::string& source_ip) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = per_source_.find(source_ip);
  if (it != per_source_.end() && --it->second <= 0) per_source_.erase(it);
  if (--open_ == 0) no_connections_.notify_all();
}

bool ServerState::TryMoveConnection(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> lock(mu_);
  if (from == to) return true;
  int& to_count = per_source_[to];
  if (to_count >= options_.max_connections_per_source) {
    if (to_count == 0) per_source_.erase(to);
    refused_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  ++to_count;
  const auto it = per_source_.find(from);
  if (it != per_source_.end() && --it->second <= 0) per_source_.erase(it);
  return true;
}

void ServerState::CountProxyHeaderFailure(std::string_view reason) {
  std::atomic<std::int64_t>* counter = &proxy_malformed_;
  if (reason == "too_large") counter = &proxy_too_large_;
  if (reason == "truncated") counter = &proxy_truncated_;
  if (reason == "timeout") counter = &proxy_timeout_;
  counter->fetch_add(1, std::memory_order_relaxed);
}

bool ServerState::WaitForNoConnections(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  return no_connections_.wait_until(lock, deadline, [this] { return open_ == 0; });
}

void ServerState::AddConnection(const std::shared_ptr<LiveConnection>& connection) {
  std::lock_guard<std::mutex> lock(mu_);
  connections_[connection.get()] = connection;
}

void ServerState::RemoveConnection(const LiveConnection* connection) {
  std::lock_guard<std::mutex> lock(mu_);
  connections_.erase(connection);
}

std::vector<std::shared_ptr<LiveConnection>> ServerState::LiveConnections() const {
  std::vector<std::shared_ptr<LiveConnection>> live;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [key, weak] : connections_) {
    if (auto connection = weak.lock()) live.push_back(std::move(connection));
  }
  return live;
}

ServerStats ServerState::Stats() const {
  ServerStats stats;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stats.open_connections = open_;
  }
  stats.accepted_connections = accepted_.load(std::memory_order_relaxed);
  stats.refused_connections = refused_.load(std::memory_order_relaxed);
  stats.tls_handshake_failures = handshake_failures_.load(std::memory_order_relaxed);
  stats.proxy_header_malformed = proxy_malformed_.load(std::memory_order_relaxed);
  stats.proxy_header_too_large = proxy_too_large_.load(std::memory_order_relaxed);
  stats.proxy_header_truncated = proxy_truncated_.load(std::memory_order_relaxed);
  stats.proxy_header_timeout = proxy_timeout_.load(std::memory_order_relaxed);
  return stats;
}

}  // namespace ncbnet::api::internal
