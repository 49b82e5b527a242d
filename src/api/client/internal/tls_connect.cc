#include "api/client/internal/tls_connect.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <openssl/ssl.h>

namespace ncbnet::api::client::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

}  // namespace

Status ConfigureClientTls(ssl::context& context, const std::string& host, const std::string& ca_pem,
                          const std::optional<std::pair<std::string, std::string>>& client_cert) {
  boost::system::error_code ec;
  context.add_certificate_authority(asio::buffer(ca_pem), ec);
  if (!ec && client_cert) {
    context.use_certificate_chain(asio::buffer(client_cert->first), ec);
    if (!ec) context.use_private_key(asio::buffer(client_cert->second), ssl::context::pem, ec);
  }
  if (!ec) context.set_verify_mode(ssl::verify_peer, ec);
  if (!ec) context.set_verify_callback(ssl::host_name_verification(host), ec);
  if (ec) return Status::InvalidArgument("invalid_tls_material", ec.message());
  return Status::Ok();
}

Status ConnectTls(const std::string& host, std::uint16_t port, std::chrono::seconds timeout,
                  TlsStream& stream) {
  boost::system::error_code ec;
  tcp::resolver resolver(stream.get_executor());
  const auto endpoints = resolver.resolve(host, std::to_string(port), ec);
  if (ec) return Status::Unavailable("resolve_failed", ec.message());
  beast::get_lowest_layer(stream).expires_after(timeout);
  beast::get_lowest_layer(stream).socket().connect(*endpoints.begin(), ec);
  if (ec) return Status::Unavailable("connect_failed", ec.message());
  boost::system::error_code address_ec;
  asio::ip::make_address(host, address_ec);
  if (address_ec) SSL_set_tlsext_host_name(stream.native_handle(), host.c_str());  // SNI
  stream.handshake(ssl::stream_base::client, ec);
  if (ec) return Status::Unavailable("handshake_failed", ec.message());
  return Status::Ok();
}

}  // namespace ncbnet::api::client::internal
