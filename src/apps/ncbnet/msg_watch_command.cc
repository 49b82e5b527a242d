// ncbnet msg watch: follows the agency's mailbox as it changes (issue 3, live push), over a
// WebSocket (GET /v1/mailbox/stream) or, where WebSockets are blocked, by long polling
// (GET /v1/mailbox?wait=S). Prints each event as it arrives and remembers its cursor, in memory
// and with --cursor-file on disk, so that after a dropped connection, or in the next run, it
// resumes from there: no event missed, none shown twice. An error from the hub (a revoked token,
// a removed grant, a bad cursor) ends it with exit status 1, as for the other msg subcommands;
// a lost connection does not: it reconnects with backoff.
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "api/client/https_client.h"
#include "api/client/websocket_client.h"
#include "apps/ncbnet/client_flags.h"
#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/output.h"
#include "core/json.h"

namespace ncbnet::apps {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr milliseconds kFirstBackoff{500};
constexpr milliseconds kMaxBackoff{30'000};
// The hub holds a long poll this long. HttpsClient gives a whole exchange 10 s, so a longer
// wait would be cut by the client itself.
constexpr int kLongPollWaitSeconds = 8;
constexpr int kLongPollLimit = 100;
// A quiet feed is dropped and reopened after this long, so that a hub that vanished without
// closing the connection is noticed (WebSocketClient does not report the hub's pings).
constexpr milliseconds kQuietReconnect{10 * 60 * 1000};

struct WatchFlags {
  ClientFlags client;
  std::optional<std::int64_t> after;
  std::string cursor_file;
  std::int64_t count = 0;  // 0: until stopped
  bool long_poll = false;
  bool json = false;
};

// A string field of an untrusted object; "" when absent or not a string.
std::string Text(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? Printable(it->get<std::string>()) : "";
}

// "12  message  msg_...  from ncb-fra  [urgent]  Subject" or "13  receipt  msg_...  ncb-deu read".
void PrintLine(const json& e, std::int64_t cursor) {
  const std::string kind = Text(e, "kind");
  std::cout << cursor << "  " << kind << "  " << Text(e, "message_id");
  const auto detail = e.find(kind);
  if (kind == "message" && detail != e.end() && detail->is_object()) {
    std::cout << "  from " << Text(*detail, "sender_agency") << "  [" << Text(*detail, "priority")
              << "]  " << Text(*detail, "subject");
  } else if (kind == "receipt" && detail != e.end() && detail->is_object()) {
    std::cout << "  " << Text(*detail, "agency_id") << " " << Text(*detail, "state");
  }
  std::cout << std::endl;
}

// The Status an error body stands for: {"error": {"code": ..., "message": ...}}.
Status HubError(const json& body, int http_status) {
  if (http_status > 0) return StatusFromReply({http_status, body, ""});
  const json e = body.is_object() ? body.value("error", json()) : json();
  const std::string code = e.is_object() ? Text(e, "code") : "";
  const std::string message = e.is_object() ? Text(e, "message") : "";
  return Status::PermissionDenied(code.empty() ? "feed_refused" : code,
                                  message.empty() ? "the hub ended the feed" : message);
}

bool Transient(int http_status) { return http_status == 429 || http_status >= 500; }

Result<std::optional<std::int64_t>> LoadCursor(const std::string& path) {
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0) return std::optional<std::int64_t>();
  NCBNET_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.pop_back();
  }
  std::int64_t cursor = -1;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), cursor);
  if (ec != std::errc() || end != text.data() + text.size() || cursor < 0) {
    return Status::InvalidArgument("invalid_cursor_file",
                                   path + " must hold one cursor, a non-negative integer");
  }
  return std::optional<std::int64_t>(cursor);
}

// The cursor file is replaced atomically: after a crash it holds the old cursor or the new
// one, never a torn one.
Status SaveCursor(const std::string& path, std::int64_t cursor) {
  return ReplaceFile(path, std::to_string(cursor) + "\n");
}

// SIGINT and SIGTERM end the watch at once, but never halfway through an event's line or its
// cursor file: a thread waits for them and takes the output lock before it exits.
void ExitOnSignal(std::shared_ptr<std::mutex> output) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  if (pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) return;  // default handling remains
  std::thread([set, output = std::move(output)] {
    int signal = 0;
    if (sigwait(&set, &signal) != 0) return;
    output->lock();  // held until exit
    std::cout.flush();
    std::_Exit(0);
  }).detach();
}

// How one connection (or one long poll) ended, when the watch goes on.
struct Attempt {
  bool done = false;       // --count events shown
  bool connected = false;  // the hub answered: the backoff starts again from its first step
  std::string lost;        // why the connection was lost; empty if nothing was lost
};

class Watcher {
 public:
  Watcher(const WatchFlags& flags, HubAddress hub, std::int64_t cursor,
          std::shared_ptr<std::mutex> output)
      : flags_(flags), hub_(std::move(hub)), cursor_(cursor), output_(std::move(output)) {}

  // Until --count events, an error answered by the hub or a signal (which exits the process).
  Status Run() {
    api::client::WebSocketClient ws(hub_.host, hub_.port, hub_.ca_pem, hub_.client_cert);
    api::client::HttpsClient https(hub_.host, hub_.port, hub_.ca_pem, hub_.client_cert);
    milliseconds backoff = kFirstBackoff;
    for (;;) {
      NCBNET_ASSIGN_OR_RETURN(const Attempt a, flags_.long_poll ? Poll(https) : Stream(ws));
      if (a.done) return Status::Ok();
      if (a.connected) backoff = kFirstBackoff;
      if (a.lost.empty()) continue;  // a long poll was answered: ask again at once
      std::cerr << "ncbnet: watch: " << a.lost << "; reconnecting after cursor " << cursor_
                << " in " << static_cast<double>(backoff.count()) / 1000 << " s" << std::endl;
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, kMaxBackoff);
    }
  }

 private:
  std::map<std::string, std::string> Headers() const {
    std::map<std::string, std::string> headers = {{"Accept", "application/json"}};
    if (!hub_.client_cert) headers["Authorization"] = "Bearer " + hub_.token;
    return headers;
  }

  Result<Attempt> Stream(api::client::WebSocketClient& ws) {
    const Status connected =
        ws.Connect("/v1/mailbox/stream?after=" + std::to_string(cursor_), Headers());
    if (connected.reason() == "upgrade_refused") return Refused(connected.message());
    if (connected.code() == StatusCode::kUnavailable) {
      return Attempt{false, false, connected.reason() + ": " + connected.message()};
    }
    NCBNET_RETURN_IF_ERROR(connected);
    std::optional<Status> error;  // an error message: the hub closes the feed next
    for (;;) {
      Result<std::string> frame = ws.Read(kQuietReconnect);
      if (!frame.ok()) {
        const Status status = frame.status();  // a copy: status() returns by value
        const std::string& why = status.message();
        // 1008: refused (a revoked token, a removed grant), the error being the last message.
        if (why.find("code 1008") != std::string::npos) {
          return error.value_or(Status::PermissionDenied("feed_refused", why));
        }
        std::string lost = status.reason() + ": " + why;
        if (error) lost = error->reason() + ": " + error->message() + " (" + lost + ")";
        return Attempt{false, true, lost};
      }
      const json parsed = ParseJson(*frame);
      if (parsed.is_object() && parsed.contains("error")) {
        error = HubError(parsed, 0);  // fatal or not, the close code tells
        continue;
      }
      NCBNET_ASSIGN_OR_RETURN(const bool done, Take(*frame));
      if (done) {
        ws.Close();
        return Attempt{true, true, ""};
      }
    }
  }

  // An upgrade the hub answered with an HTTP error: "<status> <body>" (WebSocketClient).
  static Result<Attempt> Refused(const std::string& detail) {
    int status = 0;
    std::from_chars(detail.data(), detail.data() + detail.size(), status);
    const std::size_t space = detail.find(' ');
    const std::string body = space == std::string::npos ? "" : detail.substr(space + 1);
    if (Transient(status)) return Attempt{false, false, "the hub answered HTTP " + detail};
    json parsed = ParseJson(body);
    if (parsed.is_discarded()) parsed = nullptr;
    return HubError(parsed, status);
  }

  Result<Attempt> Poll(api::client::HttpsClient& https) {
    const std::string target = "/v1/mailbox?after=" + std::to_string(cursor_) +
                               "&limit=" + std::to_string(kLongPollLimit) +
                               "&wait=" + std::to_string(kLongPollWaitSeconds);
    Result<api::client::HttpsClient::Reply> reply = https.Request("GET", target, "", Headers());
    if (!reply.ok()) {
      if (reply.status().code() != StatusCode::kUnavailable) return reply.status();
      return Attempt{false, false, reply.status().reason() + ": " + reply.status().message()};
    }
    if (Transient(reply->status)) {
      return Attempt{false, false, "the hub answered HTTP " + std::to_string(reply->status)};
    }
    json body = ParseJson(reply->body);
    if (body.is_discarded()) body = nullptr;
    if (reply->status >= 400) return HubError(body, reply->status);
    if (!body.is_object() || !body.contains("events") || !body["events"].is_array()) {
      return Status::Internal("invalid_reply", "the hub's mailbox reply has no event list");
    }
    for (const json& e : body["events"]) {
      NCBNET_ASSIGN_OR_RETURN(const bool done, Take(e.dump()));
      if (done) return Attempt{true, true, ""};
    }
    return Attempt{false, true, ""};
  }

  // Shows one event as the hub sent it and saves its cursor. True once --count are shown.
  Result<bool> Take(const std::string& raw) {
    const json e = ParseJson(raw);
    if (e.is_discarded() || !e.is_object()) {
      return Status::Internal("invalid_event", "the hub sent an event that is not a JSON object");
    }
    if (e.contains("error")) return HubError(e, 0);
    const auto cursor = e.find("cursor");
    if (cursor == e.end() || !cursor->is_number_integer()) {
      return Status::Internal("invalid_event", "the hub sent an event without a cursor");
    }
    const auto c = cursor->get<std::int64_t>();
    if (c <= cursor_) return false;  // already shown; the hub should never resend one
    {
      const std::lock_guard<std::mutex> lock(*output_);
      if (!flags_.json) {
        PrintLine(e, c);
      } else if (raw.find_first_of("\r\n") == std::string::npos) {
        std::cout << raw << std::endl;  // exactly as received
      } else {
        std::cout << e.dump() << std::endl;  // one line per event, whatever the hub sent
      }
      cursor_ = c;
      if (!flags_.cursor_file.empty()) NCBNET_RETURN_IF_ERROR(SaveCursor(flags_.cursor_file, c));
    }
    ++shown_;
    return flags_.count > 0 && shown_ >= flags_.count;
  }

  const WatchFlags& flags_;
  const HubAddress hub_;
  std::int64_t cursor_;  // the last event shown
  std::int64_t shown_ = 0;
  const std::shared_ptr<std::mutex> output_;  // one event's line and cursor file at a time
};

Status Watch(const WatchFlags& f) {
  NCBNET_ASSIGN_OR_RETURN(HubAddress hub, LoadHubAddress(f.client));
  NCBNET_ASSIGN_OR_RETURN(const std::optional<std::int64_t> saved, LoadCursor(f.cursor_file));
  const std::int64_t cursor = f.after.value_or(saved.value_or(0));
  auto output = std::make_shared<std::mutex>();
  ExitOnSignal(output);
  Watcher watcher(f, std::move(hub), cursor, output);
  return watcher.Run();
}

}  // namespace

void RegisterMsgWatch(CLI::App& msg, int& exit_code) {
  auto f = std::make_shared<WatchFlags>();
  auto* watch = msg.add_subcommand(
      "watch", "Follow the mailbox live: new messages and receipts as they arrive");
  watch
      ->add_option("--after", f->after,
                   "Cursor: events after this one (default: the cursor file's, else 0)")
      ->check(CLI::NonNegativeNumber);
  watch->add_option("--cursor-file", f->cursor_file,
                    "Resume from the cursor in this file, and keep it up to date (mode 0600)");
  watch->add_option("--count", f->count, "Exit after this many events (default: never)")
      ->check(CLI::NonNegativeNumber);
  watch->add_flag("--long-poll", f->long_poll,
                  "Poll GET /v1/mailbox?wait= instead of a WebSocket (for networks that block "
                  "WebSockets)");
  watch->add_flag("--json", f->json, "One event per line, the hub's JSON as received");
  AddClientFlags(watch, f->client);
  watch->callback([f, &exit_code] {
    if (Status s = Watch(*f); !s.ok()) exit_code = Fail(s);
  });
}

}  // namespace ncbnet::apps
