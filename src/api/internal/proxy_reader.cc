#include "api/internal/proxy_reader.h"

#include <chrono>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "api/internal/proxy_header.h"

namespace ncbnet::api::internal {

namespace asio = boost::asio;

ProxyReader::ProxyReader(asio::ip::tcp::socket socket, ConnectionSlot slot,
                         std::shared_ptr<ServerState> state, Done done)
    : state_(std::move(state)),
      socket_(std::move(socket)),
      slot_(std::move(slot)),
      deadline_(socket_.get_executor()),
      done_(std::move(done)) {}

ProxyReader::~ProxyReader() { state_->RemoveConnection(this); }

void ProxyReader::Start() {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
    if (self->state_->stopping()) return self->Fail(nullptr);
    self->deadline_.expires_after(
        std::chrono::milliseconds(self->state_->options().proxy_header_timeout_ms));
    self->deadline_.async_wait([self](const boost::system::error_code& ec) {
      if (ec || self->finished_) return;
      self->timed_out_ = true;  // a slow or silent proxy: the pending read fails
      boost::system::error_code ignored;
      self->socket_.cancel(ignored);
    });
    const Result<ProxyParse> first = ParseProxyHeader("");
    self->ReadMore(first.ok() ? first->need : 1);
  });
}

void ProxyReader::OnServerStop() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    if (!self->finished_) self->socket_.cancel(ignored);
  });
}

void ProxyReader::CloseNowForStop() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

// At most `n` more bytes: the parser asks for no more than the header still holds, so the TLS
// handshake's first bytes stay in the socket for the Session. Whatever part of them has
// arrived is parsed at once, so that what is no header fails without waiting for more.
void ProxyReader::ReadMore(std::size_t n) {
  const std::size_t old = bytes_.size();
  bytes_.resize(old + n);
  socket_.async_read_some(
      asio::buffer(bytes_.data() + old, n),
      [self = shared_from_this(), old](const boost::system::error_code& ec, std::size_t got) {
        self->bytes_.resize(old + got);
        self->OnRead(ec);
      });
}

void ProxyReader::OnRead(const boost::system::error_code& ec) {
  if (ec) {
    if (timed_out_) return Fail("timeout");
    if (state_->stopping() || ec == asio::error::operation_aborted) return Fail(nullptr);
    return Fail("truncated");  // end of stream or reset before the header's end
  }
  const Result<ProxyParse> parse = ParseProxyHeader(bytes_);
  if (!parse.ok()) {
    return Fail(parse.status().reason() == "proxy_header_too_large" ? "too_large" : "malformed");
  }
  if (!parse->header) return ReadMore(parse->need);
  finished_ = true;
  deadline_.cancel();
  std::string client_ip = parse->header->local ? slot_->source_ip() : parse->header->source_address;
  done_(std::move(socket_), std::move(*slot_), std::move(client_ip));
  slot_.reset();
}

// Closes the connection; `reason` null for a stop, which is no failure of the peer's.
void ProxyReader::Fail(const char* reason) {
  finished_ = true;
  deadline_.cancel();
  if (reason != nullptr) {
    state_->CountProxyHeaderFailure(reason);
    spdlog::warn("api: PROXY header from {} refused: {}", slot_ ? slot_->source_ip() : "", reason);
  }
  boost::system::error_code ignored;
  socket_.close(ignored);
}

}  // namespace ncbnet::api::internal
