#include "api/internal/tls_context.h"

#include <cctype>
#include <exception>
#include <string>

#include <boost/asio/buffer.hpp>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "crypto/x509.h"

namespace ncbnet::api::internal {
namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2 suites: forward secrecy (ECDHE) and AEAD only. TLS 1.3 keeps OpenSSL's defaults,
// which are all AEAD with forward secrecy.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// Resumed sessions must belong to this server; OpenSSL refuses resumption with client
// verification on and no context set.
constexpr unsigned char kSessionIdContext[] = "ncbnet-api";

Status Invalid(const std::string& what) {
  ERR_clear_error();
  return Status::InvalidArgument("invalid_tls_material", what);
}

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

// Tells clients which CA their certificate should come from (CertificateRequest message).
Status SetClientCaList(SSL_CTX* ctx, const std::string& ca_pem) {
  BioPtr bio(BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size())));
  STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
  if (!bio || names == nullptr) {
    sk_X509_NAME_free(names);
    return Status::Internal("tls_setup_failed", "out of memory");
  }
  while (X509Ptr cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
    X509_NAME* name = X509_NAME_dup(X509_get_subject_name(cert.get()));
    if (name == nullptr || sk_X509_NAME_push(names, name) == 0) {
      X509_NAME_free(name);
      sk_X509_NAME_pop_free(names, X509_NAME_free);
      return Status::Internal("tls_setup_failed", "out of memory");
    }
  }
  if (sk_X509_NAME_num(names) == 0) {
    sk_X509_NAME_free(names);
    return Invalid("client CA holds no certificate");
  }
  SSL_CTX_set_client_CA_list(ctx, names);  // takes ownership
  ERR_clear_error();                       // the loop ends on a "no start line" error
  return Status::Ok();
}

Status Harden(ssl::context& context) {
  boost::system::error_code ec;
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                          ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                          ssl::context::no_tlsv1_1 | ssl::context::no_compression |
                          ssl::context::single_dh_use,
                      ec);
  if (ec) return Status::Internal("tls_setup_failed", "set_options: " + ec.message());
  SSL_CTX* ctx = context.native_handle();
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1 ||
      SSL_CTX_set_session_id_context(ctx, kSessionIdContext, sizeof(kSessionIdContext) - 1) != 1) {
    ERR_clear_error();
    return Status::Internal("tls_setup_failed", "cannot restrict protocol or ciphers");
  }
  return Status::Ok();
}

Status LoadMaterial(ssl::context& context, const ServerOptions& options) {
  if (options.server_cert_pem.empty() || options.server_key_pem.empty()) {
    return Invalid("server certificate or key missing");
  }
  boost::system::error_code ec;
  context.use_certificate_chain(boost::asio::buffer(options.server_cert_pem), ec);
  if (ec) return Invalid("server certificate does not parse");
  context.use_private_key(boost::asio::buffer(options.server_key_pem), ssl::context::pem, ec);
  if (ec || SSL_CTX_check_private_key(context.native_handle()) != 1) {
    return Invalid("server key does not parse or match the certificate");
  }
  if (!options.client_ca_pem.empty()) {
    context.add_certificate_authority(boost::asio::buffer(options.client_ca_pem), ec);
    if (ec) return Invalid("client CA does not parse");
    NCBNET_RETURN_IF_ERROR(SetClientCaList(context.native_handle(), options.client_ca_pem));
  }
  return Status::Ok();
}

std::string Pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return "";
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return length > 0 ? std::string(data, static_cast<std::size_t>(length)) : "";
}

}  // namespace

Result<std::unique_ptr<ssl::context>> MakeServerTlsContext(const ServerOptions& options) {
  std::unique_ptr<ssl::context> context;
  try {
    context = std::make_unique<ssl::context>(ssl::context::tls_server);
  } catch (const std::exception& e) {  // SSL_CTX_new failed
    return Status::Internal("tls_setup_failed", e.what());
  }
  NCBNET_RETURN_IF_ERROR(Harden(*context));
  NCBNET_RETURN_IF_ERROR(LoadMaterial(*context, options));
  boost::system::error_code ec;
  // Ask for a certificate but let the handshake succeed whatever the result: the dispatcher
  // refuses a missing or bad certificate with a precise error code and an audit entry.
  context->set_verify_mode(ssl::verify_peer, ec);
  if (!ec) context->set_verify_callback([](bool, ssl::verify_context&) { return true; }, ec);
  if (ec) return Status::Internal("tls_setup_failed", "set_verify: " + ec.message());
  return context;
}

std::optional<PeerCertificate> ReadPeerCertificate(SSL* ssl) {
  const X509Ptr cert(SSL_get1_peer_certificate(ssl));
  if (!cert) return std::nullopt;
  PeerCertificate peer;
  // The callback accepted everything, but OpenSSL still records the chain's real result.
  const long result = SSL_get_verify_result(ssl);
  peer.verified = result == X509_V_OK;
  if (!peer.verified) {
    peer.verify_error_code = static_cast<int>(result);
    peer.verify_error = X509_verify_cert_error_string(result);
  }
  peer.pem = Pem(cert.get());
  // One reading of serial and subject for the whole hub: the same as at issue (crypto/x509.h).
  if (auto info = crypto::ParseCertificate(peer.pem); info.ok()) {
    peer.serial_hex = info->serial_hex;
    peer.common_name = info->common_name;
  }
  ERR_clear_error();
  return peer;
}

}  // namespace ncbnet::api::internal
