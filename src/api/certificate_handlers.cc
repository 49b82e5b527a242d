// Client certificates from the API: POST/GET /v1/agencies/{id}/certificates and
// DELETE /v1/certificates/{serial}. A client sends a CSR (its private key never leaves it); the
// hub checks it and signs its public key for the agency named in the path, which must lie in
// the caller's branch: the hub, not the requester, decides the subject (crypto/x509.h). The
// CLI's offline `ncbnet cert issue` remains for the hub's operator. GET /v1/pki/crl publishes
// the network CA's revocation list, which every certificate names, for parties other than the
// hub (a national gateway, a browser).
#include "access/capabilities.h"
#include "access/certificates.h"
#include "api/access_json.h"
#include "api/agency_scope.h"
#include "api/errors.h"
#include "api/json_fields.h"
#include "api/routes.h"
#include "crypto/x509.h"

namespace ncbnet::api {
namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
constexpr std::int64_t kMaxDays = 365;
constexpr std::int64_t kClockSkewMs = 60'000;  // valid from a minute ago: clients' clocks drift

const Status kCertificateNotFound =
    Status::NotFound("certificate_not_found", "no certificate with that serial");

// The CSR field: PEM text, so newlines are allowed (RequiredString would refuse them).
Result<std::string> CsrField(const nlohmann::json& body) {
  const auto it = body.find("csr");
  if (it == body.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    return Status::InvalidArgument("invalid_request", "'csr' must be a PEM certificate request");
  }
  if (it->get_ref<const std::string&>().size() > crypto::kMaxCsrBytes) {
    return Status::InvalidArgument("invalid_csr", "CSR larger than 16 KiB");
  }
  return it->get<std::string>();
}

// Signs `csr` for `agency_id`, valid for `days` but never beyond the CA itself.
Result<std::string> Sign(const RequestContext& ctx, const std::string& agency_id,
                         const std::string& csr, std::int64_t days, const std::string& crl_url) {
  if (ctx.hub.ca == nullptr) {
    return Status::Unavailable("ca_unavailable", "this hub does not issue certificates");
  }
  NCBNET_ASSIGN_OR_RETURN(crypto::CertInfo ca, crypto::ParseCertificate(ctx.hub.ca->cert_pem));
  crypto::CertRequest request;
  request.common_name = agency_id;
  request.not_before_ms = ctx.NowMillis() - kClockSkewMs;
  request.not_after_ms = std::min(ctx.NowMillis() + days * kDayMs, ca.not_after_ms);
  request.crl_url = crl_url;
  return crypto::IssueCertificateForCsr(*ctx.hub.ca, csr, request);
}

Result<HttpResponse> IssueCertificate(RequestContext& ctx) {
  const std::string& agency_id = ctx.params.at("id");
  ctx.audit_object = agency_id;
  NCBNET_ASSIGN_OR_RETURN(std::string csr, CsrField(ctx.body));
  NCBNET_ASSIGN_OR_RETURN(std::int64_t days, OptionalInt(ctx.body, "days", kMaxDays, 1, kMaxDays));
  // The branch first: a CSR for an agency outside it is refused before any signing.
  std::string crl_url;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(ManageableAgency(tx, ctx, agency_id).status());
    NCBNET_ASSIGN_OR_RETURN(crl_url, access::CrlUrl(tx));
    return Status::Ok();
  }));
  NCBNET_ASSIGN_OR_RETURN(std::string pem, Sign(ctx, agency_id, csr, days, crl_url));
  NCBNET_ASSIGN_OR_RETURN(crypto::CertInfo info, crypto::ParseCertificate(pem));
  const access::CertificateRecord record{info.serial_hex,
                                         agency_id,
                                         "CN=" + agency_id + ",O=ncbnet",
                                         info.not_before_ms,
                                         info.not_after_ms,
                                         ctx.NowMillis(),
                                         std::nullopt,
                                         pem};
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(ManageableAgency(tx, ctx, agency_id).status());
    NCBNET_RETURN_IF_ERROR(access::InsertCertificate(tx, record));
    ctx.audit_object = info.serial_hex + " " + agency_id;
    return Status::Ok();
  }));
  nlohmann::json body = CertificateJson(record);
  body["certificate"] = pem;
  return JsonResponse(201, body);
}

Result<HttpResponse> ListCertificates(RequestContext& ctx) {
  const std::string& agency_id = ctx.params.at("id");
  ctx.audit_object = agency_id;
  std::vector<access::CertificateRecord> certs;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(VisibleAgency(tx, ctx, agency_id).status());
    NCBNET_ASSIGN_OR_RETURN(certs, access::ListCertificates(tx, agency_id));
    return Status::Ok();
  }));
  nlohmann::json list = nlohmann::json::array();
  for (const access::CertificateRecord& c : certs) list.push_back(CertificateJson(c));
  return JsonResponse(200, {{"certificates", list}});
}

// Takes effect on the certificate's next request, even on an open connection: the dispatcher
// resolves the presented certificate against the store on every request.
Result<HttpResponse> RevokeCertificate(RequestContext& ctx) {
  const std::string& serial = ctx.params.at("serial");
  ctx.audit_object = serial;
  access::CertificateRecord cert;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(std::optional<access::CertificateRecord> found,
                            access::FindCertificate(tx, serial));
    if (!found) return kCertificateNotFound;
    auto visible = VisibleAgency(tx, ctx, found->agency_id);
    if (!visible.ok()) {
      return visible.status().code() == StatusCode::kNotFound ? kCertificateNotFound
                                                              : visible.status();
    }
    NCBNET_RETURN_IF_ERROR(access::RevokeCertificate(tx, serial, ctx.NowMillis()));
    NCBNET_ASSIGN_OR_RETURN(found, access::FindCertificate(tx, serial));
    cert = std::move(*found);
    ctx.audit_object = serial + " " + cert.agency_id;
    return Status::Ok();
  }));
  return JsonResponse(200, CertificateJson(cert));
}

// Public, like the CA certificate itself: a CRL says only which serials are revoked, and is
// signed. Built afresh from the store on each request (one ECDSA signature), so a revocation is
// listed at once; it declares itself good for a day (nextUpdate).
Result<HttpResponse> GetCrl(RequestContext& ctx) {
  if (ctx.hub.ca == nullptr) {
    return Status::Unavailable("ca_unavailable", "this hub does not issue certificates");
  }
  const std::int64_t now = ctx.NowMillis();
  std::vector<crypto::RevokedCertificate> revoked;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(revoked, access::RevokedCertificates(tx, now));
    return Status::Ok();
  }));
  HttpResponse response;
  // The CRL number only grows: the time of issue, in milliseconds.
  NCBNET_ASSIGN_OR_RETURN(response.body,
                          crypto::IssueCrl(*ctx.hub.ca, revoked, now, now + kDayMs, now));
  response.content_type = "application/pkix-crl";
  response.headers.emplace_back("Cache-Control", "max-age=60");
  return response;
}

}  // namespace

void AddCertificateRoutes(Router& router) {
  router.Add({.method = "GET",
              .pattern = std::string(access::kCrlPath),
              .access = Access::kPublic,
              .scope = Scope::kHub,
              .handler = GetCrl});
  const std::string admin(access::kAgencyAdmin);
  router.Add({.method = "POST",
              .pattern = "/v1/agencies/{id}/certificates",
              .access = Access::kCapability,
              .capability = admin,
              .scope = Scope::kBranch,
              .json_body = true,
              .handler = IssueCertificate});
  router.Add({.method = "GET",
              .pattern = "/v1/agencies/{id}/certificates",
              .access = Access::kCapability,
              .capability = admin,
              .scope = Scope::kBranch,
              .handler = ListCertificates});
  router.Add({.method = "DELETE",
              .pattern = "/v1/certificates/{serial}",
              .access = Access::kCapability,
              .capability = admin,
              .scope = Scope::kBranch,
              .handler = RevokeCertificate});
}

}  // namespace ncbnet::api
