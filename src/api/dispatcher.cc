#include "api/dispatcher.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include "access/certificates.h"
#include "access/sessions.h"
#include "api/audit_trail.h"
#include "api/authorization.h"
#include "api/console_files.h"
#include "api/errors.h"
#include "api/idempotency.h"
#include "core/json.h"

namespace ncbnet::api {
namespace {

constexpr std::string_view kBearer = "Bearer ";

bool IsJsonContentType(const std::string& value) {
  const std::string_view v(value);
  const std::string_view type = v.substr(0, v.find(';'));
  return type == "application/json";
}

}  // namespace

Status Dispatcher::Authenticate(RequestContext& ctx) {
  const HttpRequest& req = ctx.http;
  const std::int64_t now = ctx.NowMillis();
  if (req.peer_certificate) {
    const PeerCertificate& cert = *req.peer_certificate;
    if (!cert.verified) {
      // X509_V_ERR_CERT_HAS_EXPIRED (10) and X509_V_ERR_CERT_NOT_YET_VALID (9).
      if (cert.verify_error_code == 10 || cert.verify_error_code == 9) {
        return Status::Unauthenticated("client_cert_expired", "client certificate not valid now");
      }
      return Status::Unauthenticated("client_cert_untrusted",
                                     "client certificate not issued by the network CA");
    }
    return ctx.Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(
          ctx.principal, access::ResolveCertificate(tx, cert.serial_hex, cert.common_name, now));
      return Status::Ok();
    });
  }
  const std::string& auth = req.Header("authorization");
  if (auth.empty()) {
    return Status::Unauthenticated("missing_credentials",
                                   "send a bearer token or a client certificate");
  }
  if (auth.size() <= kBearer.size() || auth.compare(0, kBearer.size(), kBearer) != 0) {
    return Status::Unauthenticated("invalid_token", "expected 'Authorization: Bearer <token>'");
  }
  const std::string_view token = std::string_view(auth).substr(kBearer.size());
  return ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        ctx.principal,
        access::ResolveSession(tx, token, now,
                               std::int64_t{ctx.hub.config.session_idle_seconds} * 1000));
    return Status::Ok();
  });
}

Status Dispatcher::ParseBody(RequestContext& ctx) {
  if (!IsJsonContentType(ctx.http.Header("content-type"))) {
    return Status::InvalidArgument("unsupported_media_type",
                                   "send the body as Content-Type: application/json");
  }
  // ParseJson refuses a body nested deeper than any document of ours before a value is built
  // (walking one would overflow the stack); the depth is measured again only to name the error.
  ctx.body = ParseJson(ctx.http.body);
  if (ctx.body.is_discarded() || !ctx.body.is_object()) {
    ctx.body = nlohmann::json::object();
    if (JsonNestingDepth(ctx.http.body) > kMaxJsonDepth) {
      return Status::InvalidArgument("json_too_deep",
                                     "the body nests arrays and objects deeper than " +
                                         std::to_string(kMaxJsonDepth) + " levels");
    }
    return Status::InvalidArgument("invalid_json", "the body is not a JSON object");
  }
  return Status::Ok();
}

Result<HttpResponse> Dispatcher::Dispatch(RequestContext& ctx, const Router::Match& match) {
  const Route& route = *match.route;
  ctx.params = match.params;
  ctx.user_activity = route.user_activity;
  NCBNET_ASSIGN_OR_RETURN(ctx.query, ParseQuery(ctx.http.query));
  if (route.access != Access::kPublic) {
    NCBNET_RETURN_IF_ERROR(Authenticate(ctx));
    NCBNET_RETURN_IF_ERROR(Authorize(*ctx.principal, route, ctx.params));
  }
  if (route.json_body) NCBNET_RETURN_IF_ERROR(ParseBody(ctx));
  NCBNET_ASSIGN_OR_RETURN(ctx.idempotency, IdempotencyOf(ctx));
  if (ctx.idempotency) {
    std::optional<HttpResponse> earlier;
    NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(earlier, EarlierAnswer(tx, *ctx.idempotency));
      return Status::Ok();
    }));
    if (earlier) {
      ctx.audit_object = "replay of Idempotency-Key " + ctx.idempotency->key;
      return std::move(*earlier);
    }
  }
  Result<HttpResponse> answer = route.handler(ctx);
  if (answer.ok() && ctx.idempotency_reserved) {
    // The change is committed with its key; a failure here only costs a retry its replay.
    if (Status s = StoreAnswer(ctx.hub.store, *ctx.idempotency, *answer); !s.ok()) {
      spdlog::error("request {}: idempotent answer not kept: {}", ctx.http.request_id,
                    s.ToString());
    }
  }
  return answer;
}

Result<HttpResponse> Dispatcher::Answer(RequestContext& ctx, const Router::Match& match) {
  if (match.route == nullptr) {
    if (match.path_matched) {
      return Status::InvalidArgument("method_not_allowed", "method not allowed on this path");
    }
    return Status::NotFound("not_found", "no such endpoint");
  }
  try {
    return Dispatch(ctx, match);
  } catch (...) {
    spdlog::error("request {}: unexpected exception in handler", ctx.http.request_id);
    return Status::Internal("internal", "unexpected exception");
  }
}

HttpResponse Dispatcher::Handle(const HttpRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  RequestContext ctx(hub_, request);
  const Router::Match match = router_.Find(request.method, request.path);
  if (match.route == nullptr && !match.path_matched && hub_.console != nullptr &&
      ConsoleFiles::Serves(request.method, request.path)) {
    return ConsoleAnswer(request, start);
  }
  std::string route_label = match.route ? match.route->pattern : "unmatched";
  ctx.audit_action = request.method + " " + (match.route ? match.route->pattern : request.path);
  Result<HttpResponse> answer = Answer(ctx, match);
  HttpResponse response =
      answer.ok() ? std::move(answer).value() : ErrorResponse(answer.status(), request.request_id);
  if (!answer.ok() && ctx.error_details.is_object()) {
    nlohmann::json body = ParseJson(response.body);
    if (body.is_object()) {
      for (const auto& [key, value] : ctx.error_details.items()) body.emplace(key, value);
      response.body = body.dump();
    }
  }
  for (auto& header : ctx.response_headers) response.headers.push_back(std::move(header));
  // A wait that discloses nothing yet is audited and counted when it is finally answered.
  const bool quiet_wait =
      answer.ok() && (response.feed ? response.feed->frames.empty() : response.wait.has_value());
  if (quiet_wait && !ctx.audited) return response;
  // Health and public metrics take no input and read nobody's data: never audited, so that
  // /healthz can still say what is wrong when the audit chain itself is broken.
  const bool unaudited_public =
      match.route && match.route->access == Access::kPublic && !match.route->audit_public;
  if (!ctx.audited && !unaudited_public) {
    const std::string code = answer.ok() ? "" : ClientErrorCode(answer.status());
    if (Status s = AppendRequestAuditNow(ctx, OutcomeFor(response.status, code)); !s.ok()) {
      // An unaudited answer must not go out: refuse instead.
      spdlog::error("request {}: audit append failed; refusing", request.request_id);
      response = ErrorResponse(s, request.request_id);
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  hub_.metrics.ObserveRequest(route_label, match.route ? request.method : "OTHER", response.status,
                              seconds);
  return response;
}

// The console's files hold no one's data: like /healthz, they are counted but not audited.
HttpResponse Dispatcher::ConsoleAnswer(const HttpRequest& request,
                                       std::chrono::steady_clock::time_point start) {
  Result<HttpResponse> answer = hub_.console->Answer(request.path);
  HttpResponse response =
      answer.ok() ? std::move(answer).value() : ErrorResponse(answer.status(), request.request_id);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  hub_.metrics.ObserveRequest("console", "GET", response.status, seconds);
  return response;
}

void Dispatcher::OnRefused(const HttpRequest& request, int status, const std::string& code) {
  RequestContext ctx(hub_, request);
  ctx.audit_action = "http.refused";
  ctx.audit_object = request.path;
  if (Status s = AppendRequestAuditNow(ctx, OutcomeFor(status, code)); !s.ok()) {
    spdlog::error("request {}: audit append failed for a refusal", request.request_id);
  }
  hub_.metrics.ObserveRequest("refused", "OTHER", status, 0.0);
}

}  // namespace ncbnet::api
