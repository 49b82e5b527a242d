// Whole requests through the real dispatcher and every handler, on a real SQLite store holding
// a small network with record indexes: method, path, headers and body all come from the input.
// Whatever arrives, the answer is a well-formed HTTP status with a JSON error body, never a 500,
// and nothing crashes (a JSON body nested 10,000 levels deep used to overflow the stack).
//
// Input layout: an optional first line "@gs", "@fra" or "@deu" (the request then carries a
// session of that agency's user, so it reaches the handlers behind authentication), lines
// "METHOD PATH", then "Header: value" lines, a blank line, then the body.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "access/login_throttle.h"
#include "access/network.h"
#include "access/sessions.h"
#include "access/users.h"
#include "api/dispatcher.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "core/check.h"
#include "core/clock.h"
#include "core/config.h"
#include "crypto/sign.h"
#include "messaging/hub_messages.h"
#include "records/catalogue.h"
#include "records/record_indexes.h"
#include "store/sqlite/sqlite_store.h"

namespace {

struct Hub {
  Hub() {
    dir = std::filesystem::temp_directory_path() /
          ("ncbnet-dispatcher-fuzz-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    static const std::filesystem::path* const cleanup = new std::filesystem::path(dir);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(*cleanup, ec);
    });
    auto s = ncbnet::store::OpenSqliteStore((dir / "fuzz.db").string());
    NCBNET_CHECK(s.ok(), "open store");
    store = std::move(s).value();
    ncbnet::access::NetworkSpec spec{
        {{"FRA", "France"}, {"DEU", "Germany"}}, "gs.admin", "$argon2id$invalid"};
    const std::int64_t now = ncbnet::SystemClock().NowMillis();
    NCBNET_CHECK(
        store
            ->Write([&](ncbnet::store::Transaction& tx) -> ncbnet::Status {
              NCBNET_RETURN_IF_ERROR(ncbnet::access::CreateNetwork(tx, spec, 0));
              NCBNET_RETURN_IF_ERROR(ncbnet::audit::Anchor(tx, key));
              NCBNET_RETURN_IF_ERROR(
                  ncbnet::messaging::EnsureHubKeyRegistered(tx, hub_message_key, now).status());
              for (const char* agency : {"gs", "ncb-fra", "ncb-deu"}) {
                NCBNET_ASSIGN_OR_RETURN(
                    ncbnet::access::User user,
                    ncbnet::access::InsertUser(tx, agency, std::string("fuzz.") + agency, "Fuzz",
                                               "$argon2id$invalid", now));
                NCBNET_ASSIGN_OR_RETURN(
                    ncbnet::access::NewSession s,
                    ncbnet::access::OpenSession(tx, user.id, agency, now, 1LL << 40));
                tokens[agency] = s.token;
              }
              return ncbnet::Status::Ok();
            })
            .ok(),
        "create network");
    auto derived = ncbnet::records::DeriveIndexSecret(std::string(32, 'K'));
    NCBNET_CHECK(derived.ok(), "index secret");
    secret = *derived;
    indexes = std::make_unique<ncbnet::records::RecordIndexes>(
        ncbnet::records::Catalogue::Builtin(), secret);
    NCBNET_CHECK(indexes->Build(*store).ok(), "indexes");
    config.max_body_bytes = 1 << 20;
    services = std::make_unique<ncbnet::api::HubServices>(ncbnet::api::HubServices{
        *store, ncbnet::SystemClock(), key, throttle, config, metrics, data_key, wakeups, {}});
    services->hub_message_key = &hub_message_key;
    services->record_indexes = indexes.get();
    services->index_secret = &secret;
    router = ncbnet::api::BuildRouter(false);
    dispatcher = std::make_unique<ncbnet::api::Dispatcher>(*services, router);
  }

  std::filesystem::path dir;
  std::unique_ptr<ncbnet::store::Store> store;
  std::map<std::string, std::string> tokens;  // agency id -> a session of its user
  ncbnet::records::IndexSecret secret;
  std::unique_ptr<ncbnet::records::RecordIndexes> indexes;
  ncbnet::crypto::SigningKey key = ncbnet::crypto::SigningKey::Generate();
  ncbnet::crypto::SigningKey hub_message_key = ncbnet::crypto::SigningKey::Generate();
  ncbnet::access::LoginThrottle throttle{{}};
  ncbnet::HubConfig config;
  ncbnet::api::Metrics metrics;
  ncbnet::messaging::DataKey data_key{std::string(32, 'k')};
  ncbnet::api::Wakeups wakeups;
  std::unique_ptr<ncbnet::api::HubServices> services;
  ncbnet::api::Router router;
  std::unique_ptr<ncbnet::api::Dispatcher> dispatcher;
};

// The request; `with_session` tells whether a session of the hub's users was attached.
ncbnet::api::HttpRequest ParseInput(std::string_view in, const Hub& hub, bool& with_session) {
  ncbnet::api::HttpRequest req;
  std::string token;
  for (const auto& [prefix, agency] :
       {std::pair{"@gs\n", "gs"}, std::pair{"@fra\n", "ncb-fra"}, std::pair{"@deu\n", "ncb-deu"}}) {
    if (in.starts_with(prefix)) {
      token = hub.tokens.at(agency);
      in.remove_prefix(std::string_view(prefix).size());
    }
  }
  req.request_id = "req_fuzz";
  req.source_ip = "127.0.0.1";
  auto next_line = [&in]() {
    const std::size_t nl = in.find('\n');
    std::string_view line = in.substr(0, nl);
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    return line;
  };
  const std::string_view first = next_line();
  const std::size_t sp = first.find(' ');
  req.method = std::string(first.substr(0, sp));
  req.target = sp == std::string_view::npos ? "/" : std::string(first.substr(sp + 1));
  const std::size_t q = req.target.find('?');
  req.path = req.target.substr(0, q);
  req.query = q == std::string::npos ? "" : req.target.substr(q + 1);
  for (std::string_view line = next_line(); !line.empty(); line = next_line()) {
    const std::size_t colon = line.find(": ");
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers[name] = std::string(line.substr(colon + 2));
  }
  req.body = std::string(in);
  // A session replaces whatever Authorization header the input carried.
  with_session = !token.empty();
  if (with_session) req.headers["authorization"] = "Bearer " + token;
  return req;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Hub* const hub = new Hub();
  if (size > (1 << 20)) return 0;
  bool with_session = false;
  const ncbnet::api::HttpRequest req =
      ParseInput(std::string_view(reinterpret_cast<const char*>(data), size), *hub, with_session);
  const ncbnet::api::HttpResponse resp = hub->dispatcher->Handle(req);
  NCBNET_CHECK(resp.status >= 200 && resp.status < 600, "a real HTTP status");
  NCBNET_CHECK(resp.status != 500, "client input must not cause an internal error");
  // Keeps the harness honest: a session input reaches the handlers, not the 401 at the door.
  NCBNET_CHECK(!with_session || resp.status != 401, "a session input authenticates");
  if (resp.status >= 400) {
    const auto body = nlohmann::json::parse(resp.body, nullptr, false);
    NCBNET_CHECK(body.is_object() && body.contains("error"), "errors have a JSON body");
  }
  return 0;
}
