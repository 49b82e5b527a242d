// The route table. Every endpoint declares, in one line, who may call it: the public, any
// authenticated principal, or holders of one capability. The dispatcher enforces that before
// the handler runs, so a handler cannot forget it.
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

using Handler = std::function<Result<HttpResponse>(RequestContext&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/v1/agencies/{id}"
  Access access = Access::kAuthenticated;
  std::string capability;     // for kCapability
  bool json_body = false;     // the body must be a JSON object (parsed into ctx.body)
  bool audit_public = false;  // audit even though public (login)
  Handler handler;
};

// True for 1 to 128 of [A-Za-z0-9._:-]: a path parameter, or any client-chosen token that is
// safe to store, log and compare (an Idempotency-Key).
bool IsParamValue(std::string_view v);

class Router {
 public:
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
