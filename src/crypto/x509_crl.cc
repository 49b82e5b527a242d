// The network CA's certificate revocation list (RFC 5280, section 5): what the hub publishes so
// that parties other than itself can learn which client certificates it revoked.
#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/internal/x509_common.h"
#include "crypto/x509.h"

namespace ncbnet::crypto {
namespace {

using internal::Asn1TimePtr;
using internal::BignumPtr;
using internal::Free;
using internal::OpensslError;
using CrlPtr = internal::X509CrlPtr;
using RevokedPtr = std::unique_ptr<X509_REVOKED, Free<X509_REVOKED_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, Free<ASN1_INTEGER_free>>;

Asn1TimePtr TimeAt(std::int64_t ms) {
  return Asn1TimePtr(ASN1_TIME_set(nullptr, static_cast<time_t>(ms / 1000)));
}

// A serial as we record it (lower-case hex, no leading zeros) as an ASN1_INTEGER.
Result<Asn1IntegerPtr> SerialFromHex(const std::string& hex) {
  if (hex.empty() || hex.size() > 40 ||
      hex.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Status::InvalidArgument("invalid_serial", "a certificate serial is not hex");
  }
  BIGNUM* raw = nullptr;
  if (BN_hex2bn(&raw, hex.c_str()) == 0) return OpensslError("cannot read serial");
  const BignumPtr bn(raw);
  Asn1IntegerPtr out(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  if (!out) return OpensslError("cannot encode serial");
  return out;
}

Status AddRevoked(X509_CRL* crl, const RevokedCertificate& r) {
  NCBNET_ASSIGN_OR_RETURN(const Asn1IntegerPtr serial, SerialFromHex(r.serial_hex));
  RevokedPtr entry(X509_REVOKED_new());
  const Asn1TimePtr when = TimeAt(r.revoked_ms);
  if (!entry || !when || X509_REVOKED_set_serialNumber(entry.get(), serial.get()) != 1 ||
      X509_REVOKED_set_revocationDate(entry.get(), when.get()) != 1 ||
      X509_CRL_add0_revoked(crl, entry.get()) != 1) {
    return OpensslError("cannot add a revoked certificate");
  }
  (void)entry.release();  // now owned by the CRL
  return Status::Ok();
}

Status AddCrlExtensions(X509_CRL* crl, X509* issuer, std::int64_t number) {
  const Asn1IntegerPtr crl_number(ASN1_INTEGER_new());
  if (!crl_number || ASN1_INTEGER_set_int64(crl_number.get(), number) != 1 ||
      X509_CRL_add1_ext_i2d(crl, NID_crl_number, crl_number.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    return OpensslError("cannot add the CRL number");
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, nullptr, nullptr, crl, 0);
  X509_EXTENSION* aki =
      X509V3_EXT_conf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always");
  const bool added = aki != nullptr && X509_CRL_add_ext(crl, aki, -1) == 1;
  X509_EXTENSION_free(aki);
  if (!added) return OpensslError("cannot add the authority key identifier");
  return Status::Ok();
}

Result<std::string> ToDer(X509_CRL* crl) {
  unsigned char* der = nullptr;
  const int len = i2d_X509_CRL(crl, &der);
  if (len <= 0 || der == nullptr) return OpensslError("cannot encode the CRL");
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace

Result<std::string> IssueCrl(const KeyAndCert& ca, const std::vector<RevokedCertificate>& revoked,
                             std::int64_t this_update_ms, std::int64_t next_update_ms,
                             std::int64_t number) {
  NCBNET_ASSIGN_OR_RETURN(const internal::LoadedCa loaded, internal::LoadCa(ca));
  CrlPtr crl(X509_CRL_new());
  const Asn1TimePtr this_update = TimeAt(this_update_ms);
  const Asn1TimePtr next_update = TimeAt(next_update_ms);
  if (!crl || !this_update || !next_update || X509_CRL_set_version(crl.get(), 1) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(loaded.cert.get())) != 1 ||
      X509_CRL_set1_lastUpdate(crl.get(), this_update.get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), next_update.get()) != 1) {
    return OpensslError("cannot fill in the CRL");
  }
  for (const RevokedCertificate& r : revoked) NCBNET_RETURN_IF_ERROR(AddRevoked(crl.get(), r));
  NCBNET_RETURN_IF_ERROR(AddCrlExtensions(crl.get(), loaded.cert.get(), number));
  if (X509_CRL_sort(crl.get()) != 1 ||
      X509_CRL_sign(crl.get(), loaded.key.get(), EVP_sha256()) <= 0) {
    return OpensslError("cannot sign the CRL");
  }
  return ToDer(crl.get());
}

}  // namespace ncbnet::crypto
