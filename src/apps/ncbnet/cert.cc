// ncbnet cert issue | revoke | list: client certificates of agencies' systems, from the
// network CA in the data directory. Works on the store directly, beside a running hub (a
// revocation is refused by the hub on the certificate's next connection).
#include <iostream>

#include "access/agencies.h"
#include "access/certificates.h"
#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/network_setup.h"
#include "apps/ncbnet/output.h"
#include "core/clock.h"
#include "core/time_format.h"
#include "crypto/x509.h"

namespace ncbnet::apps {
namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

struct IssueFlags {
  std::string data_dir, agency, out, valid_from, valid_until;
  int days = 365;
  bool json = false;
};

Result<std::pair<std::int64_t, std::int64_t>> Validity(const IssueFlags& f) {
  const std::int64_t now = SystemClock().NowMillis();
  std::int64_t from = now - 60'000;  // a minute's grace for clock skew
  std::int64_t until = now + f.days * kDayMs;
  if (!f.valid_from.empty()) {
    NCBNET_ASSIGN_OR_RETURN(from, ParseIsoMillis(f.valid_from));
  }
  if (!f.valid_until.empty()) {
    NCBNET_ASSIGN_OR_RETURN(until, ParseIsoMillis(f.valid_until));
  }
  if (until <= from) {
    return Status::InvalidArgument("invalid_validity", "valid-until must follow valid-from");
  }
  return std::make_pair(from, until);
}

Status Issue(const IssueFlags& f) {
  const DataDir dir(f.data_dir);
  NCBNET_ASSIGN_OR_RETURN(auto validity, Validity(f));
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, dir.OpenStore());
  NCBNET_ASSIGN_OR_RETURN(crypto::SigningKey key, dir.LoadSigningKey());
  NCBNET_ASSIGN_OR_RETURN(crypto::KeyAndCert ca, dir.LoadCa());
  crypto::CertRequest req;
  req.common_name = f.agency;
  req.not_before_ms = validity.first;
  req.not_after_ms = validity.second;
  NCBNET_RETURN_IF_ERROR(store->Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(req.crl_url, access::CrlUrl(tx));
    return Status::Ok();
  }));
  NCBNET_ASSIGN_OR_RETURN(crypto::KeyAndCert cert, crypto::IssueCertificate(ca, req));
  NCBNET_ASSIGN_OR_RETURN(crypto::CertInfo info, crypto::ParseCertificate(cert.cert_pem));
  NCBNET_RETURN_IF_ERROR(store->Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(std::optional<access::Agency> agency, access::FindAgency(tx, f.agency));
    if (!agency) return Status::NotFound("agency_not_found", "no agency " + f.agency);
    NCBNET_RETURN_IF_ERROR(access::InsertCertificate(
        tx, {info.serial_hex, f.agency, "CN=" + f.agency + ",O=ncbnet", info.not_before_ms,
             info.not_after_ms, SystemClock().NowMillis(), std::nullopt, cert.cert_pem}));
    return AuditLocal(tx, key, "ncbnet cert issue", info.serial_hex + " " + f.agency);
  }));
  // Files are written after the commit so that a refused issue leaves nothing behind.
  NCBNET_RETURN_IF_ERROR(WriteNewFile(f.out + ".key", cert.key_pem, 0600));
  NCBNET_RETURN_IF_ERROR(WriteNewFile(f.out + ".crt", cert.cert_pem, 0644));
  if (f.json) {
    PrintJson({{"serial", info.serial_hex},
               {"agency_id", f.agency},
               {"cert", f.out + ".crt"},
               {"key", f.out + ".key"},
               {"not_before", FormatIsoMillis(info.not_before_ms)},
               {"not_after", FormatIsoMillis(info.not_after_ms)}});
  } else {
    std::cout << info.serial_hex << "\n";
  }
  return Status::Ok();
}

Status Revoke(const std::string& data_dir, const std::string& serial) {
  const DataDir dir(data_dir);
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, dir.OpenStore());
  NCBNET_ASSIGN_OR_RETURN(crypto::SigningKey key, dir.LoadSigningKey());
  NCBNET_RETURN_IF_ERROR(store->Write([&](store::Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(access::RevokeCertificate(tx, serial, SystemClock().NowMillis()));
    return AuditLocal(tx, key, "ncbnet cert revoke", serial);
  }));
  std::cout << "revoked " << serial << "\n";
  return Status::Ok();
}

Status List(const std::string& data_dir, const std::string& agency, bool json) {
  const DataDir dir(data_dir);
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, dir.OpenStore());
  std::vector<access::CertificateRecord> certs;
  NCBNET_RETURN_IF_ERROR(store->Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        certs, access::ListCertificates(
                   tx, agency.empty() ? std::nullopt : std::optional<std::string>(agency)));
    return Status::Ok();
  }));
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : certs) {
    const std::string state = c.revoked_ms ? "revoked" : "valid";
    if (!json) {
      std::cout << c.serial << "  " << c.agency_id << "  until " << FormatIsoMillis(c.not_after_ms)
                << "  " << state << "\n";
    }
    list.push_back({{"serial", c.serial},
                    {"agency_id", c.agency_id},
                    {"not_after", FormatIsoMillis(c.not_after_ms)},
                    {"revoked", c.revoked_ms.has_value()}});
  }
  if (json) PrintJson({{"certificates", list}});
  return Status::Ok();
}

}  // namespace

void RegisterCert(CLI::App& app, int& exit_code) {
  auto* cert = app.add_subcommand("cert", "Client certificates for agencies' systems");
  cert->require_subcommand(1);

  auto f = std::make_shared<IssueFlags>();
  auto* issue = cert->add_subcommand("issue", "Issue a client certificate to an agency");
  issue->add_option("--data-dir", f->data_dir)->required();
  issue->add_option("--agency", f->agency, "Agency id, e.g. ncb-fra")->required();
  issue->add_option("--out", f->out, "Writes OUT.crt and OUT.key (0600)")->required();
  issue->add_option("--days", f->days, "Validity in days")->check(CLI::Range(1, 3650));
  issue->add_option("--valid-from", f->valid_from, "ISO 8601 UTC start (default: now)");
  issue->add_option("--valid-until", f->valid_until, "ISO 8601 UTC end (overrides --days)");
  issue->add_flag("--json", f->json);
  issue->callback([f, &exit_code] {
    if (Status s = Issue(*f); !s.ok()) exit_code = Fail(s);
  });

  auto data_dir = std::make_shared<std::string>();
  auto serial = std::make_shared<std::string>();
  auto* revoke = cert->add_subcommand("revoke", "Revoke a client certificate by serial");
  revoke->add_option("--data-dir", *data_dir)->required();
  revoke->add_option("--serial", *serial, "Serial in hex")->required();
  revoke->callback([data_dir, serial, &exit_code] {
    if (Status s = Revoke(*data_dir, *serial); !s.ok()) exit_code = Fail(s);
  });

  auto agency = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* list = cert->add_subcommand("list", "List issued client certificates");
  list->add_option("--data-dir", *data_dir)->required();
  list->add_option("--agency", *agency, "Only this agency's");
  list->add_flag("--json", *json);
  list->callback([data_dir, agency, json, &exit_code] {
    if (Status s = List(*data_dir, *agency, *json); !s.ok()) exit_code = Fail(s);
  });
}

}  // namespace ncbnet::apps
