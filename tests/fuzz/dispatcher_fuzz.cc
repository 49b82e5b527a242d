// Whole requests through the real dispatcher, on a real SQLite store holding a small network:
// method, path, headers and body all come from the input. Whatever arrives, the answer is a
// well-formed HTTP status with a JSON error body, and nothing crashes.
//
// Input layout: lines "METHOD PATH", then "Header: value" lines, a blank line, then the body.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "access/login_throttle.h"
#include "access/network.h"
#include "api/dispatcher.h"
#include "api/routes.h"
#include "core/check.h"
#include "core/clock.h"
#include "core/config.h"
#include "crypto/sign.h"
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
    ncbnet::access::NetworkSpec spec{{{"FRA", "France"}}, "gs.admin", "$argon2id$invalid"};
    NCBNET_CHECK(store
                     ->Write([&](ncbnet::store::Transaction& tx) {
                       return ncbnet::access::CreateNetwork(tx, spec, 0);
                     })
                     .ok(),
                 "create network");
    config.max_body_bytes = 1 << 16;
    services = std::make_unique<ncbnet::api::HubServices>(ncbnet::api::HubServices{
        *store, ncbnet::SystemClock(), key, throttle, config, metrics, data_key, wakeups, {}});
    services->hub_message_key = &hub_message_key;
    router = ncbnet::api::BuildRouter(false);
    dispatcher = std::make_unique<ncbnet::api::Dispatcher>(*services, router);
  }

  std::filesystem::path dir;
  std::unique_ptr<ncbnet::store::Store> store;
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

ncbnet::api::HttpRequest ParseInput(std::string_view in) {
  ncbnet::api::HttpRequest req;
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
  return req;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Hub* const hub = new Hub();
  if (size > (1 << 16)) return 0;
  const ncbnet::api::HttpRequest req =
      ParseInput(std::string_view(reinterpret_cast<const char*>(data), size));
  const ncbnet::api::HttpResponse resp = hub->dispatcher->Handle(req);
  NCBNET_CHECK(resp.status >= 200 && resp.status < 600, "a real HTTP status");
  NCBNET_CHECK(resp.status != 500, "client input must not cause an internal error");
  if (resp.status >= 400) {
    const auto body = nlohmann::json::parse(resp.body, nullptr, false);
    NCBNET_CHECK(body.is_object() && body.contains("error"), "errors have a JSON body");
  }
  return 0;
}
