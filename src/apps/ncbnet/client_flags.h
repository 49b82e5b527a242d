// The flags shared by the client subcommands (`ncbnet key register|list`, `ncbnet msg ...`),
// which talk to a running hub over HTTPS, and the client they build:
//   --url https://HOST:PORT   the hub
//   --ca FILE                 the network CA's certificate (PEM), to verify the hub
//   --token TOKEN             a bearer token from /v1/auth/login (or env NCBNET_TOKEN), or
//   --cert FILE --cert-key FILE   an agency system's client certificate and key (PEM)
//   --retry-for SECONDS       how long to keep retrying while the hub is unavailable (or env
//                             NCBNET_RETRY_FOR; default 30, 0 never retries; client_retry.h)
//
// Every write HubClient sends carries a fresh random Idempotency-Key, kept across its retries,
// so that a write resent after a lost answer is done once.
// Thread safety: none; one HubClient per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "api/client/https_client.h"
#include "core/status.h"

namespace ncbnet::apps {

struct ClientFlags {
  std::string url;
  std::string ca;
  std::string token;
  std::string cert;
  std::string cert_key;
  int retry_for = 30;  // seconds
};

// Adds the flags above to `cmd`, writing into `flags` (which must outlive parsing).
void AddClientFlags(CLI::App* cmd, ClientFlags& flags);

// Where the hub is and how to prove who we are, read from the client flags: for clients other
// than HubClient (the WebSocket of `msg watch`). Errors as for HubClient::Connect().
struct HubAddress {
  std::string host;
  std::uint16_t port = 443;
  std::string ca_pem;
  std::optional<std::pair<std::string, std::string>> client_cert;  // {cert PEM, key PEM}
  std::string token;  // empty when a client certificate is used
};
Result<HubAddress> LoadHubAddress(const ClientFlags& flags);

// A hub's JSON API over one HTTPS connection.
class HubClient {
 public:
  // Reads the CA (and client certificate) files and parses the URL. Errors: kInvalidArgument
  // "invalid_url" or "missing_credentials"; kNotFound "file_missing".
  static Result<HubClient> Connect(const ClientFlags& flags);

  // NOLINTNEXTLINE(bugprone-exception-escape): nlohmann::json's destructor may allocate.
  struct Reply {
    int status = 0;
    nlohmann::json body;  // the parsed body; null if it was not JSON
    std::string raw;      // the body as received
  };

  // Sends one request (`body` as JSON unless null) and returns the reply, whatever its status.
  // While the hub answers 503 or cannot be reached, the request is sent again within the retry
  // budget (client_retry.h), each wait told on stderr; the last attempt's outcome is returned.
  // Errors: kUnavailable on a transport failure (nothing was answered).
  Result<Reply> Call(const std::string& method, const std::string& target,
                     const nlohmann::json& body = nullptr);

  // Raw bytes both ways, for attachments: `body` is sent as `content_type` (unless empty), and
  // the reply's body is kept as bytes with its headers (names in lower case). Errors as Call().
  struct RawReply {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;
  };
  Result<RawReply> CallRaw(const std::string& method, const std::string& target,
                           const std::string& body = "", const std::string& content_type = "");

  // Replies with a larger body fail (default 64 MiB): for downloads known to be larger.
  void set_max_response_bytes(std::uint64_t bytes) { client_->set_max_response_bytes(bytes); }

  // As Call(), but a reply of 400 or more becomes its Status: the error's code as the reason and
  // its message, so `ncbnet: <code>: <message>` reads as the hub said it.
  Result<Reply> CallOk(const std::string& method, const std::string& target,
                       const nlohmann::json& body = nullptr);

 private:
  HubClient(std::unique_ptr<api::client::HttpsClient> client, std::string token,
            std::chrono::milliseconds retry_budget)
      : client_(std::move(client)), token_(std::move(token)), retry_budget_(retry_budget) {}

  // One request with its retries; writes get their Idempotency-Key here.
  Result<api::client::HttpsClient::Reply> Send(const std::string& method, const std::string& target,
                                               const std::string& body,
                                               std::map<std::string, std::string> headers);

  std::unique_ptr<api::client::HttpsClient> client_;
  std::string token_;
  std::chrono::milliseconds retry_budget_;
};

// RFC 3986 percent-encoding of a query value: everything but the unreserved characters.
std::string QueryEscape(std::string_view value);

// The Status a hub's error reply stands for (its code and message).
Status StatusFromReply(const HubClient::Reply& reply);

}  // namespace ncbnet::apps
