// Conversions between Beast's messages and the plain types of api/http_types.h, and the
// headers every response carries.
//
// Thread safety: free functions on values.
#pragma once

#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "api/http_types.h"

namespace ncbnet::api::internal {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Copies what `message` holds into `request` (method, target, path, query, headers with
// lower-case names). Leaves the other fields alone. Works on a partly parsed message too.
void FillRequestHead(const BeastRequest& message, HttpRequest& request);

// `response` as a Beast message for an HTTP/`version` client: the handler's headers, then the
// server's own (Server, security headers, X-Request-Id), Connection per `keep_alive`.
BeastResponse ToBeastResponse(HttpResponse response, unsigned version, bool keep_alive,
                              const std::string& request_id);

// A refusal: {"error":{...}} with Connection: close.
BeastResponse ErrorResponse(int status, std::string_view code, std::string_view message,
                            unsigned version, const std::string& request_id);

}  // namespace ncbnet::api::internal
