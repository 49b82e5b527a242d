#include "crypto/x509.h"

#include <climits>
#include <memory>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/internal/x509_common.h"
#include "crypto/random.h"

namespace ncbnet::crypto {

namespace internal {

Status OpensslError(std::string what) {
  ERR_clear_error();
  return Status::Internal("openssl_error", std::move(what));
}

BioPtr ReadOnlyBio(const std::string& text) {
  if (text.size() > INT_MAX) return nullptr;
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);  // NOLINT(google-runtime-int): OpenSSL's type
  if (len <= 0 || data == nullptr) return std::string();
  return std::string(data, static_cast<std::size_t>(len));
}

Result<PkeyPtr> GenerateP256Key() {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") <= 0) {
    return OpensslError("cannot set up P-256 key generation");
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(ctx.get(), &raw) <= 0) return OpensslError("cannot generate key");
  return PkeyPtr(raw);
}

// The secure-memory BIO clears its buffer when freed, so the only remaining copy of the key is
// the string we return.
Result<std::string> KeyToPem(EVP_PKEY* key) {
  const BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio ||
      PEM_write_bio_PKCS8PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return OpensslError("cannot write key");
  }
  return BioContents(bio.get());
}

}  // namespace internal

namespace {

using internal::Asn1TimePtr;
using internal::BignumPtr;
using internal::BioContents;
using internal::BioPtr;
using internal::Free;
using internal::GenerateP256Key;
using internal::KeyToPem;
using internal::OpensslError;
using internal::PkeyPtr;
using internal::ReadOnlyBio;
using internal::X509Ptr;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Free<X509_EXTENSION_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, Free<GENERAL_NAMES_free>>;
using GeneralNamePtr = std::unique_ptr<GENERAL_NAME, Free<GENERAL_NAME_free>>;
using OctetStringPtr = std::unique_ptr<ASN1_OCTET_STRING, Free<ASN1_OCTET_STRING_free>>;
using Ia5StringPtr = std::unique_ptr<ASN1_IA5STRING, Free<ASN1_IA5STRING_free>>;

constexpr int kSerialBytes = 16;  // 128 bits, RFC 5280 allows up to 20 octets

Status InvalidCa() {
  ERR_clear_error();
  return Status::InvalidArgument("invalid_ca", "CA certificate or key do not parse or match");
}

Result<std::string> CertToPem(X509* cert) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return OpensslError("cannot write cert");
  return BioContents(bio.get());
}

bool SetName(X509_NAME* name, const std::string& common_name) {
  // Structured entries, not a parsed "/CN=..." string, so a name cannot inject attributes.
  // OpenSSL enforces the 64-character upper bound on CN (RFC 5280 ub-common-name).
  const auto* cn = reinterpret_cast<const unsigned char*>(common_name.c_str());
  const auto* org = reinterpret_cast<const unsigned char*>("ncbnet");
  return !common_name.empty() &&
         X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8, cn, -1, -1, 0) == 1 &&
         X509_NAME_add_entry_by_NID(name, NID_organizationName, MBSTRING_UTF8, org, -1, -1, 0) == 1;
}

bool SetValidity(X509* cert, std::int64_t not_before_ms, std::int64_t not_after_ms) {
  // Floor to whole seconds; ASN1_TIME_set picks UTCTime or GeneralizedTime per RFC 5280.
  const auto to_seconds = [](std::int64_t ms) {
    return static_cast<time_t>(ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000));
  };
  return ASN1_TIME_set(X509_getm_notBefore(cert), to_seconds(not_before_ms)) != nullptr &&
         ASN1_TIME_set(X509_getm_notAfter(cert), to_seconds(not_after_ms)) != nullptr;
}

bool SetRandomSerial(X509* cert) {
  // A random serial (CA/Browser Forum practice) makes issued certificates unpredictable.
  // BN_bin2bn reads the bytes as unsigned, so the serial is always positive.
  const std::string bytes = RandomBytes(kSerialBytes);
  const BignumPtr bn(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), kSerialBytes, nullptr));
  if (!bn || BN_is_zero(bn.get())) return false;  // zero: 2^-128, report rather than issue
  return BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) != nullptr;
}

// Adds an extension written in OpenSSL's config syntax; `value` is always a literal of ours or
// a URL checked by IsSafeUrl, never caller input (that would allow "critical," or extra-field
// injection).
bool AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  const ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// subjectAltName built as structures, so a name containing ',' cannot add entries.
Status AddSubjectAltNames(X509* cert, const CertRequest& request) {
  if (request.dns_names.empty() && request.ip_addresses.empty()) return Status::Ok();
  const GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
  if (!names) return OpensslError("out of memory");
  for (const std::string& dns : request.dns_names) {
    Ia5StringPtr ia5(ASN1_IA5STRING_new());
    GeneralNamePtr name(GENERAL_NAME_new());
    if (dns.empty() || dns.size() > 253 || dns.find_first_of(" ,\0", 0, 3) != std::string::npos ||
        !ia5 || !name ||
        ASN1_STRING_set(ia5.get(), dns.data(), static_cast<int>(dns.size())) != 1) {
      return Status::InvalidArgument("invalid_request", "invalid DNS name");
    }
    GENERAL_NAME_set0_value(name.get(), GEN_DNS, ia5.release());
    if (sk_GENERAL_NAME_push(names.get(), name.get()) == 0) return OpensslError("out of memory");
    (void)name.release();  // now owned by `names`
  }
  for (const std::string& ip : request.ip_addresses) {
    OctetStringPtr octets(a2i_IPADDRESS(ip.c_str()));
    GeneralNamePtr name(GENERAL_NAME_new());
    if (!octets || !name) {
      ERR_clear_error();
      return Status::InvalidArgument("invalid_request", "invalid IP address");
    }
    GENERAL_NAME_set0_value(name.get(), GEN_IPADD, octets.release());
    if (sk_GENERAL_NAME_push(names.get(), name.get()) == 0) return OpensslError("out of memory");
    (void)name.release();
  }
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    return OpensslError("cannot add subjectAltName");
  }
  return Status::Ok();
}

// Version, serial, subject, validity and public key: what every certificate of ours shares.
Result<X509Ptr> NewCertificate(const std::string& common_name, std::int64_t not_before_ms,
                               std::int64_t not_after_ms, EVP_PKEY* key) {
  if (not_after_ms < not_before_ms) {
    return Status::InvalidArgument("invalid_validity", "not_after is before not_before");
  }
  X509Ptr cert(X509_new());
  if (!cert) return OpensslError("out of memory");
  if (!SetName(X509_get_subject_name(cert.get()), common_name)) {
    ERR_clear_error();
    return Status::InvalidArgument("invalid_common_name", "common name empty or too long");
  }
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1 || !SetRandomSerial(cert.get()) ||
      !SetValidity(cert.get(), not_before_ms, not_after_ms) ||
      X509_set_pubkey(cert.get(), key) != 1) {
    return OpensslError("cannot fill in certificate");
  }
  return cert;
}

Result<KeyAndCert> SignAndEncode(X509* cert, EVP_PKEY* signer, EVP_PKEY* subject_key) {
  if (X509_sign(cert, signer, EVP_sha256()) <= 0) return OpensslError("cannot sign certificate");
  KeyAndCert out;
  NCBNET_ASSIGN_OR_RETURN(out.cert_pem, CertToPem(cert));
  NCBNET_ASSIGN_OR_RETURN(out.key_pem, KeyToPem(subject_key));
  return out;
}

Result<std::int64_t> TimeToMillis(const ASN1_TIME* time) {
  // ASN1_TIME_diff avoids timegm() and time zone handling: seconds since the epoch directly.
  const Asn1TimePtr epoch(ASN1_TIME_set(nullptr, 0));
  int days = 0;
  int seconds = 0;
  if (!epoch || time == nullptr || ASN1_TIME_diff(&days, &seconds, epoch.get(), time) != 1) {
    ERR_clear_error();
    return Status::InvalidArgument("invalid_certificate", "bad validity time");
  }
  return (static_cast<std::int64_t>(days) * 86400 + seconds) * 1000;
}

std::string CommonName(const X509_NAME* name) {
  const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0) return std::string();
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) {
    ERR_clear_error();
    return std::string();
  }
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

Result<std::string> SerialHex(const X509* cert) {
  const BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  char* hex = bn ? BN_bn2hex(bn.get()) : nullptr;
  if (hex == nullptr) {
    ERR_clear_error();
    return Status::InvalidArgument("invalid_certificate", "bad serial number");
  }
  std::string out(hex);
  OPENSSL_free(hex);
  for (char& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  // BN_bn2hex writes whole bytes ("0A1B..."); our serials are written without leading zeros,
  // so that the serial recorded at issue and the one a client presents compare equal.
  const std::size_t first = out.find_first_not_of('0');
  out.erase(0, first == std::string::npos ? out.size() - 1 : first);
  return out;
}

}  // namespace

Result<KeyAndCert> CreateCertificateAuthority(const std::string& common_name,
                                              std::int64_t not_before_ms,
                                              std::int64_t not_after_ms) {
  NCBNET_ASSIGN_OR_RETURN(PkeyPtr key, GenerateP256Key());
  NCBNET_ASSIGN_OR_RETURN(X509Ptr cert,
                          NewCertificate(common_name, not_before_ms, not_after_ms, key.get()));
  X509* c = cert.get();
  if (X509_set_issuer_name(c, X509_get_subject_name(c)) != 1 ||
      !AddExtension(c, c, NID_basic_constraints, "critical,CA:TRUE") ||
      !AddExtension(c, c, NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !AddExtension(c, c, NID_subject_key_identifier, "hash")) {
    return OpensslError("cannot build CA certificate");
  }
  return SignAndEncode(c, key.get(), key.get());
}

namespace internal {

Result<LoadedCa> LoadCa(const KeyAndCert& ca) {
  const BioPtr cert_bio = ReadOnlyBio(ca.cert_pem);
  const BioPtr key_bio = ReadOnlyBio(ca.key_pem);
  if (!cert_bio || !key_bio) return InvalidCa();
  LoadedCa out;
  out.cert.reset(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  // OpenSSL's default password callback would prompt on the terminal for an encrypted key;
  // ours supplies no passphrase, so such a key simply fails to load.
  pem_password_cb* const no_passphrase = [](char*, int, int, void*) { return 0; };
  out.key.reset(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, no_passphrase, nullptr));
  if (!out.cert || !out.key || X509_check_private_key(out.cert.get(), out.key.get()) != 1 ||
      X509_check_ca(out.cert.get()) == 0) {
    return InvalidCa();
  }
  return out;
}

bool IsSafeUrl(std::string_view url) {
  // The URL reaches OpenSSL's extension syntax ("URI:<url>"), where ',' starts a new entry:
  // only a plain http(s) URL of these characters is taken, so nothing can be injected.
  if (url.size() > 200 || (!url.starts_with("https://") && !url.starts_with("http://"))) {
    return false;
  }
  for (const char c : url) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_' || c == ':' || c == '/' || c == '[' ||
                    c == ']';
    if (!ok) return false;
  }
  return true;
}

Result<std::string> SignLeaf(const KeyAndCert& ca, const CertRequest& request,
                             EVP_PKEY* subject_key) {
  NCBNET_ASSIGN_OR_RETURN(const LoadedCa loaded, LoadCa(ca));
  if (!request.crl_url.empty() && !IsSafeUrl(request.crl_url)) {
    return Status::InvalidArgument("invalid_crl_url", "the CRL URL must be a plain http(s) URL");
  }
  NCBNET_ASSIGN_OR_RETURN(X509Ptr cert, NewCertificate(request.common_name, request.not_before_ms,
                                                       request.not_after_ms, subject_key));
  X509* c = cert.get();
  X509* issuer = loaded.cert.get();
  const PkeyPtr& ca_key = loaded.key;
  if (X509_set_issuer_name(c, X509_get_subject_name(issuer)) != 1 ||
      !AddExtension(c, issuer, NID_basic_constraints, "critical,CA:FALSE") ||
      !AddExtension(c, issuer, NID_key_usage, "critical,digitalSignature") ||
      !AddExtension(c, issuer, NID_ext_key_usage, request.server ? "serverAuth" : "clientAuth") ||
      !AddExtension(c, issuer, NID_subject_key_identifier, "hash") ||
      !AddExtension(c, issuer, NID_authority_key_identifier, "keyid:always")) {
    return OpensslError("cannot build certificate");
  }
  // Where relying parties other than the hub (a national gateway, a browser) learn of
  // revocations: the CA's CRL, published by the hub (RFC 5280, 4.2.1.13).
  if (!request.crl_url.empty() &&
      !AddExtension(c, issuer, NID_crl_distribution_points, ("URI:" + request.crl_url).c_str())) {
    return OpensslError("cannot add CRL distribution point");
  }
  // Client certificates name an agency, not a host: subjectAltNames are for servers only.
  if (request.server) NCBNET_RETURN_IF_ERROR(AddSubjectAltNames(c, request));
  if (X509_sign(c, ca_key.get(), EVP_sha256()) <= 0) {
    return OpensslError("cannot sign certificate");
  }
  return CertToPem(c);
}

}  // namespace internal

Result<KeyAndCert> IssueCertificate(const KeyAndCert& ca, const CertRequest& request) {
  NCBNET_ASSIGN_OR_RETURN(PkeyPtr key, internal::GenerateP256Key());
  KeyAndCert out;
  NCBNET_ASSIGN_OR_RETURN(out.cert_pem, internal::SignLeaf(ca, request, key.get()));
  NCBNET_ASSIGN_OR_RETURN(out.key_pem, internal::KeyToPem(key.get()));
  return out;
}

Result<CertInfo> ParseCertificate(const std::string& pem) {
  const BioPtr bio = ReadOnlyBio(pem);
  const X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) {
    ERR_clear_error();
    return Status::InvalidArgument("invalid_certificate", "not a PEM certificate");
  }
  CertInfo info;
  NCBNET_ASSIGN_OR_RETURN(info.serial_hex, SerialHex(cert.get()));
  info.common_name = CommonName(X509_get_subject_name(cert.get()));
  info.issuer_common_name = CommonName(X509_get_issuer_name(cert.get()));
  NCBNET_ASSIGN_OR_RETURN(info.not_before_ms, TimeToMillis(X509_get0_notBefore(cert.get())));
  NCBNET_ASSIGN_OR_RETURN(info.not_after_ms, TimeToMillis(X509_get0_notAfter(cert.get())));
  return info;
}

}  // namespace ncbnet::crypto
