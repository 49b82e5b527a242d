#include "apps/ncbnet/hub_runner.h"

#include <iostream>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "access/agency_keys.h"
#include "access/login_throttle.h"
#include "api/console_files.h"
#include "api/dispatcher.h"
#include "api/http_server.h"
#include "api/routes.h"
#include "apps/ncbnet/clock_check.h"
#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/mla_reminders.h"
#include "apps/ncbnet/network_setup.h"
#include "apps/ncbnet/notice_expiry.h"
#include "apps/ncbnet/other_nodes.h"
#include "apps/ncbnet/output.h"
#include "apps/ncbnet/periodic_task.h"
#include "apps/ncbnet/purge.h"
#include "apps/ncbnet/review_reminders.h"
#include "audit/transparency.h"
#include "core/clock.h"
#include "messaging/hub_messages.h"
#include "records/record_indexes.h"

namespace ncbnet::apps {
namespace {

// The log message as the body of a JSON string: quotes, backslashes and control characters
// escaped, so a message that quotes client input cannot forge a log field or line.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm& /*time*/,
              spdlog::memory_buf_t& dest) override {
    for (const char c : msg.payload) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        dest.push_back('\\');
        dest.push_back(c);
      } else if (u < 0x20) {
        static constexpr char kHex[] = "0123456789abcdef";
        const char esc[] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 15]};
        dest.append(esc, esc + sizeof esc);
      } else {
        dest.push_back(c);
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonEscapedMessage>();
  }
};

api::ServerOptions ServerOptionsFrom(const HubConfig& c, const crypto::KeyAndCert& hub,
                                     const crypto::KeyAndCert& ca) {
  api::ServerOptions o;
  o.listen_address = c.listen_address;
  o.port = c.port;
  o.threads = c.threads;
  o.max_header_bytes = c.max_header_bytes;
  o.max_body_bytes = c.max_body_bytes;
  o.request_timeout_ms = c.request_timeout_ms;
  o.idle_timeout_ms = c.idle_timeout_ms;
  o.max_connections_per_source = c.max_connections_per_source;
  o.max_connections = c.max_connections;
  o.proxy_protocol_from = c.proxy_protocol_from;  // load balancers (docs/deployment.md)
  o.server_cert_pem = hub.cert_pem;
  o.server_key_pem = hub.key_pem;
  o.client_ca_pem = ca.cert_pem;
  // Notices take images of up to 2 MiB as raw bodies: refused above that as image_too_large.
  o.bulk_path_prefixes = {"/v1/checks/", "/v1/records/", "/v1/screening", "/v1/notices/",
                          "/v1/diffusions/"};
  return o;
}

// The hub's messaging key (hub-messaging.key, made if absent), registered to gs in the key
// directory so that its messages verify; registration is audited. The hub does not start
// without it: a hit notification that cannot be signed would fail the check that made it.
Result<crypto::SigningKey> RegisterHubMessagingKey(const DataDir& dir, store::Store& store,
                                                   const crypto::SigningKey& audit_key) {
  NCBNET_ASSIGN_OR_RETURN(crypto::SigningKey hub_key, dir.LoadOrCreateHubMessagingKey());
  NCBNET_RETURN_IF_ERROR(store.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(const bool registered, messaging::EnsureHubKeyRegistered(
                                                       tx, hub_key, SystemClock().NowMillis()));
    if (!registered) return Status::Ok();
    return AuditLocal(tx, audit_key, "key.register", access::KeyIdFor(hub_key.public_key()));
  }));
  return hub_key;
}

// Loads the last snapshot of the record indexes, or reads every record if there is none (or
// it is damaged), then applies the changes committed since.
Status OpenRecordIndexes(records::RecordIndexes& indexes, store::Store& store,
                         const std::string& snapshot_dir) {
  const auto start = std::chrono::steady_clock::now();
  Status loaded = indexes.Load(snapshot_dir);
  if (!loaded.ok()) {
    if (loaded.reason() != "snapshot_missing") {
      spdlog::warn("record index snapshot not used, rebuilding: {}", loaded.ToString());
    }
    NCBNET_RETURN_IF_ERROR(indexes.Build(store));
  } else {
    NCBNET_RETURN_IF_ERROR(indexes.LoadNames(store));
  }
  NCBNET_RETURN_IF_ERROR(indexes.CatchUp(store));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  spdlog::info("record indexes ready in {} ms ({}): {} records, change {}", ms,
               loaded.ok() ? "snapshot" : "rebuilt", indexes.records(), indexes.feed_position());
  return Status::Ok();
}

// The web console's files, read once (api/console_files.h); none when console_dir is unset. The
// public notices page's, from public_dir, answer under /public.
Result<api::ConsoleFiles> LoadConsole(const std::string& dir, const std::string& public_dir) {
  api::ConsoleFiles files;
  if (dir.empty()) {
    spdlog::info("no web console: console_dir is not set");
  } else {
    NCBNET_ASSIGN_OR_RETURN(files, api::ConsoleFiles::Load(dir));
    if (files.built()) {
      spdlog::info("web console: {} files from {}", files.size(), dir);
    } else {
      spdlog::warn("web console not built: no index.html in {} (scripts/demo.sh builds it)", dir);
    }
  }
  if (!public_dir.empty()) {
    NCBNET_ASSIGN_OR_RETURN(api::ConsoleFiles page,
                            api::ConsoleFiles::Load(public_dir, api::ConsoleFiles::kPublicMount));
    if (page.built()) {
      spdlog::info("public notices page at /public: {} files from {}", page.size(), public_dir);
    } else {
      spdlog::warn("public notices page not built: no index.html in {} (console/build.sh)",
                   public_dir);
    }
    files.AddPublicPage(std::move(page));
  }
  return files;
}

}  // namespace

void SetUpLogging(const std::string& level) {
  // Operator messages are text, escaped into a JSON string by the %* flag; the access log's
  // lines are JSON objects already (api/internal/access_log.cc) and are written as they are.
  if (spdlog::get("ncbnet") == nullptr) {
    auto logger = spdlog::stderr_logger_mt("ncbnet");
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<JsonEscapedMessage>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%*"})");
    logger->set_formatter(std::move(formatter));
    spdlog::set_default_logger(logger);
  }
  if (spdlog::get("access") == nullptr) spdlog::stderr_logger_mt("access")->set_pattern("%v");
  spdlog::set_level(spdlog::level::from_str(level));
}

int RunHub(const HubConfig& config,
           const std::function<void(const std::string& url)>& on_listening) {
  SetUpLogging(config.log_level);
  const DataDir dir(config.data_dir, config.store);
  if (!dir.Initialised()) {
    return Fail(Status::FailedPrecondition("not_initialised",
                                           config.data_dir + " holds no network; run ncbnet init"));
  }
  auto store = dir.OpenStore();
  if (!store.ok()) return Fail(store.status());
  if (Status s = CheckClockSkew(SystemClock(), **store, config.max_clock_skew_ms); !s.ok()) {
    return Fail(s);
  }
  auto key = dir.LoadSigningKey();
  if (!key.ok()) return Fail(key.status());
  auto hub_tls = dir.LoadHubTls();
  if (!hub_tls.ok()) return Fail(hub_tls.status());
  auto ca = dir.LoadCa();
  if (!ca.ok()) return Fail(ca.status());
  auto data_key = dir.LoadOrCreateDataKey();  // made here for data directories older than it
  if (!data_key.ok()) return Fail(data_key.status());
  auto hub_message_key = RegisterHubMessagingKey(dir, **store, *key);
  if (!hub_message_key.ok()) return Fail(hub_message_key.status());

  auto index_secret = records::DeriveIndexSecret(data_key->bytes);
  if (!index_secret.ok()) return Fail(index_secret.status());
  if (Status s = SealRecordVersionsOnce(**store, *index_secret, *key); !s.ok()) return Fail(s);
  records::RecordIndexes record_indexes(records::Catalogue::Builtin(), *index_secret);
  const std::string snapshot_dir = config.data_dir + "/indexes";
  if (Status s = OpenRecordIndexes(record_indexes, **store, snapshot_dir); !s.ok()) return Fail(s);

  api::Metrics metrics;
  access::LoginThrottle throttle({config.login_max_failures_per_account,
                                  config.login_max_failures_per_source,
                                  std::int64_t{config.login_lockout_seconds} * 1000});
  api::Wakeups wakeups;
  RateLimiter public_limiter({config.public_requests_per_minute, config.public_burst});
  const OtherNodes other_nodes(**store, record_indexes, wakeups, throttle, public_limiter);
  api::HubServices services{**store, SystemClock(), *key,    throttle, config,
                            metrics, *data_key,     wakeups, {}};
  services.hub_message_key = &*hub_message_key;
  services.ca = &*ca;  // signs agencies' CSRs (issue 5, item 1)
  // The public extracts of notices (issue 6), limited per source across nodes (other_nodes.h).
  services.public_limiter = &public_limiter;
  auto console = LoadConsole(config.console_dir, config.public_dir);
  if (!console.ok()) return Fail(console.status());
  services.console = &*console;
  const api::Router router = api::BuildRouter(config.public_metrics);
  api::Dispatcher dispatcher(services, router);
  api::HttpServer server(ServerOptionsFrom(config, *hub_tls, *ca), dispatcher);
  services.server_stats = [&server] { return server.Stats(); };
  services.record_indexes = &record_indexes;
  services.index_secret = &*index_secret;
  if (Status s = server.Start(); !s.ok()) return Fail(s);
  const std::string host = config.listen_address.find(':') != std::string::npos
                               ? "[" + config.listen_address + "]"
                               : config.listen_address;
  const std::string url = "https://" + host + ":" + std::to_string(server.port());
  std::cout << "ncbnet listening on " << url << std::endl;
  if (on_listening) on_listening(url);
  // The audit log's sequencer (audit/transparency.h): every 200 ms, new entries become leaves
  // of the Merkle tree under a new signed head. Every node runs one; the store's serialised
  // writes let exactly one of them take each batch.
  std::string last_sequencer_error;
  const PeriodicTask sequencer(std::chrono::milliseconds(200), [&] {
    for (;;) {
      const Result<audit::Sequenced> done =
          audit::SequenceBatch(**store, *key, SystemClock().NowMillis());
      if (!done.ok()) {
        if (done.status().ToString() != last_sequencer_error) {
          last_sequencer_error = done.status().ToString();
          spdlog::error("audit sequencer: {}", last_sequencer_error);
        }
        return;
      }
      last_sequencer_error.clear();
      if (done->entries < audit::kMaxSequenceBatch) return;
    }
  });
  // Retention: expired messages are purged every minute, each purge audited.
  const PurgeTimer purge_timer(**store, *key, SystemClock());
  // Review reminders: every hour, owners hear of records due within 30 days (hits/reminders.h).
  const PeriodicTask reminders(std::chrono::hours(1), [&] {
    const Result<int> sent =
        SendAllReviewReminders(**store, *key, *data_key, *hub_message_key, SystemClock());
    if (!sent.ok()) {
      spdlog::error("review reminders failed: {}", sent.status().ToString());
    } else if (*sent > 0) {
      spdlog::info("sent {} review reminder message(s)", *sent);
    }
  });
  // Notices past their expiry are marked expired and their records cancelled (issue 6).
  const notices::Keys notice_keys{*data_key, *hub_message_key, *index_secret};
  const PeriodicTask expiry(std::chrono::hours(1), [&] {
    const Result<int> expired =
        ExpireAllNotices(**store, *key, notice_keys, record_indexes, SystemClock());
    if (!expired.ok()) {
      spdlog::error("notice expiry failed: {}", expired.status().ToString());
    } else if (*expired > 0) {
      spdlog::info("{} notice(s) expired", *expired);
    }
  });
  // MLA deadlines: every hour, the requested side hears of requests due soon or overdue
  // (mla/reminders.h).
  const PeriodicTask mla_reminders(std::chrono::hours(1), [&] {
    const Result<mla::ReminderResult> sent =
        SendAllMlaReminders(**store, *key, *data_key, *hub_message_key, SystemClock());
    if (!sent.ok()) {
      spdlog::error("MLA deadline reminders failed: {}", sent.status().ToString());
    } else if (sent->due_soon + sent->overdue > 0) {
      spdlog::info("sent {} MLA deadline reminder(s)", sent->due_soon + sent->overdue);
    }
  });
  std::int64_t saved_at = record_indexes.feed_position();
  auto save_indexes = [&] {
    if (record_indexes.feed_position() == saved_at) return;
    saved_at = record_indexes.feed_position();
    if (Status s = record_indexes.Save(snapshot_dir); !s.ok()) {
      spdlog::error("record index snapshot failed: {}", s.ToString());
    }
  };
  {
    const PeriodicTask snapshots(std::chrono::minutes(5), save_indexes);
    server.RunUntilSignal();
  }
  save_indexes();  // a restart then loads it instead of reading every record
  spdlog::info("hub stopped");
  return 0;
}

}  // namespace ncbnet::apps
