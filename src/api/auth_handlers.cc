// POST /v1/auth/login, POST /v1/auth/logout, GET /v1/me, POST /v1/auth/totp/{enroll,confirm}.
#include <algorithm>
#include <string>

#include "access/agencies.h"
#include "access/sessions.h"
#include "access/users.h"
#include "api/access_json.h"
#include "api/errors.h"
#include "api/json_fields.h"
#include "api/routes.h"
#include "core/time_format.h"
#include "crypto/encoding.h"
#include "crypto/password.h"
#include "crypto/totp.h"

namespace ncbnet::api {
namespace {

const Status kInvalidCredentials =
    Status::Unauthenticated("invalid_credentials", "invalid user name or password");

Status TooManyAttempts(RequestContext& ctx, std::int64_t retry_after) {
  ctx.response_headers.emplace_back("Retry-After", std::to_string(retry_after));
  return Status::ResourceExhausted("too_many_attempts", "too many failed logins; retry later");
}

// The second factor, if the user enrolled one. Returns the step used (0 without TOTP).
Result<std::int64_t> CheckSecondFactor(RequestContext& ctx, const access::User& user,
                                       const std::optional<std::string>& code) {
  if (!user.totp_secret) return std::int64_t{0};
  if (!code) return Status::Unauthenticated("totp_required", "enter the one-time code");
  const std::optional<std::int64_t> step =
      crypto::VerifyTotp(*user.totp_secret, *code, ctx.NowMillis() / 1000, user.totp_last_step);
  if (!step) return Status::Unauthenticated("invalid_totp", "wrong or reused one-time code");
  return *step;
}

Result<HttpResponse> Login(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(std::string name, RequiredString(ctx.body, "user", 64));
  NCBNET_ASSIGN_OR_RETURN(std::string password, RequiredString(ctx.body, "password", 1024));
  NCBNET_ASSIGN_OR_RETURN(std::optional<std::string> code, OptionalString(ctx.body, "totp", 16));
  ctx.audit_object = "user:" + name;
  const std::string& source = ctx.http.source_ip;
  access::LoginThrottle& throttle = ctx.hub.throttle;
  if (auto wait = throttle.RetryAfterSeconds(name, source, ctx.NowMillis())) {
    return TooManyAttempts(ctx, *wait);
  }
  std::optional<access::User> user;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(user, access::FindUserByName(tx, name));
    return Status::Ok();
  }));
  // Hash even for unknown names, so response time does not tell which names exist.
  const bool match =
      crypto::VerifyPassword(user ? user->password_hash : crypto::DummyPasswordHash(), password);
  if (!user || !match || user->disabled_ms) {
    throttle.RecordFailure(name, source, ctx.NowMillis());
    return kInvalidCredentials;
  }
  ctx.audit_user = user->id;
  ctx.audit_agency = user->agency_id;
  auto step = CheckSecondFactor(ctx, *user, code);
  if (!step.ok()) {
    if (step.status().reason() == "invalid_totp") {
      throttle.RecordFailure(name, source, ctx.NowMillis());
    }
    return step.status();
  }
  throttle.RecordSuccess(name);
  access::NewSession session;
  const std::int64_t ttl_ms = std::int64_t{ctx.hub.config.session_ttl_seconds} * 1000;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    if (*step > 0) {
      // Re-read inside the transaction so two logins cannot spend the same code.
      NCBNET_ASSIGN_OR_RETURN(std::optional<access::User> fresh,
                              access::FindUserById(tx, user->id));
      if (!fresh || fresh->totp_last_step >= *step) {
        return Status::Unauthenticated("invalid_totp", "wrong or reused one-time code");
      }
      NCBNET_RETURN_IF_ERROR(access::SetTotpLastStep(tx, user->id, *step));
    }
    NCBNET_ASSIGN_OR_RETURN(
        session, access::OpenSession(tx, user->id, user->agency_id, ctx.NowMillis(), ttl_ms));
    return Status::Ok();
  }));
  return JsonResponse(
      200, {{"token", session.token},
            {"expires_at", FormatIsoMillis(session.expires_ms)},
            {"idle_timeout_seconds", ctx.hub.config.session_idle_seconds},
            {"user", {{"id", user->id}, {"name", user->name}, {"agency_id", user->agency_id}}}});
}

Result<HttpResponse> Logout(RequestContext& ctx) {
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) {
    return access::RevokeSession(tx, ctx.principal->session_token_hash, ctx.NowMillis());
  }));
  HttpResponse r;
  r.status = 204;
  return r;
}

Result<HttpResponse> Me(RequestContext& ctx) {
  const access::Principal& p = *ctx.principal;
  std::optional<access::Agency> agency;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(agency, access::FindAgency(tx, p.agency_id));
    return Status::Ok();
  }));
  if (!agency) return Status::Internal("agency_missing", "principal's agency not in store");
  nlohmann::json user = nullptr;
  if (!p.user_id.empty()) user = {{"id", p.user_id}, {"name", p.user_name}};
  nlohmann::json session = nullptr;
  if (p.method == access::AuthMethod::kSession) {
    // What the console shows before it happens. /v1/me is itself a use of the session.
    session = {{"expires_at", FormatIsoMillis(p.session_expires_ms)},
               {"idle_timeout_seconds", ctx.hub.config.session_idle_seconds},
               {"idle_expires_at",
                FormatIsoMillis(std::min(
                    p.session_expires_ms,
                    ctx.NowMillis() + std::int64_t{ctx.hub.config.session_idle_seconds} * 1000))}};
  }
  return JsonResponse(200, {{"user", user},
                            {"agency", AgencyJson(*agency)},
                            {"via", access::AuthMethodName(p.method)},
                            {"capabilities", p.capabilities},
                            {"session", session}});
}

Result<HttpResponse> TotpEnroll(RequestContext& ctx) {
  const std::string secret = crypto::NewTotpSecret();
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) {
    return access::SetPendingTotp(tx, ctx.principal->user_id, secret);
  }));
  return JsonResponse(200, {{"secret", crypto::Base32Encode(secret)},
                            {"uri", crypto::TotpUri(secret, "ncbnet", ctx.principal->user_name)}});
}

Result<HttpResponse> TotpConfirm(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(std::string code, RequiredString(ctx.body, "code", 16));
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(std::optional<access::User> user,
                            access::FindUserById(tx, ctx.principal->user_id));
    if (!user || !user->totp_pending_secret) {
      return Status::FailedPrecondition("no_pending_enrolment", "call /v1/auth/totp/enroll first");
    }
    const auto step =
        crypto::VerifyTotp(*user->totp_pending_secret, code, ctx.NowMillis() / 1000, 0);
    if (!step) return Status::InvalidArgument("invalid_totp", "wrong one-time code");
    return access::ConfirmTotp(tx, user->id, *step);
  }));
  HttpResponse r;
  r.status = 204;
  return r;
}

}  // namespace

void AddAuthRoutes(Router& router) {
  router.Add({.method = "POST",
              .pattern = "/v1/auth/login",
              .access = Access::kPublic,
              .scope = Scope::kOwn,
              .json_body = true,
              .audit_public = true,
              .handler = Login});
  router.Add({.method = "POST",
              .pattern = "/v1/auth/logout",
              .caller = Caller::kSession,
              .scope = Scope::kOwn,
              .handler = Logout});
  router.Add({.method = "GET", .pattern = "/v1/me", .scope = Scope::kOwn, .handler = Me});
  router.Add({.method = "POST",
              .pattern = "/v1/auth/totp/enroll",
              .caller = Caller::kSession,
              .scope = Scope::kOwn,
              .handler = TotpEnroll});
  router.Add({.method = "POST",
              .pattern = "/v1/auth/totp/confirm",
              .caller = Caller::kSession,
              .scope = Scope::kOwn,
              .json_body = true,
              .handler = TotpConfirm});
}

}  // namespace ncbnet::api
