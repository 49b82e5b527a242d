#include "api/authorization.h"

#include <string_view>

#include "access/agencies.h"
#include "records/catalogue.h"

namespace ncbnet::api {
namespace {

constexpr std::string_view kFromPath = "{db}";
constexpr std::string_view kAnyDatabase = "*";

Status CheckCaller(const access::Principal& principal, Caller caller) {
  switch (caller) {
    case Caller::kAny:
      return Status::Ok();
    case Caller::kSession:
      if (principal.method == access::AuthMethod::kSession) return Status::Ok();
      return Status::InvalidArgument("session_required", "this call needs a user session");
    case Caller::kCertificate:
      if (principal.method == access::AuthMethod::kCertificate) return Status::Ok();
      return Status::PermissionDenied("replica_needs_certificate",
                                      "a replica is held by a device with a client certificate");
    case Caller::kGs:
      if (principal.agency_id == access::kGsAgencyId) return Status::Ok();
      return Status::PermissionDenied("gs_only", "only the General Secretariat may do this");
  }
  return Status::Internal("internal", "unknown caller rule");
}

Status Missing(std::string_view capability) {
  return Status::PermissionDenied("missing_capability", "requires " + std::string(capability));
}

// "record.check:*": any database.
Status CheckAnyDatabase(const access::Principal& principal, std::string_view verb) {
  const std::string prefix = std::string(verb) + ":";
  const auto first = principal.capabilities.lower_bound(prefix);
  if (first != principal.capabilities.end() && first->rfind(prefix, 0) == 0) return Status::Ok();
  return Missing(prefix + "<any database>");
}

// "record.write:{db}" and its kin: the database named by the path.
Status CheckPathDatabase(const access::Principal& principal, std::string_view verb,
                         const std::map<std::string, std::string>& params) {
  const auto db_param = params.find("db");
  if (db_param == params.end()) return Status::Internal("internal", "no {db} in the path");
  NCBNET_ASSIGN_OR_RETURN(const records::DatabaseSchema* db,
                          records::Catalogue::Builtin().Find(db_param->second));
  if (verb == "record.write" && db->managed) {
    return Status::PermissionDenied("managed_database",
                                    db->code +
                                        " is written only by the hub's services, not through the "
                                        "records API or imports");
  }
  const std::string_view held =
      verb == "record.own" ? (db->managed ? "record.check" : "record.write") : verb;
  const std::string capability = std::string(held) + ":" + db->code;
  return principal.Has(capability) ? Status::Ok() : Missing(capability);
}

// One capability of the route's rule.
Status CheckOne(const access::Principal& principal, std::string_view capability,
                const std::map<std::string, std::string>& params) {
  const std::size_t colon = capability.rfind(':');
  const std::string_view object =
      colon == std::string_view::npos ? "" : capability.substr(colon + 1);
  if (object == kAnyDatabase) return CheckAnyDatabase(principal, capability.substr(0, colon));
  if (object == kFromPath) return CheckPathDatabase(principal, capability.substr(0, colon), params);
  return principal.Has(capability) ? Status::Ok() : Missing(capability);
}

// The route's capability; "a|b": either will do, and the refusal names the whole rule.
Status CheckCapability(const access::Principal& principal, const Route& route,
                       const std::map<std::string, std::string>& params) {
  if (route.access != Access::kCapability) return Status::Ok();
  const std::string_view rule = route.capability;
  if (rule.find('|') == std::string_view::npos) return CheckOne(principal, rule, params);
  for (std::size_t start = 0; start <= rule.size();) {
    std::size_t bar = rule.find('|', start);
    if (bar == std::string_view::npos) bar = rule.size();
    if (CheckOne(principal, rule.substr(start, bar - start), params).ok()) return Status::Ok();
    start = bar + 1;
  }
  return Missing(rule);
}

}  // namespace

Status Authorize(const access::Principal& principal, const Route& route,
                 const std::map<std::string, std::string>& params) {
  NCBNET_RETURN_IF_ERROR(CheckCapability(principal, route, params));
  return CheckCaller(principal, route.caller);
}

}  // namespace ncbnet::api
