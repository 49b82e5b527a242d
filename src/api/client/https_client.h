// A small synchronous HTTPS client, used by the ncbnet CLI's client subcommands (key, msg) and
// by tests: one keep-alive connection, re-opened when the server closes it, verifying the
// server's certificate against a given CA and host name, and optionally presenting a client
// certificate. Beast and OpenSSL stay in https_client.cc.
//
// Thread safety: none; one client per thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "core/status.h"

namespace ncbnet::api::client {

class HttpsClient {
 public:
  struct Reply {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // names in lower case
  };

  // `client_cert` is {certificate PEM, key PEM}. Nothing is connected yet.
  HttpsClient(std::string host, std::uint16_t port, std::string ca_pem,
              std::optional<std::pair<std::string, std::string>> client_cert = {});
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // Sends one request and reads its reply, connecting first if needed. A request that fails on
  // a reused connection (the server closed it while idle) is retried once on a new one.
  // Errors: kUnavailable with the transport's reason (connect, TLS, read or write failure);
  // kInvalidArgument if the certificates given to the constructor do not load.
  Result<Reply> Request(const std::string& method, const std::string& target,
                        const std::string& body = "",
                        const std::map<std::string, std::string>& headers = {});

  // Replies with a larger body fail with kResourceExhausted "response_too_large" (default
  // 64 MiB; a replica's snapshot is larger).
  void set_max_response_bytes(std::uint64_t bytes);

  // The number of TLS connections opened so far.
  int connections_opened() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ncbnet::api::client
