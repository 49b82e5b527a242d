// The one place where a Status becomes an HTTP status and a JSON error body:
//   {"error": {"code": "<stable snake_case code>", "message": "<text>", "request_id": "req_..."}}
// Internal failures (kInternal, kDataLoss, kUnavailable) are answered with generic text; their
// detail goes only to the operator's log.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "api/http_types.h"
#include "core/status.h"

namespace ncbnet::api {

int HttpStatusFor(const Status& status);

HttpResponse ErrorResponse(const Status& status, const std::string& request_id);

// The "code" ErrorResponse() sends for `status`: its reason, or "internal" for internal
// failures.
std::string ClientErrorCode(const Status& status);

HttpResponse JsonResponse(int http_status, const nlohmann::json& body);

}  // namespace ncbnet::api
