#include "api/access_json.h"

#include "api/json_fields.h"
#include "core/time_format.h"

namespace ncbnet::api {

nlohmann::json AgencyJson(const access::Agency& a) {
  return {{"id", a.id},
          {"parent_id", a.parent_id ? nlohmann::json(*a.parent_id) : nlohmann::json(nullptr)},
          {"kind", access::AgencyKindName(a.kind)},
          {"country", a.country ? nlohmann::json(*a.country) : nlohmann::json(nullptr)},
          {"name", a.name},
          {"created_at", FormatIsoMillis(a.created_ms)},
          {"disabled_at", TimeOrNull(a.disabled_ms)}};
}

nlohmann::json GrantJson(const access::Grant& g) {
  const auto opt = [](const std::optional<std::string>& s) {
    return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
  };
  return {{"id", g.id},
          {"agency_id", g.agency_id},
          {"capability", g.capability},
          {"parent_id", opt(g.parent_id)},
          {"granted_by_agency", opt(g.granted_by_agency)},
          {"granted_by_user", opt(g.granted_by_user)},
          {"created_at", FormatIsoMillis(g.created_ms)},
          {"expires_at", TimeOrNull(g.expires_ms)},
          {"revoked_at", TimeOrNull(g.revoked_ms)}};
}

nlohmann::json UserJson(const access::User& u) {
  return {{"id", u.id},
          {"name", u.name},
          {"display_name", u.display_name},
          {"agency_id", u.agency_id},
          {"totp_enrolled", u.totp_secret.has_value()},
          {"created_at", FormatIsoMillis(u.created_ms)},
          {"disabled_at", TimeOrNull(u.disabled_ms)}};
}

nlohmann::json CertificateJson(const access::CertificateRecord& c) {
  return {{"serial", c.serial},
          {"agency_id", c.agency_id},
          {"subject", c.subject},
          {"not_before", FormatIsoMillis(c.not_before_ms)},
          {"not_after", FormatIsoMillis(c.not_after_ms)},
          {"created_at", FormatIsoMillis(c.created_ms)},
          {"revoked_at", TimeOrNull(c.revoked_ms)}};
}

nlohmann::json DisableSummaryJson(const access::DisableSummary& s) {
  return {{"agencies", s.agencies},
          {"users", s.users},
          {"sessions", s.sessions},
          {"certificates", s.certificates},
          {"grants", s.grants}};
}

}  // namespace ncbnet::api
