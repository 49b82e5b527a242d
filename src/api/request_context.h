// One request's state as it passes through the dispatcher to a handler: the HTTP request, the
// authenticated principal, the parsed JSON body and path parameters, and what the audit entry
// for it will say.
//
// Handlers change the store only through Write(), which appends this request's audit entry in
// the same transaction as the change, so a change is never committed unaudited.
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "access/principal.h"
#include "api/http_types.h"
#include "api/hub_services.h"
#include "api/idempotency.h"
#include "audit/accesses.h"
#include "core/status.h"
#include "store/store.h"

namespace ncbnet::api {

struct RequestContext {
  RequestContext(HubServices& hub_in, const HttpRequest& http_in) : hub(hub_in), http(http_in) {}

  HubServices& hub;
  const HttpRequest& http;
  std::optional<access::Principal> principal;  // set unless the route is public
  nlohmann::json body;                         // a JSON object for routes that take a body
  std::map<std::string, std::string> params;   // from the route pattern, e.g. {id}
  std::map<std::string, std::string> query;    // decoded query string

  // What the audit entry records. Handlers set `audit_object` to the id acted on; login sets
  // the user and agency once known.
  std::string audit_action;
  std::string audit_object;
  std::string audit_user;
  std::string audit_agency;
  bool audited = false;
  // Whether the request is the user's own doing, which restarts the session's idle time
  // (Route::user_activity); a background poll of the mailbox is not.
  bool user_activity = true;

  // Accesses to records this request made, each told to the records' owner by an access
  // entry appended after the request's own entry, in its transaction (audit/accesses.h).
  std::vector<audit::Access> accesses;

  // Members added beside "error" when the request fails (e.g. a batch's rejected rows).
  nlohmann::json error_details;

  // The request's Idempotency-Key (api/idempotency.h), reserved by the first Write().
  std::optional<IdempotentRequest> idempotency;
  bool idempotency_reserved = false;

  // Headers the answer carries whether it succeeds or fails (e.g. Retry-After).
  std::vector<std::pair<std::string, std::string>> response_headers;

  std::int64_t NowMillis() const { return hub.clock.NowMillis(); }

  // Runs `fn` in a write transaction and, in the same transaction, appends this request's
  // audit entry with outcome "ok" and reserves its Idempotency-Key, if any (so a change is
  // committed with its key or not at all). Nothing is committed if `fn` fails.
  Status Write(const std::function<Status(store::Transaction&)>& fn);

  // A read-only snapshot.
  Status Read(const std::function<Status(store::Transaction&)>& fn) { return hub.store.Read(fn); }

  // The principal's agency; "" for public routes.
  const std::string& agency() const;
};

// Refuses a query parameter not among `allowed`: kInvalidArgument "invalid_request" naming it.
Status OnlyQueryParams(const RequestContext& ctx, std::initializer_list<std::string_view> allowed);

// The integer query parameter `name`, or `fallback` if absent. Error: kInvalidArgument
// "invalid_request" naming it if it is not an integer in [lo, hi].
Result<std::int64_t> IntQueryParam(const RequestContext& ctx, const char* name,
                                   std::int64_t fallback, std::int64_t lo, std::int64_t hi);

}  // namespace ncbnet::api
