#include "apps/ncbnet/client_flags.h"

#include <cctype>
#include <charconv>
#include <iostream>
#include <thread>

#include "apps/ncbnet/client_retry.h"
#include "apps/ncbnet/data_dir.h"
#include "core/json.h"
#include "crypto/encoding.h"
#include "crypto/random.h"

namespace ncbnet::apps {
namespace {

// "https://HOST[:PORT][/]", HOST a name, an IPv4 address or a bracketed IPv6 address.
Result<HubAddress> ParseUrl(const std::string& url) {
  const Status invalid =
      Status::InvalidArgument("invalid_url", "--url must look like https://127.0.0.1:8443");
  constexpr std::string_view kScheme = "https://";
  std::string_view rest(url);
  if (rest.substr(0, kScheme.size()) != kScheme) return invalid;
  rest.remove_prefix(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos) return invalid;
  HubAddress e;
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) return invalid;
    e.host = std::string(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
    if (!rest.empty() && rest.front() != ':') return invalid;
    if (!rest.empty()) port = rest.substr(1);
  } else {
    const std::size_t colon = rest.find(':');
    e.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port = rest.substr(colon + 1);
  }
  if (e.host.empty()) return invalid;
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return invalid;
    }
    e.port = static_cast<std::uint16_t>(value);
  }
  return e;
}

StatusCode CodeForHttp(int status) {
  switch (status) {
    case 400:
    case 413:
    case 415:
      return StatusCode::kInvalidArgument;
    case 401:
      return StatusCode::kUnauthenticated;
    case 403:
      return StatusCode::kPermissionDenied;
    case 404:
      return StatusCode::kNotFound;
    case 409:
      return StatusCode::kAlreadyExists;
    case 429:
      return StatusCode::kResourceExhausted;
    case 503:
      return StatusCode::kUnavailable;
    default:
      return StatusCode::kInternal;
  }
}

bool IsWrite(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "DELETE";
}

// 128 random bits: a key no other intended change of this caller will have.
std::string NewIdempotencyKey() { return "cli-" + crypto::HexEncode(crypto::RandomBytes(16)); }

std::chrono::milliseconds Jitter() {
  const std::string bytes = crypto::RandomBytes(2);
  const unsigned value =
      static_cast<unsigned char>(bytes[0]) * 256U + static_cast<unsigned char>(bytes[1]);
  return std::chrono::milliseconds(value % (kMaxJitter.count() + 1));
}

// The error code of a hub's JSON error body, or "" if it has none.
std::string ErrorCode(const std::string& body) {
  const nlohmann::json parsed = ParseJson(body);
  if (!parsed.is_object()) return "";
  const auto error = parsed.find("error");
  if (error == parsed.end() || !error->is_object()) return "";
  const auto code = error->find("code");
  return code != error->end() && code->is_string() ? code->get<std::string>() : "";
}

// What failed in an attempt, or nullopt if it got an answer other than 503; `detail` says what
// for the user.
std::optional<FailedAttempt> FailureOf(const Result<api::client::HttpsClient::Reply>& reply,
                                       int retries, std::string& detail) {
  FailedAttempt failed{.retries_so_far = retries};
  if (!reply.ok()) {
    const Status status = reply.status();
    if (status.code() != StatusCode::kUnavailable) return std::nullopt;
    failed.reason = status.reason();
    detail = status.reason() + ": " + status.message();
    return failed;
  }
  if (reply->status != 503) return std::nullopt;
  failed.http_status = 503;
  const auto retry_after = reply->headers.find("retry-after");
  if (retry_after != reply->headers.end()) failed.retry_after = retry_after->second;
  detail = ErrorCode(reply->body);
  if (detail.empty()) detail = "HTTP 503";
  return failed;
}

}  // namespace

void AddClientFlags(CLI::App* cmd, ClientFlags& flags) {
  cmd->add_option("--url", flags.url, "The hub, e.g. https://127.0.0.1:8443")->required();
  cmd->add_option("--ca", flags.ca, "The network CA's certificate (PEM), e.g. data-demo/ca.crt")
      ->required();
  cmd->add_option("--token", flags.token, "Bearer token from /v1/auth/login")
      ->envname("NCBNET_TOKEN");
  cmd->add_option("--cert", flags.cert, "Client certificate (PEM), instead of a token");
  cmd->add_option("--cert-key", flags.cert_key, "The client certificate's key (PEM)");
  cmd->add_option("--retry-for", flags.retry_for,
                  "Seconds to keep retrying while the hub is unavailable (0: never; default 30)")
      ->envname("NCBNET_RETRY_FOR")
      ->check(CLI::Range(0, 3600));
}

Result<HubAddress> LoadHubAddress(const ClientFlags& flags) {
  NCBNET_ASSIGN_OR_RETURN(HubAddress a, ParseUrl(flags.url));
  NCBNET_ASSIGN_OR_RETURN(a.ca_pem, ReadFile(flags.ca));
  if (flags.cert.empty() != flags.cert_key.empty()) {
    return Status::InvalidArgument("missing_credentials", "--cert and --cert-key go together");
  }
  if (!flags.cert.empty()) {
    // With a certificate the hub ignores any token; sending none keeps requests unambiguous.
    NCBNET_ASSIGN_OR_RETURN(std::string cert_pem, ReadFile(flags.cert));
    NCBNET_ASSIGN_OR_RETURN(std::string key_pem, ReadFile(flags.cert_key));
    a.client_cert.emplace(std::move(cert_pem), std::move(key_pem));
  } else if (flags.token.empty()) {
    return Status::InvalidArgument("missing_credentials",
                                   "give --token (or NCBNET_TOKEN) or --cert and --cert-key");
  } else {
    a.token = flags.token;
  }
  return a;
}

Result<HubClient> HubClient::Connect(const ClientFlags& flags) {
  NCBNET_ASSIGN_OR_RETURN(HubAddress hub, LoadHubAddress(flags));
  auto client = std::make_unique<api::client::HttpsClient>(hub.host, hub.port,
                                                           std::move(hub.ca_pem), hub.client_cert);
  return HubClient(std::move(client), hub.token, std::chrono::seconds(flags.retry_for));
}

Result<api::client::HttpsClient::Reply> HubClient::Send(
    const std::string& method, const std::string& target, const std::string& body,
    std::map<std::string, std::string> headers) {
  if (IsWrite(method)) headers["Idempotency-Key"] = NewIdempotencyKey();
  const auto start = std::chrono::steady_clock::now();
  for (int retries = 0;; ++retries) {
    Result<api::client::HttpsClient::Reply> reply = client_->Request(method, target, body, headers);
    std::string detail;
    const std::optional<FailedAttempt> failed = FailureOf(reply, retries, detail);
    if (!failed) {
      if (retries > 0 && reply.ok() && reply->status == 409 &&
          ErrorCode(reply->body) == "idempotency_in_doubt") {
        std::cerr << "ncbnet: the hub may have done this change before its answer was lost; "
                     "look at the result before sending it again\n";
      }
      return reply;
    }
    const auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    const std::optional<std::chrono::milliseconds> wait =
        RetryDelay(*failed, method, target, retry_budget_, spent, Jitter());
    if (!wait) return reply;
    std::cerr << "ncbnet: " << RetryNotice(*failed, detail, *wait) << std::endl;
    std::this_thread::sleep_for(*wait);
  }
}

Result<HubClient::Reply> HubClient::Call(const std::string& method, const std::string& target,
                                         const nlohmann::json& body) {
  std::map<std::string, std::string> headers = {{"Accept", "application/json"}};
  if (!token_.empty()) headers["Authorization"] = "Bearer " + token_;
  const std::string payload = body.is_null() ? std::string() : body.dump();
  NCBNET_ASSIGN_OR_RETURN(api::client::HttpsClient::Reply http,
                          Send(method, target, payload, std::move(headers)));
  Reply reply;
  reply.status = http.status;
  reply.raw = std::move(http.body);
  reply.body = ParseJson(reply.raw);
  if (reply.body.is_discarded()) reply.body = nullptr;
  return reply;
}

Result<HubClient::RawReply> HubClient::CallRaw(const std::string& method, const std::string& target,
                                               const std::string& body,
                                               const std::string& content_type) {
  std::map<std::string, std::string> headers;
  if (!token_.empty()) headers["Authorization"] = "Bearer " + token_;
  if (!content_type.empty()) headers["Content-Type"] = content_type;
  NCBNET_ASSIGN_OR_RETURN(api::client::HttpsClient::Reply http,
                          Send(method, target, body, std::move(headers)));
  return RawReply{http.status, std::move(http.body), std::move(http.headers)};
}

Result<HubClient::Reply> HubClient::CallOk(const std::string& method, const std::string& target,
                                           const nlohmann::json& body) {
  NCBNET_ASSIGN_OR_RETURN(Reply reply, Call(method, target, body));
  if (reply.status >= 400) return StatusFromReply(reply);
  if (!reply.body.is_object()) {
    return Status::Internal("invalid_reply", "the hub's reply is not a JSON object");
  }
  return reply;
}

Status StatusFromReply(const HubClient::Reply& reply) {
  std::string code = "http_" + std::to_string(reply.status);
  std::string message = "the hub answered HTTP " + std::to_string(reply.status);
  const nlohmann::json& b = reply.body;
  if (b.is_object() && b.contains("error") && b["error"].is_object()) {
    const nlohmann::json& e = b["error"];
    if (e.contains("code") && e["code"].is_string()) code = e["code"].get<std::string>();
    if (e.contains("message") && e["message"].is_string()) {
      message = e["message"].get<std::string>();
    }
  }
  return {CodeForHttp(reply.status), std::move(code), std::move(message)};
}

std::string QueryEscape(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out += {'%', kHex[u >> 4], kHex[u & 15]};
    }
  }
  return out;
}

}  // namespace ncbnet::apps
