// What the replica endpoints share (replica_handlers.cc, replica_uploads.cc): who may hold a
// replica, and the caller's own replica named by the {id} path parameter.
//
// Who may hold a replica (docs/replica-format.md, "Who may hold a replica"): an agency of a
// member country (a terminal, a national agency or an NCB, never the GS) that authenticates
// with a client certificate, since a replica belongs to a device, and holds record.check for
// at least one database. Whatever the caller's kind, the replica's content is what a frontline
// terminal of its country may see, and never a record withheld from frontline terminals.
#pragma once

#include <string>

#include "api/request_context.h"
#include "api/router.h"
#include "core/status.h"
#include "replica/builder.h"
#include "replica/enrolments.h"

namespace ncbnet::api {

// The caller's scope (network id, viewer, databases held). Errors: kPermissionDenied
// "replica_needs_certificate" (a bearer session), "replica_not_allowed" (the GS),
// "missing_capability" (no record.check grant).
Result<replica::ReplicaScope> ReplicaScopeOf(RequestContext& ctx);

// The caller's replica {id}, not revoked, with its scope. Errors: ReplicaScopeOf's; kNotFound
// "replica_not_found" (unknown, or another agency's: the same answer); kPermissionDenied
// "replica_revoked".
struct OwnedReplica {
  replica::Enrolment enrolment;
  replica::ReplicaScope scope;
};
Result<OwnedReplica> OwnedReplicaOf(RequestContext& ctx);

// POST /v1/replicas/{id}/uploads (replica_uploads.cc), added by AddReplicaRoutes.
void AddReplicaUploadRoute(Router& router);

}  // namespace ncbnet::api
