#include "api/audit_trail.h"

#include "access/sessions.h"
#include "audit/audit_log.h"
#include "records/records.h"

namespace ncbnet::api {
namespace {

// Audit fields hold what a client sent (a user name, an object id): bound their size.
std::string Bounded(const std::string& s) { return s.size() <= 256 ? s : s.substr(0, 256); }

}  // namespace

audit::AuditEntry RequestEntry(const RequestContext& ctx, const std::string& outcome) {
  audit::AuditEntry e;
  e.time_ms = ctx.NowMillis();
  e.request_id = ctx.http.request_id;
  if (ctx.principal) {
    e.user_id = ctx.principal->user_id.empty() ? "cert:" + ctx.principal->certificate_serial
                                               : ctx.principal->user_id;
    e.agency_id = ctx.principal->agency_id;
  }
  if (!ctx.audit_user.empty()) e.user_id = ctx.audit_user;
  if (!ctx.audit_agency.empty()) e.agency_id = ctx.audit_agency;
  e.source = ctx.http.source_ip;
  e.action = Bounded(ctx.audit_action);
  e.object = Bounded(ctx.audit_object);
  e.outcome = Bounded(outcome);
  return e;
}

Status AppendRequestAudit(store::Transaction& tx, const RequestContext& ctx,
                          const std::string& outcome) {
  // A user's request restarts the session's idle time, in the write that audits it anyway.
  if (ctx.principal && ctx.principal->method == access::AuthMethod::kSession && ctx.user_activity) {
    NCBNET_RETURN_IF_ERROR(
        access::TouchSession(tx, ctx.principal->session_token_hash, ctx.NowMillis()));
  }
  NCBNET_ASSIGN_OR_RETURN(const audit::AuditEntry entry,
                          audit::Append(tx, ctx.hub.audit_key, RequestEntry(ctx, outcome)));
  return AppendAccessEntries(tx, ctx.hub.audit_key, entry, ctx.accesses);
}

Status AppendAccessEntries(store::Transaction& tx, const crypto::SigningKey& key,
                           const audit::AuditEntry& request, std::vector<audit::Access> accesses) {
  for (audit::Access& a : accesses) {
    if (!a.what.empty()) continue;
    // A hidden match: its record was never read for the checker; its id is read here only.
    Result<std::string> id = records::RecordIdOfRef(tx, a.record_ref);
    if (!id.ok() && id.status().reason() != "record_not_found") return id.status();
    a.what = id.ok() ? *id : "ref " + std::to_string(a.record_ref);
  }
  return audit::AppendAccesses(tx, key, request, accesses);
}

Status AppendRequestAuditNow(RequestContext& ctx, const std::string& outcome) {
  Status s = ctx.hub.store.Write(
      [&](store::Transaction& tx) { return AppendRequestAudit(tx, ctx, outcome); });
  if (s.ok()) ctx.audited = true;
  return s;
}

std::string OutcomeFor(int http_status, const std::string& code) {
  if (http_status < 400) return "ok";
  if (http_status == 401 || http_status == 403 || http_status == 429) return "denied:" + code;
  return "error:" + code;
}

}  // namespace ncbnet::api
