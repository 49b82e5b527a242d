// GET /v1/audit: the audit trail, newest last, paged by sequence number. The GS reads all of
// it; any other agency holding audit.read reads the entries of its own branch.
#include <charconv>

#include "access/agencies.h"
#include "access/capabilities.h"
#include "api/errors.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "audit/proof_bundles.h"
#include "core/time_format.h"

namespace ncbnet::api {
namespace {

Result<HttpResponse> ListAudit(RequestContext& ctx) {
  audit::ListFilter filter;
  NCBNET_ASSIGN_OR_RETURN(
      filter.after_seq,
      IntQueryParam(ctx, "after", 0, 0, std::numeric_limits<std::int64_t>::max()));
  NCBNET_ASSIGN_OR_RETURN(std::int64_t limit, IntQueryParam(ctx, "limit", 100, 1, 1000));
  filter.limit = static_cast<int>(limit);
  std::vector<audit::AuditEntry> entries;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    if (ctx.agency() != access::kGsAgencyId) {
      NCBNET_ASSIGN_OR_RETURN(std::vector<access::Agency> branch,
                              access::ListBranch(tx, ctx.agency()));
      for (const access::Agency& a : branch) filter.agency_ids.push_back(a.id);
    }
    NCBNET_ASSIGN_OR_RETURN(entries, audit::List(tx, filter));
    return Status::Ok();
  }));
  nlohmann::json list = nlohmann::json::array();
  std::int64_t next = filter.after_seq;
  for (const audit::AuditEntry& e : entries) {
    // Every field the entry's hash covers (so that it can be checked), and the time in ISO.
    nlohmann::json entry = audit::EntryToJson(e);
    entry["time"] = FormatIsoMillis(e.time_ms);
    list.push_back(std::move(entry));
    next = e.seq;
  }
  return JsonResponse(200, {{"entries", list}, {"next_after", next}});
}

}  // namespace

void AddAuditRoutes(Router& router) {
  router.Add({.method = "GET",
              .pattern = "/v1/audit",
              .access = Access::kCapability,
              .capability = std::string(access::kAuditRead),
              .scope = Scope::kBranch,
              .handler = ListAudit});
}

}  // namespace ncbnet::api
