// The network's certificate authority (OpenSSL): the CA itself, the hub's server certificate
// and agencies' client certificates for mutual TLS. Keys are ECDSA P-256; certificates are
// PEM. OpenSSL types stay inside x509.cc.
//
// A client certificate names its agency in the subject: CN = agency id, O = "ncbnet", and
// carries extendedKeyUsage clientAuth; a server certificate carries serverAuth and the
// subjectAltNames given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace ncbnet::crypto {

struct KeyAndCert {
  std::string cert_pem;
  std::string key_pem;  // PKCS#8 PEM; secret: write with mode 0600, never log
};

struct CertInfo {
  std::string serial_hex;   // lower-case hex, no leading zeros
  std::string common_name;  // subject CN
  std::string issuer_common_name;
  std::int64_t not_before_ms = 0;
  std::int64_t not_after_ms = 0;
};

struct CertRequest {
  std::string common_name;
  std::int64_t not_before_ms = 0;
  std::int64_t not_after_ms = 0;
  bool server = false;                    // serverAuth (true) or clientAuth (false)
  std::vector<std::string> dns_names;     // server only
  std::vector<std::string> ip_addresses;  // server only, e.g. "127.0.0.1"
  // The network CA's CRL (cRLDistributionPoints), when not empty: an http(s) URL of letters,
  // digits and . - _ : / [ ] only (kInvalidArgument "invalid_crl_url" otherwise).
  std::string crl_url;
};

// A self-signed CA certificate (basicConstraints CA:TRUE, keyCertSign, cRLSign).
Result<KeyAndCert> CreateCertificateAuthority(const std::string& common_name,
                                              std::int64_t not_before_ms,
                                              std::int64_t not_after_ms);

// A certificate for `request` signed by `ca`, with a fresh key and a random 128-bit serial.
// Errors: kInvalidArgument "invalid_ca" if the CA key or certificate do not parse or match.
Result<KeyAndCert> IssueCertificate(const KeyAndCert& ca, const CertRequest& request);

// Certificate signing requests (x509_csr.cc): a client makes its key pair and a CSR, and the hub
// signs the CSR's public key. The private key never leaves the client.
struct KeyAndCsr {
  std::string key_pem;  // PKCS#8 PEM; secret: write with mode 0600, never log
  std::string csr_pem;
};

inline constexpr std::size_t kMaxCsrBytes = 16 * 1024;

// A fresh P-256 key and a PKCS#10 CSR for it (subject CN = `common_name`, O = "ncbnet"),
// signed with that key. Errors: kInvalidArgument "invalid_common_name".
Result<KeyAndCsr> CreateCertificateSigningRequest(const std::string& common_name);

// Issues a client certificate for `request` (request.server must be false) carrying the public
// key of `csr_pem`, signed by `ca`. The CSR proves possession of its key (its self-signature is
// verified) and supplies nothing else: its subject and requested extensions are ignored, and
// the certificate's subject is request.common_name, as the hub decides.
// Accepted keys: EC P-256 or P-384, RSA 2048 to 4096 bits.
// Errors: kInvalidArgument "invalid_csr" (larger than kMaxCsrBytes, not exactly one PEM
// "CERTIFICATE REQUEST", or a bad self-signature), "unsupported_key", and those of
// IssueCertificate.
Result<std::string> IssueCertificateForCsr(const KeyAndCert& ca, const std::string& csr_pem,
                                           const CertRequest& request);

// A revoked certificate, as the CRL lists it.
struct RevokedCertificate {
  std::string serial_hex;  // as CertInfo::serial_hex
  std::int64_t revoked_ms = 0;
};

// The CA's certificate revocation list (RFC 5280, version 2), DER-encoded and signed by `ca`:
// every certificate of `revoked`, thisUpdate `this_update_ms`, nextUpdate `next_update_ms`,
// the CRL number `number` and the CA's authorityKeyIdentifier (x509_crl.cc). Errors:
// kInvalidArgument "invalid_ca", "invalid_serial" (a serial that is not hex).
Result<std::string> IssueCrl(const KeyAndCert& ca, const std::vector<RevokedCertificate>& revoked,
                             std::int64_t this_update_ms, std::int64_t next_update_ms,
                             std::int64_t number);

// Reads the first certificate in `pem`. Errors: kInvalidArgument "invalid_certificate".
Result<CertInfo> ParseCertificate(const std::string& pem);

}  // namespace ncbnet::crypto
