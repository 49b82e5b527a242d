#include "store/postgres/pg_notifier.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include <libpq-fe.h>

#include "store/postgres/pg_connection.h"

namespace ncbnet::store::internal {
namespace {

constexpr int kPollMillis = 1000;
constexpr int kReconnectMillis = 1000;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

bool CommandOk(PGresult* res) {
  const ExecStatusType st = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

}  // namespace

PgNotifier::PgNotifier(std::string conninfo, std::string node)
    : conninfo_(std::move(conninfo)), node_(std::move(node)) {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  thread_ = std::thread([this] { Run(); });
}

PgNotifier::~PgNotifier() {
  stop_.store(true);
  Wake();
  thread_.join();
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void PgNotifier::Publish(std::string_view topic) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    outbox_.emplace_back(topic);
  }
  Wake();
}

int PgNotifier::Subscribe(Subscriber fn) {
  std::lock_guard<std::mutex> lock(mu_);
  const int id = next_id_++;
  subscribers_.emplace(id, std::move(fn));
  return id;
}

void PgNotifier::Unsubscribe(int id) {
  std::lock_guard<std::mutex> delivering(deliver_mu_);
  std::lock_guard<std::mutex> lock(mu_);
  subscribers_.erase(id);
}

void PgNotifier::Wake() {
  const std::uint64_t one = 1;
  if (wake_fd_ >= 0) static_cast<void>(::write(wake_fd_, &one, sizeof one));
}

void PgNotifier::Deliver(const std::string& topic) {
  std::lock_guard<std::mutex> delivering(deliver_mu_);
  std::vector<Subscriber> subscribers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, fn] : subscribers_) subscribers.push_back(fn);
  }
  for (const Subscriber& fn : subscribers) fn(topic);
}

void PgNotifier::Run() {
  const char* const keys[] = {"dbname", "application_name", "connect_timeout", nullptr};
  const char* const values[] = {conninfo_.c_str(), "ncbnet-notifier", "10", nullptr};
  while (!stop_.load()) {
    PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    SilenceNotices(conn);
    if (conn != nullptr && PQstatus(conn) == CONNECTION_OK) Serve(conn);
    PQfinish(conn);
    if (stop_.load()) break;
    pollfd wake{wake_fd_, POLLIN, 0};
    static_cast<void>(::poll(&wake, 1, kReconnectMillis));
  }
}

void PgNotifier::Serve(PGconn* conn) {
  const std::string listen = std::string("LISTEN ") + kNotifyChannel;
  if (!CommandOk(ResultPtr(PQexec(conn, listen.c_str())).get())) return;
  // Whatever was announced before this LISTEN (at start, or while disconnected) is not heard.
  Deliver("*");
  while (!stop_.load()) {
    if (!SendOutbox(conn)) return;
    pollfd fds[2] = {{PQsocket(conn), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (::poll(fds, 2, kPollMillis) < 0) continue;
    if ((fds[1].revents & POLLIN) != 0) {
      std::uint64_t count = 0;
      static_cast<void>(::read(wake_fd_, &count, sizeof count));
    }
    if (PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK) return;
    // Every notification that arrived, in order; the commits among them count as one, so that
    // a burst of commits costs the subscribers one catch-up. Published topics are delivered
    // once per publication: a subscriber may count them (failed logins).
    std::vector<std::string> topics;
    bool commits = false;
    while (PGnotify* n = PQnotifies(conn)) {
      const std::string payload = n->extra != nullptr ? n->extra : "";
      PQfreemem(n);
      const std::size_t space = payload.find(' ');
      if (payload.substr(0, space) == node_) continue;
      if (space == std::string::npos || space + 1 == payload.size()) {
        commits = true;
      } else {
        topics.push_back(payload.substr(space + 1));
      }
    }
    if (commits) Deliver("");
    for (const std::string& topic : topics) Deliver(topic);
  }
}

// Sends what Publish() queued; what a lost connection did not take goes back to the queue.
bool PgNotifier::SendOutbox(PGconn* conn) {
  std::deque<std::string> outbox;
  {
    std::lock_guard<std::mutex> lock(mu_);
    outbox.swap(outbox_);
  }
  while (!outbox.empty()) {
    const std::string payload = node_ + " " + outbox.front();
    const char* params[] = {kNotifyChannel, payload.c_str()};
    const ResultPtr res(
        PQexecParams(conn, "SELECT pg_notify($1, $2)", 2, nullptr, params, nullptr, nullptr, 0));
    if (!CommandOk(res.get())) {
      std::lock_guard<std::mutex> lock(mu_);
      outbox_.insert(outbox_.begin(), outbox.begin(), outbox.end());
      return false;
    }
    outbox.pop_front();
  }
  return true;
}

}  // namespace ncbnet::store::internal
