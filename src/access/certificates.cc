#include "access/certificates.h"

#include "access/grants.h"

namespace ncbnet::access {
namespace {

constexpr std::string_view kCertificateColumns =
    "serial, agency_id, subject, not_before_ms, not_after_ms, created_ms, revoked_ms, pem";

CertificateRecord CertificateFromRow(const store::Row& r) {
  return {r[0].AsText(), r[1].AsText(), r[2].AsText(),        r[3].AsInt(),
          r[4].AsInt(),  r[5].AsInt(),  r[6].AsOptionalInt(), r[7].AsText()};
}

}  // namespace

Status InsertCertificate(store::Transaction& tx, const CertificateRecord& c) {
  return tx
      .Exec(
          "INSERT INTO certificates (serial, agency_id, subject, not_before_ms, not_after_ms, "
          "created_ms, revoked_ms, pem) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {c.serial, c.agency_id, c.subject, c.not_before_ms, c.not_after_ms, c.created_ms,
           store::Value(c.revoked_ms), c.pem})
      .status();
}

Status RevokeCertificate(store::Transaction& tx, std::string_view serial, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT revoked_ms FROM certificates WHERE serial = ?", {serial}));
  if (!row) return Status::NotFound("certificate_not_found", "no certificate with that serial");
  if (!row->front().is_null()) return Status::Ok();  // already revoked: keep the first time
  return tx.Exec("UPDATE certificates SET revoked_ms = ? WHERE serial = ?", {now_ms, serial})
      .status();
}

Result<std::optional<CertificateRecord>> FindCertificate(store::Transaction& tx,
                                                         std::string_view serial) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne("SELECT " + std::string(kCertificateColumns) +
                                          " FROM certificates WHERE serial = ?",
                                      {serial}));
  if (!row) return std::optional<CertificateRecord>();
  return std::optional<CertificateRecord>(CertificateFromRow(*row));
}

Result<std::vector<CertificateRecord>> ListCertificates(store::Transaction& tx,
                                                        std::optional<std::string> agency_id) {
  const std::string sql = "SELECT " + std::string(kCertificateColumns) + " FROM certificates" +
                          std::string(agency_id ? " WHERE agency_id = ?" : "") +
                          " ORDER BY created_ms, serial";
  std::vector<store::Value> params;
  if (agency_id) params.emplace_back(*agency_id);
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows, tx.Query(sql, params));
  std::vector<CertificateRecord> out;
  out.reserve(rows.size());
  for (const store::Row& r : rows) out.push_back(CertificateFromRow(r));
  return out;
}

Result<std::vector<crypto::RevokedCertificate>> RevokedCertificates(store::Transaction& tx,
                                                                    std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<store::Row> rows,
      tx.Query("SELECT c.serial, COALESCE(c.revoked_ms, a.disabled_ms) FROM certificates c"
               " JOIN agencies a ON a.id = c.agency_id"
               " WHERE (c.revoked_ms IS NOT NULL OR a.disabled_ms IS NOT NULL)"
               " AND c.not_after_ms > ? ORDER BY c.serial",
               {now_ms}));
  std::vector<crypto::RevokedCertificate> out;
  out.reserve(rows.size());
  for (const store::Row& r : rows) out.push_back({r[0].AsText(), r[1].AsInt()});
  return out;
}

Result<std::string> CrlUrl(store::Transaction& tx) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne("SELECT value FROM meta WHERE key = 'crl_url'"));
  if (!row || !(*row)[0].is_text()) return std::string();
  return (*row)[0].AsText();
}

Result<Principal> ResolveCertificate(store::Transaction& tx, std::string_view serial,
                                     std::string_view common_name, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT c.agency_id, c.not_before_ms, c.not_after_ms, c.revoked_ms, "
                  "a.disabled_ms FROM certificates c JOIN agencies a ON a.id = c.agency_id "
                  "WHERE c.serial = ?",
                  {serial}));
  if (!row || (*row)[0].AsText() != common_name) {
    return Status::Unauthenticated("client_cert_unknown", "client certificate not recognised");
  }
  const store::Row& r = *row;
  // A disabled agency's certificates are revoked with it (access/disabling.h); the agency's
  // own flag is checked too, so that one missed row cannot let a certificate through.
  if (!r[3].is_null() || !r[4].is_null()) {
    return Status::Unauthenticated("client_cert_revoked", "client certificate revoked");
  }
  if (now_ms < r[1].AsInt() || now_ms >= r[2].AsInt()) {
    return Status::Unauthenticated("client_cert_expired", "client certificate not valid now");
  }
  Principal p;
  p.agency_id = r[0].AsText();
  p.method = AuthMethod::kCertificate;
  p.certificate_serial = std::string(serial);
  NCBNET_ASSIGN_OR_RETURN(p.capabilities, LiveCapabilities(tx, p.agency_id, now_ms));
  return p;
}

}  // namespace ncbnet::access
