// Client certificates of agencies' systems (national border systems, terminals). The network
// CA issues them (crypto/x509.h); this records each one by serial so that it can be listed and
// revoked, and resolves a presented certificate to the agency it speaks for.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/principal.h"
#include "core/status.h"
#include "crypto/x509.h"
#include "store/store.h"

namespace ncbnet::access {

struct CertificateRecord {
  std::string serial;  // lower-case hex
  std::string agency_id;
  std::string subject;
  std::int64_t not_before_ms = 0;
  std::int64_t not_after_ms = 0;
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> revoked_ms;
  std::string pem;
};

Status InsertCertificate(store::Transaction& tx, const CertificateRecord& record);

Result<std::optional<CertificateRecord>> FindCertificate(store::Transaction& tx,
                                                         std::string_view serial);

// Errors: kNotFound "certificate_not_found".
Status RevokeCertificate(store::Transaction& tx, std::string_view serial, std::int64_t now_ms);

// All certificates, or one agency's when `agency_id` is set.
Result<std::vector<CertificateRecord>> ListCertificates(store::Transaction& tx,
                                                        std::optional<std::string> agency_id);

// Where the hub publishes the network CA's CRL (api/pki_handlers.cc).
inline constexpr std::string_view kCrlPath = "/v1/pki/crl";

// The certificates the network CA's CRL lists at `now_ms`: revoked, or of a disabled agency
// (which the hub refuses too), and not yet expired (RFC 5280 lets a CRL drop expired ones),
// ascending by serial, each with the time it stopped being good.
Result<std::vector<crypto::RevokedCertificate>> RevokedCertificates(store::Transaction& tx,
                                                                    std::int64_t now_ms);

// The URL the network's certificates name as their CRL (meta "crl_url", chosen at `ncbnet
// init`), or "" for a network created before the hub published one.
Result<std::string> CrlUrl(store::Transaction& tx);

// The principal for a certificate that already chains to the network CA. Errors (all
// kUnauthenticated): "client_cert_unknown" (not issued by this hub, or the CN does not match),
// "client_cert_revoked" (revoked, or its agency disabled), "client_cert_expired".
Result<Principal> ResolveCertificate(store::Transaction& tx, std::string_view serial,
                                     std::string_view common_name, std::int64_t now_ms);

}  // namespace ncbnet::access
