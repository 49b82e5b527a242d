#include "api/agency_scope.h"

namespace ncbnet::api {

Result<access::Agency> VisibleAgency(store::Transaction& tx, const RequestContext& ctx,
                                     const std::string& id) {
  const Status not_found = Status::NotFound("agency_not_found", "no such agency");
  NCBNET_ASSIGN_OR_RETURN(bool visible, access::IsInBranch(tx, ctx.agency(), id));
  if (!visible) return not_found;
  NCBNET_ASSIGN_OR_RETURN(std::optional<access::Agency> agency, access::FindAgency(tx, id));
  if (!agency) return not_found;
  return *agency;
}

Result<access::Agency> ManageableAgency(store::Transaction& tx, const RequestContext& ctx,
                                        const std::string& id) {
  NCBNET_ASSIGN_OR_RETURN(access::Agency agency, VisibleAgency(tx, ctx, id));
  NCBNET_RETURN_IF_ERROR(access::RequireEnabled(agency));
  return agency;
}

}  // namespace ncbnet::api
