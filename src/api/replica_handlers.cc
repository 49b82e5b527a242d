// The hub's side of the offline replica (issue 5, item 4; docs/replica-format.md):
//   POST   /v1/replicas                 enrol a replica: its id, hash key and the keys to pin
//   GET    /v1/replicas/{id}            the hub's view of it (last sync, revoked)
//   GET    /v1/replicas/{id}/snapshot   a signed snapshot (application/octet-stream)
//   GET    /v1/replicas/{id}/delta?from=SEQ   a signed delta from SEQ
//   DELETE /v1/replicas/{id}            revoke it (its agency, or its country's NCB)
//   POST   /v1/replicas/{id}/uploads    offline hits and check log (replica_uploads.cc)
// Every sync is audited with the replica id, the positions and the entry counts.
#include <map>

#include "access/agencies.h"
#include "api/errors.h"
#include "api/json_fields.h"
#include "api/record_access.h"
#include "api/replica_api.h"
#include "api/routes.h"
#include "crypto/encoding.h"
#include "records/catalogue.h"
#include "replica/hub_keys.h"

namespace ncbnet::api {
namespace {

using nlohmann::json;

// Feed rows per delta; the replica asks again from where the delta ends.
constexpr std::int64_t kDeltaChanges = 100000;

Result<std::string> NetworkId(RequestContext& ctx) {
  std::string pk;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("SELECT value FROM meta WHERE key = 'hub_signing_public_key'"));
    if (!row) return Status::Internal("internal", "the network has no signing key");
    pk = (*row)[0].AsText();
    return Status::Ok();
  }));
  return replica::NetworkIdOf(pk);
}

json EnrolmentJson(const replica::Enrolment& e) {
  return {{"id", e.id},
          {"agency", e.agency_id},
          {"created", TimeOrNull(e.created_ms)},
          {"revoked", TimeOrNull(e.revoked_ms)},
          {"last_seq", e.last_seq},
          {"last_sync", TimeOrNull(e.last_sync_ms)}};
}

std::vector<std::string> Codes(const replica::ReplicaScope& scope) {
  std::vector<std::string> out;
  for (const records::DatabaseSchema* s : scope.databases) out.push_back(s->code);
  return out;
}

Result<HttpResponse> Enrol(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(replica::ReplicaScope scope, ReplicaScopeOf(ctx));
  NCBNET_ASSIGN_OR_RETURN(crypto::SigningKey signer,
                          replica::ReplicaSigningKey(ctx.hub.data_key.bytes));
  replica::Enrolment e;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(e, replica::Enrol(tx, ctx.agency(), ctx.NowMillis()));
    ctx.audit_object = e.id;
    return Status::Ok();
  }));
  NCBNET_ASSIGN_OR_RETURN(std::string hash_key,
                          replica::ReplicaHashKey(ctx.hub.data_key.bytes, e.id));
  json out = EnrolmentJson(e);
  out["network_id"] = scope.network_id;
  out["signing_public_key"] = crypto::HexEncode(signer.public_key());
  out["hash_key"] = crypto::HexEncode(hash_key);  // the only time it is given
  out["databases"] = Codes(scope);
  return JsonResponse(201, out);
}

Result<HttpResponse> Show(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(OwnedReplica r, OwnedReplicaOf(ctx));
  ctx.audit_object = r.enrolment.id;
  json out = EnrolmentJson(r.enrolment);
  out["network_id"] = r.scope.network_id;
  out["databases"] = Codes(r.scope);
  return JsonResponse(200, out);
}

// Tells each NCB whose records the package holds, once per database (audit/accesses.h): the
// replica and package, not every record.
void NoteReplicaAccesses(RequestContext& ctx, const std::string& replica_id,
                         const replica::Package& p) {
  std::map<std::pair<std::string, std::string>, std::int64_t> held;  // (country, db) -> count
  for (const replica::Entry& e : p.upserts) ++held[{e.owner_country, e.database}];
  const std::string package =
      (p.kind == replica::PackageKind::kSnapshot ? "snapshot"
                                                 : "delta from " + std::to_string(p.from_seq)) +
      " to " + std::to_string(p.to_seq);
  for (const auto& [key, count] : held) {
    ctx.accesses.push_back(
        {audit::kAccessReplica, access::NcbIdFor(key.first), key.second,
         std::to_string(count) + " records in replica " + replica_id + " " + package, false, 0});
  }
}

// Builds a package with `build` in one read snapshot, signs it, records the sync.
Result<HttpResponse> Serve(
    RequestContext& ctx, const OwnedReplica& r,
    const std::function<Result<replica::Package>(store::Transaction&, const index::IndexKeyer&)>&
        build) {
  NCBNET_ASSIGN_OR_RETURN(std::string hash_key,
                          replica::ReplicaHashKey(ctx.hub.data_key.bytes, r.enrolment.id));
  NCBNET_ASSIGN_OR_RETURN(crypto::SigningKey signer,
                          replica::ReplicaSigningKey(ctx.hub.data_key.bytes));
  const index::IndexKeyer keyer(hash_key);
  replica::Package p;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(p, build(tx, keyer));
    return Status::Ok();
  }));
  ctx.audit_object =
      r.enrolment.id +
      (p.kind == replica::PackageKind::kSnapshot ? " snapshot"
                                                 : " delta from " + std::to_string(p.from_seq)) +
      " to " + std::to_string(p.to_seq) + ": " + std::to_string(p.upserts.size()) + " entries, " +
      std::to_string(p.removals.size()) + " removals";
  NoteReplicaAccesses(ctx, r.enrolment.id, p);
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) {
    return replica::MarkSynced(tx, r.enrolment.id, p.to_seq, ctx.NowMillis());
  }));
  HttpResponse out;
  out.content_type = "application/octet-stream";
  out.body = replica::EncodePackage(p, signer);
  return out;
}

Result<HttpResponse> Snapshot(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(OwnedReplica r, OwnedReplicaOf(ctx));
  return Serve(ctx, r, [&](store::Transaction& tx, const index::IndexKeyer& keyer) {
    return replica::BuildSnapshot(tx, r.scope, keyer, ctx.NowMillis());
  });
}

Result<HttpResponse> Delta(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(OwnedReplica r, OwnedReplicaOf(ctx));
  if (ctx.query.count("from") == 0) {
    return Status::InvalidArgument("invalid_request", "a delta needs from=SEQ");
  }
  NCBNET_ASSIGN_OR_RETURN(std::int64_t from,
                          IntQueryParam(ctx, "from", 0, 0, std::int64_t{1} << 62));
  return Serve(ctx, r, [&](store::Transaction& tx, const index::IndexKeyer& keyer) {
    return replica::BuildDelta(tx, r.scope, keyer, from, ctx.NowMillis(), kDeltaChanges);
  });
}

// The replica's own agency, or the NCB of its country, revokes it.
Result<HttpResponse> RevokeReplica(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(records::Viewer caller, ViewerOf(ctx));
  const std::string id = ctx.params.at("id");
  ctx.audit_object = id;
  bool revoked = false;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(std::optional<replica::Enrolment> e, replica::FindEnrolment(tx, id));
    bool allowed = e && e->agency_id == caller.agency_id;
    if (e && !allowed && caller.kind == access::AgencyKind::kNcb) {
      NCBNET_ASSIGN_OR_RETURN(std::optional<access::Agency> holder,
                              access::FindAgency(tx, e->agency_id));
      allowed = holder && holder->country.value_or("") == caller.country;
    }
    if (!allowed) return Status::NotFound("replica_not_found", "no such replica");
    NCBNET_ASSIGN_OR_RETURN(revoked, replica::Revoke(tx, id, ctx.NowMillis()));
    return Status::Ok();
  }));
  return JsonResponse(200, {{"id", id}, {"revoked", true}, {"already_revoked", !revoked}});
}

}  // namespace

Result<replica::ReplicaScope> ReplicaScopeOf(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(records::Viewer viewer, ViewerOf(ctx));
  if (viewer.country.empty()) {
    return Status::PermissionDenied("replica_not_allowed", "the GS holds no replica");
  }
  replica::ReplicaScope scope;
  for (const records::DatabaseSchema& db : records::Catalogue::Builtin().databases()) {
    if (ctx.principal->Has("record.check:" + db.code)) scope.databases.push_back(&db);
  }
  if (scope.databases.empty()) {
    return Status::PermissionDenied("missing_capability",
                                    "a replica needs record.check for a database");
  }
  std::sort(scope.databases.begin(), scope.databases.end(),
            [](const auto* a, const auto* b) { return a->code < b->code; });
  viewer.kind = access::AgencyKind::kTerminal;  // always judged as a frontline terminal
  scope.viewer = std::move(viewer);
  NCBNET_ASSIGN_OR_RETURN(scope.record_secret, IndexSecretOf(ctx));
  NCBNET_ASSIGN_OR_RETURN(scope.network_id, NetworkId(ctx));
  return scope;
}

Result<OwnedReplica> OwnedReplicaOf(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(replica::ReplicaScope scope, ReplicaScopeOf(ctx));
  const std::string id = ctx.params.at("id");
  std::optional<replica::Enrolment> e;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(e, replica::FindEnrolment(tx, id));
    return Status::Ok();
  }));
  if (!e || e->agency_id != ctx.agency()) {
    return Status::NotFound("replica_not_found", "no such replica");
  }
  if (e->revoked_ms) return Status::PermissionDenied("replica_revoked", "the replica was revoked");
  scope.replica_id = e->id;
  return OwnedReplica{std::move(*e), std::move(scope)};
}

void AddReplicaRoutes(Router& router) {
  router.Add({.method = "POST",
              .pattern = "/v1/replicas",
              .access = Access::kCapability,
              .capability = "record.check:*",
              .caller = Caller::kCertificate,
              .scope = Scope::kOwn,
              .handler = Enrol});
  router.Add({.method = "GET",
              .pattern = "/v1/replicas/{id}",
              .access = Access::kCapability,
              .capability = "record.check:*",
              .caller = Caller::kCertificate,
              .scope = Scope::kOwn,
              .handler = Show});
  router.Add({.method = "GET",
              .pattern = "/v1/replicas/{id}/snapshot",
              .access = Access::kCapability,
              .capability = "record.check:*",
              .caller = Caller::kCertificate,
              .scope = Scope::kOwn,
              .handler = Snapshot});
  router.Add({.method = "GET",
              .pattern = "/v1/replicas/{id}/delta",
              .access = Access::kCapability,
              .capability = "record.check:*",
              .caller = Caller::kCertificate,
              .scope = Scope::kOwn,
              .handler = Delta});
  router.Add({.method = "DELETE",
              .pattern = "/v1/replicas/{id}",
              .access = Access::kCapability,
              .capability = "record.check:*",
              .caller = Caller::kCertificate,
              .scope = Scope::kOwn,
              .handler = RevokeReplica});
  AddReplicaUploadRoute(router);
}

}  // namespace ncbnet::api
