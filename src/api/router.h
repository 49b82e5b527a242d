// The route table. Every endpoint declares, in one line, its whole rule: who may call it (the
// public, any authenticated principal, or holders of a capability, perhaps of the database in
// its path), which kind of principal (Caller), and whose objects it touches (Scope). The
// dispatcher enforces the first two before the handler runs, so a handler cannot forget them;
// the handler applies the scope to the objects it reads. docs/authorization.md is the table in
// words; `ncbnet routes` prints it, and the authorisation matrix test tries every route.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.h"
#include "api/request_context.h"
#include "core/status.h"

namespace ncbnet::api {

enum class Access {
  kPublic,         // no authentication; not audited unless `audit_public`
  kAuthenticated,  // any authenticated principal
  kCapability,     // a principal holding `capability`
};

// Which principals may call a route at all, whatever they hold (checked by the dispatcher).
enum class Caller {
  kAny,          // any principal the route's access admits
  kSession,      // a user signed in: a device's certificate is 400 session_required
  kCertificate,  // a device's client certificate: a session is 403 replica_needs_certificate
  kGs,           // the General Secretariat's own agency: anyone else is 403 gs_only
};

// Whose objects a route reads or changes. The dispatcher cannot judge an object it has not
// read, so the handler applies the scope's rule to each object; an object outside the caller's
// scope answers exactly as a missing one (404). Stated here so that the table says the whole
// rule of every route (docs/authorization.md) and the matrix test can try it.
enum class Scope {
  kUndeclared,  // Router::Add refuses it: every route states its scope
  kHub,         // the hub's own state: health, metrics, the audit log, the CRL
  kNetwork,     // what every member may read: catalogue, key directory, country groups
  kOwn,         // the caller's own: its session, mailbox, checks, replicas
  kBranch,      // the caller's agency and the agencies it created (docs/delegation.md)
  kRecords,     // records, under their owners' restrictions (docs/records.md)
  kMessages,    // messages the caller's agency sent or received
  kNotices,     // notices and diffusions as docs/notices.md shows them to the caller
  kHits,        // hits of the caller's checks or on its records
  kMla,         // MLA requests between the caller's country and another
  kPublished,   // the public extracts of published notices
};

std::string_view ToString(Access access);
std::string_view ToString(Caller caller);
std::string_view ToString(Scope scope);

using Handler = std::function<Result<HttpResponse>(RequestContext&)>;

// A route's capability may name a database from its path or any database:
//   "record.check:{db}"  record.check of the path's {db} (404 unknown_database if none such)
//   "record.write:{db}"  record.write of {db}; a managed database is 403 managed_database
//   "record.own:{db}"    record.write of {db}, or record.check of a managed one (its owners'
//                        records are written by the hub's service)
//   "record.check:*"     record.check of at least one database
//   "a|b|c"              any one of them
// Written with designated initialisers, the rule first: {.method = "GET", .pattern = "/v1/me",
// .scope = Scope::kOwn, .handler = Me}.
struct Route {
  std::string method;
  std::string pattern;  // "/v1/agencies/{id}"
  Access access = Access::kAuthenticated;
  std::string capability;  // for kCapability
  Caller caller = Caller::kAny;
  Scope scope = Scope::kUndeclared;
  bool json_body = false;     // the body must be a JSON object (parsed into ctx.body)
  bool audit_public = false;  // audit even though public (login)
  // false: a background poll (the mailbox) that does not restart a session's idle time.
  bool user_activity = true;
  Handler handler;
};

// True for 1 to 128 of [A-Za-z0-9._:-]: a path parameter, or any client-chosen token that is
// safe to store, log and compare (an Idempotency-Key).
bool IsParamValue(std::string_view v);

class Router {
 public:
  // Aborts on a route whose scope is kUndeclared, or whose capability is missing or set
  // against its access: a table that does not say who may call a route never serves.
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    bool path_matched = false;  // some route has this path, maybe with another method
  };
  // Path parameters must be 1-128 of [A-Za-z0-9._:-]; anything else does not match.
  Match Find(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Decodes "a=1&b=x%20y" (at most 32 pairs; malformed escapes are kInvalidArgument
// "invalid_query").
Result<std::map<std::string, std::string>> ParseQuery(std::string_view query);

}  // namespace ncbnet::api
