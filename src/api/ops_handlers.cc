// GET /healthz, GET /readyz and GET /metrics (Prometheus text format). /metrics needs audit.read
// unless the operator set public_metrics, since counts of refusals and logins are operational
// intelligence.
#include "access/capabilities.h"
#include "api/errors.h"
#include "api/http_server.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "audit/transparency.h"

namespace ncbnet::api {
namespace {

// Healthy means able to answer audited requests: the store reads and the end of the audit
// chain is the one the hub signed. A broken chain makes every audited request fail closed with
// 500 internal, so monitoring must see it here too, named. The names are the stable codes of
// docs/openapi.yaml; the details stay in the operator's log.
Result<HttpResponse> Healthz(RequestContext& ctx) {
  Status audit_end = Status::Ok();
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) {
    audit_end = audit::CheckEnd(tx, ctx.hub.audit_key.public_key());
    return audit_end.code() == StatusCode::kDataLoss ? Status::Ok() : audit_end;
  }));
  if (!audit_end.ok()) {
    return JsonResponse(503, {{"status", "failing"}, {"problems", {audit_end.reason()}}});
  }
  return JsonResponse(200, {{"status", "ok"}});
}

// Ready means this node should get traffic now: its store takes writes (a primary, not a
// standby; not failing) and its record indexes are loaded. Load balancers ask every node about
// once a second, so it is cheap (Store::CheckWritable() answers from a recent probe) and reads
// no table. Unauthenticated: the answer names reasons from a fixed list (docs/openapi.yaml),
// nothing more.
Result<HttpResponse> Readyz(RequestContext& ctx) {
  nlohmann::json reasons = nlohmann::json::array();
  const Status writable = ctx.hub.store.CheckWritable();
  if (!writable.ok()) {
    reasons.push_back(writable.reason() == "store_read_only" ? "store_read_only"
                                                             : "store_unavailable");
  }
  if (ctx.hub.record_indexes == nullptr) reasons.push_back("indexes_loading");
  if (reasons.empty()) return JsonResponse(200, {{"status", "ready"}});
  HttpResponse r = JsonResponse(503, {{"status", "not_ready"}, {"reasons", reasons}});
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

Result<HttpResponse> RenderMetrics(RequestContext& ctx) {
  std::string out;
  ctx.hub.metrics.Render(out);
  std::int64_t audit_entries = 0;
  std::int64_t tree_size = 0;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(audit_entries, audit::Count(tx));
    NCBNET_ASSIGN_OR_RETURN(std::optional<audit::TreeHead> head, audit::LatestTreeHead(tx));
    if (head) tree_size = head->tree_size;
    return Status::Ok();
  }));
  const store::StoreStats store = ctx.hub.store.Stats();
  AppendSample(out, "ncbnet_audit_entries_total", "gauge", "Entries in the audit log.",
               static_cast<double>(audit_entries));
  // Entries wait for a signed tree head about 0.2 s; more for long means the sequencer stopped
  // (a tampered entry: `ncbnet audit verify`), so alert on it staying above 0.
  AppendSample(out, "ncbnet_audit_tree_size", "gauge",
               "Entries in the newest signed tree head of the audit log.",
               static_cast<double>(tree_size));
  AppendSample(out, "ncbnet_audit_unsequenced_entries", "gauge",
               "Audit entries not yet in a signed tree head.",
               static_cast<double>(audit_entries - tree_size));
  AppendSample(out, "ncbnet_store_size_bytes", "gauge", "Size of the store.",
               static_cast<double>(store.size_bytes));
  AppendSample(out, "ncbnet_store_commits_total", "counter", "Store commits since start.",
               static_cast<double>(store.commits));
  AppendSample(out, "ncbnet_store_rollbacks_total", "counter", "Store rollbacks since start.",
               static_cast<double>(store.rollbacks));
  AppendSample(out, "ncbnet_store_grouped_writes_total", "counter",
               "Store writes committed in a commit shared with other writes, since start.",
               static_cast<double>(store.grouped_writes));
  AppendSample(out, "ncbnet_store_queued_writes", "gauge", "Store writes waiting or running now.",
               static_cast<double>(store.queued_writes));
  AppendSample(out, "ncbnet_login_failures_total", "counter", "Failed logins since start.",
               static_cast<double>(ctx.hub.throttle.failures_total()));
  if (ctx.hub.server_stats) {
    const ServerStats s = ctx.hub.server_stats();
    AppendSample(out, "ncbnet_open_connections", "gauge", "Open client connections.",
                 static_cast<double>(s.open_connections));
    AppendSample(out, "ncbnet_refused_connections_total", "counter",
                 "Connections refused over a connection limit.",
                 static_cast<double>(s.refused_connections));
    AppendSample(out, "ncbnet_tls_handshake_failures_total", "counter", "Failed TLS handshakes.",
                 static_cast<double>(s.tls_handshake_failures));
    out +=
        "# HELP ncbnet_proxy_header_failures_total Connections from a proxy_protocol_from peer"
        " closed over their PROXY header.\n# TYPE ncbnet_proxy_header_failures_total counter\n";
    for (const auto& [reason, count] : {std::pair{"malformed", s.proxy_header_malformed},
                                        std::pair{"too_large", s.proxy_header_too_large},
                                        std::pair{"truncated", s.proxy_header_truncated},
                                        std::pair{"timeout", s.proxy_header_timeout}}) {
      out += "ncbnet_proxy_header_failures_total{reason=\"" + std::string(reason) + "\"} " +
             std::to_string(count) + "\n";
    }
  }
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = std::move(out);
  return r;
}

}  // namespace

void AddOpsRoutes(Router& router, bool public_metrics) {
  router.Add({.method = "GET",
              .pattern = "/healthz",
              .access = Access::kPublic,
              .scope = Scope::kHub,
              .handler = Healthz});
  router.Add({.method = "GET",
              .pattern = "/readyz",
              .access = Access::kPublic,
              .scope = Scope::kHub,
              .handler = Readyz});
  router.Add({.method = "GET",
              .pattern = "/metrics",
              .access = public_metrics ? Access::kPublic : Access::kCapability,
              .capability = std::string(access::kAuditRead),
              .scope = Scope::kHub,
              .handler = RenderMetrics});
}

}  // namespace ncbnet::api
