#include "access/network.h"

#include "access/agencies.h"
#include "access/capabilities.h"
#include "access/grants.h"
#include "access/users.h"

namespace ncbnet::access {

Status CreateNetwork(store::Transaction& tx, const NetworkSpec& spec, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<Agency> gs, FindAgency(tx, kGsAgencyId));
  if (gs) return Status::FailedPrecondition("already_initialised", "the store holds a network");

  NCBNET_RETURN_IF_ERROR(
      InsertAgency(tx, Agency{std::string(kGsAgencyId), std::nullopt, AgencyKind::kGs, std::nullopt,
                              "General Secretariat", now_ms, std::nullopt}));
  for (const std::string& capability : AllCapabilities()) {
    NCBNET_RETURN_IF_ERROR(InsertRootGrant(tx, capability, now_ms).status());
  }
  const Grantor gs_grantor{std::string(kGsAgencyId), ""};
  const std::vector<std::string> ncb_caps = DefaultNcbCapabilities();
  for (const Country& country : spec.countries) {
    const std::string id = NcbIdFor(country.code);
    NCBNET_RETURN_IF_ERROR(
        InsertAgency(tx, Agency{id, std::string(kGsAgencyId), AgencyKind::kNcb, country.code,
                                "NCB " + country.name, now_ms, std::nullopt}));
    for (const std::string& capability : ncb_caps) {
      NCBNET_RETURN_IF_ERROR(
          GrantCapability(tx, gs_grantor, id, capability, std::nullopt, now_ms).status());
    }
  }
  return InsertUser(tx, kGsAgencyId, spec.admin_user, "GS administrator", spec.admin_password_hash,
                    now_ms)
      .status();
}

}  // namespace ncbnet::access
