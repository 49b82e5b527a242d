// The dispatcher: where every request is authenticated, authorised, audited and answered, in
// this order, in one place (docs/architecture.md):
//   1. route lookup (404 not_found / 405 method_not_allowed); a GET outside /v1/ that no route
//      takes is the web console's (HubServices::console), counted but not audited;
//   2. authentication, unless the route is public: a client certificate if one was presented
//      (a bad one is refused even if a token is also sent), else the bearer token;
//   3. authorisation (authorization.h): the route's kind of caller, and its capability (perhaps
//      of the database in the path) among the agency's live grants; the route's scope is then
//      the handler's, object by object;
//   4. the JSON body, for routes that take one (415, 400 invalid_json);
//   5. the handler, which changes the store only through RequestContext::Write();
//   6. the audit entry, if the handler's Write() did not already commit it;
//   7. metrics.
// A long poll that is only waiting (HttpResponse::wait) or a feed with no frames, having
// disclosed and written nothing, skips 6 and 7: the server asks again, and that answer is audited.
//
// Thread safety: Handle() and OnRefused() may be called concurrently.
#pragma once

#include <chrono>

#include "api/http_types.h"
#include "api/hub_services.h"
#include "api/router.h"

namespace ncbnet::api {

class Dispatcher final : public RequestHandler {
 public:
  // `hub` and `router` must outlive the dispatcher.
  Dispatcher(HubServices& hub, const Router& router) : hub_(hub), router_(router) {}

  HttpResponse Handle(const HttpRequest& request) override;
  void OnRefused(const HttpRequest& request, int status, const std::string& code) override;

 private:
  // The handler's answer, or the Status that refused the request (a route missing, then
  // steps 2-5 above); exceptions stop here.
  Result<HttpResponse> Answer(RequestContext& ctx, const Router::Match& match);
  Result<HttpResponse> Dispatch(RequestContext& ctx, const Router::Match& match);
  Status Authenticate(RequestContext& ctx);
  Status ParseBody(RequestContext& ctx);
  // A GET outside /v1/ that no route takes: the web console's file (console_files.h).
  HttpResponse ConsoleAnswer(const HttpRequest& request,
                             std::chrono::steady_clock::time_point start);

  HubServices& hub_;
  const Router& router_;
};

}  // namespace ncbnet::api
