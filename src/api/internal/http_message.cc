#include "api/internal/http_message.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include <boost/beast/http/field.hpp>

#include "api/internal/access_log.h"

namespace ncbnet::api::internal {
namespace {

namespace http = boost::beast::http;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A handler's header must not smuggle a second header or a body into the response.
std::string StripLineBreaks(std::string text) {
  text.erase(
      std::remove_if(text.begin(), text.end(), [](char c) { return c == '\r' || c == '\n'; }),
      text.end());
  return text;
}

void SetSecurityHeaders(BeastResponse& response) {
  response.set(http::field::server, "ncbnet");
  response.set(http::field::strict_transport_security, "max-age=31536000");
  response.set("X-Content-Type-Options", "nosniff");
  response.set(http::field::cache_control, "no-store");
  // An API answer is data, never a page: it may load nothing and be framed by no one. The
  // console's pages send their own policy (api/console_files.h).
  response.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  response.set("Referrer-Policy", "no-referrer");
  response.set(http::field::x_frame_options, "DENY");
}

}  // namespace

void FillRequestHead(const BeastRequest& message, HttpRequest& request) {
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  const std::size_t question = request.target.find('?');
  request.path = request.target.substr(0, question);
  request.query = question == std::string::npos ? "" : request.target.substr(question + 1);
  for (const auto& field : message) {
    request.headers[Lower(std::string(field.name_string()))] = std::string(field.value());
  }
}

BeastResponse ToBeastResponse(HttpResponse response, unsigned version, bool keep_alive,
                              const std::string& request_id) {
  const bool valid_status = response.status >= 100 && response.status <= 599;
  BeastResponse out{static_cast<http::status>(valid_status ? response.status : 500), version};
  SetSecurityHeaders(out);
  out.set(http::field::content_type, StripLineBreaks(std::move(response.content_type)));
  // The handler may override a default (say, the console's own Content-Security-Policy).
  // Framing and the request id stay the server's.
  for (auto& [name, value] : response.headers) {
    std::string clean_name = StripLineBreaks(std::move(name));
    const std::string lower = Lower(clean_name);
    if (clean_name.empty() || lower == "content-length" || lower == "transfer-encoding" ||
        lower == "connection" || lower == "x-request-id") {
      continue;
    }
    out.set(clean_name, StripLineBreaks(std::move(value)));
  }
  out.set("X-Request-Id", request_id);
  out.body() = std::move(response.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

BeastResponse ErrorResponse(int status, std::string_view code, std::string_view message,
                            unsigned version, const std::string& request_id) {
  HttpResponse response;
  response.status = status;
  response.body = ErrorBody(code, message, request_id);
  return ToBeastResponse(std::move(response), version, /*keep_alive=*/false, request_id);
}

}  // namespace ncbnet::api::internal
