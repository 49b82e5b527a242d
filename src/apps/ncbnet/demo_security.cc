#include "apps/ncbnet/demo_security.h"

#include <iostream>

#include "access/agencies.h"
#include "access/certificates.h"
#include "apps/ncbnet/network_setup.h"
#include "core/clock.h"
#include "crypto/encoding.h"
#include "crypto/x509.h"

namespace ncbnet::apps {
namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

}  // namespace

Status SeedDemoRevokedCertificate(const DataDir& dir, store::Store& store,
                                  const crypto::SigningKey& audit_key,
                                  const std::string& parent_agency) {
  NCBNET_ASSIGN_OR_RETURN(const crypto::KeyAndCert ca, dir.LoadCa());
  const std::int64_t now = SystemClock().NowMillis();
  return store.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        const access::Agency lost,
        access::CreateChildAgency(tx, "ncb-fra", parent_agency, access::AgencyKind::kTerminal,
                                  "PAF handheld 07, Calais (reported lost)", now - 20 * kDayMs));
    crypto::CertRequest request;
    request.common_name = lost.id;
    request.not_before_ms = now - 20 * kDayMs;
    request.not_after_ms = now + 345 * kDayMs;
    NCBNET_ASSIGN_OR_RETURN(request.crl_url, access::CrlUrl(tx));
    NCBNET_ASSIGN_OR_RETURN(const crypto::KeyAndCert cert, crypto::IssueCertificate(ca, request));
    NCBNET_ASSIGN_OR_RETURN(const crypto::CertInfo info, crypto::ParseCertificate(cert.cert_pem));
    NCBNET_RETURN_IF_ERROR(access::InsertCertificate(
        tx, {info.serial_hex, lost.id, "CN=" + lost.id + ",O=ncbnet", info.not_before_ms,
             info.not_after_ms, now - 20 * kDayMs, std::nullopt, cert.cert_pem}));
    NCBNET_RETURN_IF_ERROR(access::RevokeCertificate(tx, info.serial_hex, now - 2 * kDayMs));
    return AuditLocal(tx, audit_key, "ncbnet demo", "revoked certificate " + info.serial_hex);
  });
}

void PrintSecurityDemo(const std::string& url, const std::string& data_dir) {
  const std::string curl = "curl -s --cacert " + data_dir + "/ca.crt " + url;
  std::cout << "  Health (503 \"failing\" with the reason if the audit log cannot be written):\n"
            << "    " << curl << "/healthz\n"
            << "  Revocations: the network CA's CRL, named in every certificate; it lists the "
               "lost PAF handheld's:\n"
            << "    " << curl << "/v1/pki/crl | openssl crl -inform DER -noout -text\n"
            << "  Reading notices needs notice.read (NCBs hold it): with the token of "
               "fra.justice (mla.request only)\n"
            << "  GET " << url << "/v1/notices?scope=live answers an empty list.\n";
}

void PrintAuditDemo(const std::string& self, const std::string& url, const std::string& data_dir) {
  Result<crypto::SigningKey> key = DataDir(data_dir).LoadSigningKey();
  const std::string hub_key = key.ok() ? crypto::HexEncode(key->public_key()) : "<hub key>";
  const std::string flags = " --url " + url + " --ca " + data_dir + "/ca.crt";
  std::cout << "  Who accessed your records: after the checks above, NCB Wiesbaden (login "
               "deu.admin) sees France's check\n"
            << "  of its restricted passport (outcome hidden: France was answered \"no match\"),"
               " each with a Merkle proof:\n"
            << "    " << self << " audit accesses" << flags << "\n"
            << "  Check one offline (the hub's audit key, taken out of band: " << self
            << " audit key --data-dir " << data_dir << "):\n"
            << "    " << self << " audit prove --seq <seq>" << flags << " > proof.json\n"
            << "    " << self << " audit verify-proof proof.json --hub-key " << hub_key << "\n"
            << "  Run a witness that catches a hub rewriting its history (any NCB can):\n"
            << "    " << self << " audit witness --state witness-deu --hub-key " << hub_key << flags
            << "\n";
}

}  // namespace ncbnet::apps
