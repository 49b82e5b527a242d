// Tells the other hub nodes on one PostgreSQL database what changed, and hears what they tell
// (LISTEN/NOTIFY on the channel "ncbnet"). Internal to store/postgres/.
//
// One thread with one connection of its own: it LISTENs, sends what Publish() queued (a NOTIFY
// each, after the commit that changed the topic, since Publish() is called then), and calls the
// subscribers with every notification another node sent. Each payload is "<node> <topic>"; a
// node ignores its own. Commits themselves are announced by the writer inside the committing
// transaction (topic ""), so that PostgreSQL delivers them when, and only if, they commit, in
// commit order; the commits heard at once are delivered as one. Each published topic is
// delivered once per Publish(), in order. When the connection is lost the thread reconnects (after
// a second, then again) and, since notifications sent meanwhile are gone, calls the subscribers
// with "*": everything may have changed.
//
// Thread safety: Publish() and Subscribe() may be called from any thread; subscribers run on
// the notifier's thread, one at a time, and must not block for long.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

struct pg_conn;

namespace ncbnet::store::internal {

inline constexpr const char* kNotifyChannel = "ncbnet";

class PgNotifier {
 public:
  using Subscriber = std::function<void(const std::string& topic)>;

  // `node` names this process in payloads; `conninfo` is the store's URI.
  PgNotifier(std::string conninfo, std::string node);
  ~PgNotifier();
  PgNotifier(const PgNotifier&) = delete;
  PgNotifier& operator=(const PgNotifier&) = delete;

  void Publish(std::string_view topic);
  // Store::Subscribe() and Unsubscribe().
  int Subscribe(Subscriber fn);
  void Unsubscribe(int id);

 private:
  void Run();
  // One connection's life: returns when it is lost or on Stop.
  void Serve(pg_conn* conn);
  bool SendOutbox(pg_conn* conn);
  void Deliver(const std::string& topic);
  void Wake();

  const std::string conninfo_;
  const std::string node_;
  int wake_fd_ = -1;  // an eventfd: Publish() and the destructor wake the thread with it
  std::atomic<bool> stop_{false};

  std::mutex deliver_mu_;  // held while subscribers run, so that Unsubscribe() waits for them
  std::mutex mu_;
  std::deque<std::string> outbox_;         // guarded by mu_
  std::map<int, Subscriber> subscribers_;  // guarded by mu_
  int next_id_ = 1;                        // guarded by mu_

  std::thread thread_;
};

}  // namespace ncbnet::store::internal
