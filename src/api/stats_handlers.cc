// GET /v1/stats/activity?days=30: the caller's agency's activity per UTC day, for the console's
// dashboard charts: messages it sent and received, its check requests (single, batch, border,
// screening and name search, from the audit log: one per request, whatever its size), and the
// hits it sees per database on each side (docs/console.md). Counts only: no content, no ids.
#include "api/errors.h"
#include "api/hit_api.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "core/time_format.h"
#include "messaging/activity.h"

namespace ncbnet::api {
namespace {

using json = nlohmann::json;

constexpr std::int64_t kMaxDays = 366;

// The audited actions that are checks (their route patterns).
const std::vector<std::string>& CheckActions() {
  static const auto* const kActions = new std::vector<std::string>{
      "GET /v1/checks/{db}", "POST /v1/checks/{db}", "POST /v1/border-checks", "POST /v1/screening",
      "POST /v1/search/{db}"};
  return *kActions;
}

json Days(const std::vector<store::DayCount>& counts) {
  json out = json::array();
  for (const store::DayCount& c : counts) {
    out.push_back({{"day", FormatIsoDate(c.day * store::kMillisPerDay)}, {"count", c.count}});
  }
  return out;
}

json Databases(const std::vector<hits::DatabaseCount>& counts) {
  json out = json::object();
  for (const hits::DatabaseCount& c : counts) out[c.database] = c.count;
  return out;
}

Result<HttpResponse> Activity(RequestContext& ctx) {
  NCBNET_RETURN_IF_ERROR(OnlyQueryParams(ctx, {"days"}));
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t days, IntQueryParam(ctx, "days", 30, 1, kMaxDays));
  // Whole days: the window starts at midnight UTC, `days` days including today.
  const std::int64_t today = ctx.NowMillis() / store::kMillisPerDay;
  const std::int64_t since = (today - days + 1) * store::kMillisPerDay;
  const std::string& me = ctx.agency();
  ctx.audit_object = "activity of " + me + " over " + std::to_string(days) + " days";
  json body = {{"days", days}, {"since", FormatIsoDate(since)}};
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(auto sent, messaging::MessagesSentPerDay(tx, me, since));
    NCBNET_ASSIGN_OR_RETURN(auto received, messaging::MessagesReceivedPerDay(tx, me, since));
    NCBNET_ASSIGN_OR_RETURN(auto checks, audit::ActionsPerDay(tx, me, CheckActions(), since));
    NCBNET_ASSIGN_OR_RETURN(const hits::HitViewer viewer, HitViewerFor(ctx, tx));
    NCBNET_ASSIGN_OR_RETURN(auto checker,
                            hits::HitsPerDatabase(tx, viewer, hits::Side::kChecker, since));
    NCBNET_ASSIGN_OR_RETURN(auto owner,
                            hits::HitsPerDatabase(tx, viewer, hits::Side::kOwner, since));
    body["messages_sent"] = Days(sent);
    body["messages_received"] = Days(received);
    body["checks"] = Days(checks);
    body["hits_by_database"] = {{"checker", Databases(checker)}, {"owner", Databases(owner)}};
    return Status::Ok();
  }));
  return JsonResponse(200, body);
}

}  // namespace

void AddStatsRoutes(Router& router) {
  router.Add({.method = "GET",
              .pattern = "/v1/stats/activity",
              .scope = Scope::kOwn,
              .handler = Activity});
}

}  // namespace ncbnet::api
