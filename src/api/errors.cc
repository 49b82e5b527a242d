#include "api/errors.h"

#include <spdlog/spdlog.h>

namespace ncbnet::api {

int HttpStatusFor(const Status& status) {
  // A few refusals have an HTTP status of their own beyond the canonical code's.
  const std::string& r = status.reason();
  if (r == "method_not_allowed") return 405;
  if (r == "unsupported_media_type" || r == "unsupported_image") return 415;
  if (r == "body_too_large" || r == "attachment_too_large" || r == "chunk_too_large" ||
      r == "image_too_large") {
    return 413;
  }
  if (r == "batch_rejected" || r == "notice_incomplete") return 422;
  switch (status.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kDataLoss:
      return 500;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

std::string ClientErrorCode(const Status& status) {
  if (status.code() == StatusCode::kInternal || status.code() == StatusCode::kDataLoss) {
    return "internal";
  }
  return status.reason().empty() ? "error" : status.reason();
}

HttpResponse ErrorResponse(const Status& status, const std::string& request_id) {
  const int http = HttpStatusFor(status);
  const std::string code = ClientErrorCode(status);
  std::string message = status.message();
  if (status.code() == StatusCode::kInternal || status.code() == StatusCode::kDataLoss ||
      status.code() == StatusCode::kUnavailable) {
    spdlog::error("request {} failed: {}", request_id, status.ToString());
    message = status.code() == StatusCode::kUnavailable ? "service unavailable, retry later"
                                                        : "internal error";
  }
  nlohmann::json body = {
      {"error", {{"code", code}, {"message", message}, {"request_id", request_id}}}};
  HttpResponse response = JsonResponse(http, body);
  // The store is busy or out of reach (a failover): nothing was acknowledged, and the same
  // request may be sent again shortly.
  if (status.code() == StatusCode::kUnavailable) response.headers.emplace_back("Retry-After", "1");
  return response;
}

HttpResponse JsonResponse(int http_status, const nlohmann::json& body) {
  HttpResponse r;
  r.status = http_status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace ncbnet::api
