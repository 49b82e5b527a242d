#include "api/http_server.h"

#include <chrono>
#include <csignal>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include "api/internal/access_log.h"
#include "api/internal/proxy_reader.h"
#include "api/internal/server_state.h"
#include "api/internal/session.h"
#include "api/internal/tls_context.h"
#include "core/cidr.h"
#include "crypto/random.h"

namespace ncbnet::api {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using internal::ConnectionSlot;
using internal::ServerState;
using internal::Session;

// After a failed accept (say, out of file descriptors) wait before trying again rather than
// spinning on the error.
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

// The peer's address; IPv4 clients of a dual-stack socket appear as plain IPv4.
std::string PeerAddress(const tcp::socket& socket) {
  boost::system::error_code ec;
  const tcp::endpoint endpoint = socket.remote_endpoint(ec);
  if (ec) return "";
  asio::ip::address address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  try {
    return address.to_string();
  } catch (const std::exception&) {  // inet_ntop failed: cannot happen for a real address
    return "";
  }
}

int ThreadCount(int configured) {
  if (configured > 0) return configured;
  return static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
}

int HandlerThreadCount(int configured) {
  if (configured > 0) return configured;
  return std::max(32, 16 * ThreadCount(0));
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(ServerOptions options, RequestHandler& handler)
      : options_(std::move(options)),
        handler_(handler),
        handler_pool_(static_cast<std::size_t>(HandlerThreadCount(options_.handler_threads))),
        io_(ThreadCount(options_.threads)) {}

  Status Start();
  std::uint16_t port() const { return port_; }
  void Stop(int grace_ms);
  void RunUntilSignal();
  ServerStats Stats() const { return state_ ? state_->Stats() : ServerStats{}; }

 private:
  Status Listen();
  void Accept();
  void OnAccept(boost::system::error_code ec, tcp::socket socket);
  void ReadProxyHeader(tcp::socket socket, const std::string& proxy_ip);
  void OpenSession(tcp::socket socket, ConnectionSlot slot);
  void RefuseConnection(tcp::socket socket, const std::string& source_ip);
  void RunWorker();

  const ServerOptions options_;
  RequestHandler& handler_;
  asio::thread_pool handler_pool_;  // declared before io_: outlives every connection
  asio::io_context io_;
  // Keeps run() going while every connection waits on the handler pool or a wakeup, which is
  // no I/O work; Stop() ends it with io_.stop().
  asio::executor_work_guard<asio::io_context::executor_type> keep_running_{io_.get_executor()};
  std::optional<tcp::acceptor> acceptor_;  // declared after io_: destroyed before it
  std::optional<asio::steady_timer> accept_retry_;
  std::shared_ptr<ServerState> state_;
  std::vector<Cidr> proxy_peers_;  // options_.proxy_protocol_from, parsed by Start()
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;

  std::mutex control_mu_;  // Start/Stop/RunUntilSignal
  bool started_ = false;
  bool stopped_ = false;
};

Status HttpServer::Impl::Start() {
  std::lock_guard<std::mutex> lock(control_mu_);
  if (started_) return Status::FailedPrecondition("already_started", "server already started");
  auto peers = ParseCidrs(options_.proxy_protocol_from);
  if (!peers.ok()) {
    return Status::InvalidArgument("invalid_proxy_protocol_from", peers.status().message());
  }
  proxy_peers_ = std::move(peers).value();
  NCBNET_ASSIGN_OR_RETURN(auto tls, internal::MakeServerTlsContext(options_));
  state_ = std::make_shared<ServerState>(options_, handler_, std::move(tls),
                                         internal::AccessLogger(), handler_pool_);
  NCBNET_RETURN_IF_ERROR(Listen());
  Accept();
  const int count = ThreadCount(options_.threads);
  try {
    for (int i = 0; i < count; ++i) threads_.emplace_back([this] { RunWorker(); });
  } catch (const std::system_error& e) {  // no threads left in the process
    spdlog::error("api: cannot start worker thread: {}", e.what());
    if (threads_.empty()) return Status::Unavailable("thread_start_failed", e.what());
  }
  started_ = true;
  spdlog::info("api: listening on {}:{} with {} threads", options_.listen_address, port_,
               threads_.size());
  return Status::Ok();
}

Status HttpServer::Impl::Listen() {
  const std::string where = options_.listen_address + ":" + std::to_string(options_.port);
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(options_.listen_address, ec);
  if (ec) return Status::Unavailable("bind_failed", "bad listen address " + where);
  const tcp::endpoint endpoint(address, options_.port);
  acceptor_.emplace(asio::make_strand(io_));
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor_.reset();
    return Status::Unavailable("bind_failed", "cannot listen on " + where + ": " + ec.message());
  }
  port_ = acceptor_->local_endpoint(ec).port();
  accept_retry_.emplace(acceptor_->get_executor());
  return Status::Ok();
}

void HttpServer::Impl::Accept() {
  // Each connection gets its own strand: its handlers never run concurrently.
  acceptor_->async_accept(asio::make_strand(io_),
                          [this](boost::system::error_code ec, tcp::socket socket) {
                            OnAccept(ec, std::move(socket));
                          });
}

void HttpServer::Impl::OnAccept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_->is_open()) return;  // Stop()
  if (ec) {
    spdlog::warn("api: accept failed: {}", ec.message());
    accept_retry_->expires_after(kAcceptRetryDelay);
    accept_retry_->async_wait([this](boost::system::error_code wait_ec) {
      if (!wait_ec && acceptor_->is_open()) Accept();
    });
    return;
  }
  Accept();
  if (state_->stopping()) return;  // `socket` closes as it goes out of scope
  std::string source_ip = PeerAddress(socket);
  if (!state_->TryOpenConnection(source_ip)) return RefuseConnection(std::move(socket), source_ip);
  // From a listed load balancer the PROXY header comes first; it is counted under the
  // balancer's address until the header names the client.
  if (AnyContains(proxy_peers_, source_ip)) return ReadProxyHeader(std::move(socket), source_ip);
  OpenSession(std::move(socket), ConnectionSlot(state_, source_ip));
}

void HttpServer::Impl::ReadProxyHeader(tcp::socket socket, const std::string& proxy_ip) {
  ConnectionSlot slot(state_, proxy_ip);
  try {
    auto reader = std::make_shared<internal::ProxyReader>(
        std::move(socket), std::move(slot), state_,
        [this](tcp::socket client, ConnectionSlot client_slot, std::string client_ip) {
          // The client's own per-source cap applies from here on, as for a direct client.
          if (!client_slot.MoveTo(client_ip)) return RefuseConnection(std::move(client), client_ip);
          OpenSession(std::move(client), std::move(client_slot));
        });
    state_->AddConnection(reader);
    reader->Start();
  } catch (const std::exception& e) {  // allocation failed; `slot` is released
    spdlog::error("api: cannot set up a connection from {}: {}", proxy_ip, e.what());
  }
}

void HttpServer::Impl::OpenSession(tcp::socket socket, ConnectionSlot slot) {
  const std::string source_ip = slot.source_ip();
  try {
    auto session = std::make_shared<Session>(std::move(socket), std::move(slot), state_);
    state_->AddConnection(session);
    session->Start();
  } catch (const std::exception& e) {  // SSL_new or allocation failed; `slot` is released
    spdlog::error("api: cannot set up a connection from {}: {}", source_ip, e.what());
  }
}

void HttpServer::Impl::RefuseConnection(tcp::socket socket, const std::string& source_ip) {
  boost::system::error_code ignored;
  socket.close(ignored);
  HttpRequest request;
  request.request_id = crypto::NewId("req");
  request.source_ip = source_ip;
  spdlog::warn("api: connection from {} over the limit, refused ({})", source_ip,
               request.request_id);
  // Off the accept strand: the handler may block to write its audit entry.
  asio::post(handler_pool_, [state = state_, request = std::move(request)] {
    state->ReportRefusal(request, 429, "too_many_connections");
  });
}

void HttpServer::Impl::RunWorker() {
  for (;;) {
    try {
      io_.run();
      return;
    } catch (const std::exception& e) {  // a bug in a completion handler; keep serving
      spdlog::critical("api: worker caught exception: {}", e.what());
    }
  }
}

void HttpServer::Impl::Stop(int grace_ms) {
  std::lock_guard<std::mutex> lock(control_mu_);
  if (!started_ || stopped_) return;
  stopped_ = true;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
  // Order matters: sessions check stopping() on their strand before each read, and
  // OnServerStop() runs on the same strand, so no session can start waiting for a new request
  // unnoticed.
  state_->SetStopping();
  std::promise<void> closed;
  asio::post(acceptor_->get_executor(), [this, &closed] {
    boost::system::error_code ignored;
    acceptor_->close(ignored);
    accept_retry_->cancel();
    closed.set_value();
  });
  for (const auto& connection : state_->LiveConnections()) connection->OnServerStop();
  closed.get_future().wait_until(deadline);
  if (!state_->WaitForNoConnections(deadline)) {
    spdlog::warn("api: grace period over with {} connection(s) open; closing them",
                 state_->Stats().open_connections);
  }
  io_.stop();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  // Handlers still running finish; what they post to the stopped io_context never runs.
  handler_pool_.join();
  // No thread runs the io_context now, so touching connections directly is safe. Those left
  // after the grace period lose their socket now and their memory when the io_context goes.
  for (const auto& connection : state_->LiveConnections()) connection->CloseNowForStop();
  boost::system::error_code ignored;
  acceptor_->close(ignored);
  spdlog::info("api: stopped");
}

void HttpServer::Impl::RunUntilSignal() {
  {
    std::lock_guard<std::mutex> lock(control_mu_);
    if (!started_ || stopped_) return;
  }
  asio::signal_set signals(io_);
  boost::system::error_code ec;
  signals.add(SIGINT, ec);
  if (!ec) signals.add(SIGTERM, ec);
  if (ec) {
    spdlog::error("api: cannot wait for signals: {}", ec.message());
    return;
  }
  std::promise<int> received;
  signals.async_wait([&received](boost::system::error_code wait_ec, int signal) {
    received.set_value(wait_ec ? 0 : signal);
  });
  spdlog::info("api: stopping on signal {}", received.get_future().get());
  Stop(10'000);
}

HttpServer::HttpServer(ServerOptions options, RequestHandler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

HttpServer::~HttpServer() { impl_->Stop(0); }

Status HttpServer::Start() { return impl_->Start(); }

std::uint16_t HttpServer::port() const { return impl_->port(); }

void HttpServer::Stop(int grace_ms) { impl_->Stop(grace_ms); }

void HttpServer::RunUntilSignal() { impl_->RunUntilSignal(); }

ServerStats HttpServer::Stats() const { return impl_->Stats(); }

}  // namespace ncbnet::api
