#include "api/record_access.h"

#include "access/agencies.h"

namespace ncbnet::api {

Result<const records::DatabaseSchema*> DatabaseOf(const RequestContext& ctx) {
  return records::Catalogue::Builtin().Find(ctx.params.at("db"));
}

Status RequireRecordCapability(const RequestContext& ctx, std::string_view verb,
                               const records::DatabaseSchema& db) {
  const std::string capability = std::string(verb) + ":" + db.code;
  if (!ctx.principal || !ctx.principal->Has(capability)) {
    return Status::PermissionDenied("missing_capability", "this needs " + capability);
  }
  return Status::Ok();
}

Result<records::Viewer> ViewerOf(RequestContext& ctx) {
  std::optional<access::Agency> agency;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(agency, access::FindAgency(tx, ctx.agency()));
    return Status::Ok();
  }));
  if (!agency) return Status::Internal("internal", "the caller's agency is gone");
  return records::Viewer{agency->id, agency->country.value_or(""), agency->kind};
}

Result<records::Writer> WriterOf(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(records::Viewer v, ViewerOf(ctx));
  return records::Writer{v.agency_id, ctx.principal ? ctx.principal->user_id : "", v.country};
}

Result<records::RecordIndexes*> IndexesOf(const RequestContext& ctx) {
  if (ctx.hub.record_indexes == nullptr || ctx.hub.index_secret == nullptr) {
    return Status::Unavailable("records_unavailable", "this hub serves no databases");
  }
  return ctx.hub.record_indexes;
}

Result<const records::IndexSecret*> IndexSecretOf(const RequestContext& ctx) {
  NCBNET_RETURN_IF_ERROR(IndexesOf(ctx).status());
  return ctx.hub.index_secret;
}

}  // namespace ncbnet::api
