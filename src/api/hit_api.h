// What the check endpoints need of hits (hits/hits.h) on the request path: the checker as the
// request's principal, and what follows the commit of RecordHits. Also the hit endpoints'
// routes (hit_handlers.cc).
//
// A check handler does, with ctx.Write:
//   NCBNET_ASSIGN_OR_RETURN(const crypto::SigningKey* hub_key, HubMessageKeyOf(ctx));
//   NCBNET_ASSIGN_OR_RETURN(hits::Checker checker, CheckerFor(ctx, tx));
//   NCBNET_ASSIGN_OR_RETURN(hits, hits::RecordHits(tx, ctx.hub.data_key, *hub_key, checker,
//                                                  context, records, matched, now));
// then, after the commit, AfterHitsRecorded(ctx.hub, records).
#pragma once

#include <span>

#include "api/hub_services.h"
#include "api/request_context.h"
#include "core/status.h"
#include "hits/hits.h"
#include "records/records.h"
#include "store/store.h"

namespace ncbnet::api {

// The hub's messaging key; kUnavailable "hub_messages_off" when the hub has none.
Result<const crypto::SigningKey*> HubMessageKeyOf(const RequestContext& ctx);

// The request's principal as a checker: its agency's kind and country from the store, its
// user's id and name. Errors: kPermissionDenied "agency_disabled" if the agency is gone.
Result<hits::Checker> CheckerFor(const RequestContext& ctx, store::Transaction& tx);

// The request's principal as a viewer of hits. Errors as CheckerFor.
Result<hits::HitViewer> HitViewerFor(const RequestContext& ctx, store::Transaction& tx);

// After RecordHits committed: counts the hits in /metrics (ncbnet_hits_total by database) and
// wakes the owners' mailbox feeds, so their notifications are pushed at once.
void AfterHitsRecorded(HubServices& hub, std::span<const records::Record> records);

}  // namespace ncbnet::api
