// Wakeups: tells waiters that something they watch has changed, without a thread per waiter.
//
// A topic is a name (e.g. "mailbox:ncb-fra") with a version that Notify() increments. A waiter
// reads the version, looks at the store, and if there is nothing new, asks to be called once
// the version passes what it read: a change between its look and its request is never missed.
// Used by long polling and WebSocket feeds (api/http_server.h), notified by handlers after
// their transaction has committed.
//
// Thread safety: every method may be called from any thread. Callbacks run on the thread that
// calls Notify() (or WatchOnce(), when the version has already moved), outside the lock; they
// must be quick (post to an executor) and must not call back into Wakeups synchronously.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ncbnet::api {

// The topic of `agency_id`'s mailbox ("mailbox:<agency>"): notified after a commit that adds
// events to it, waited on by its long polls and feeds.
std::string MailboxTopic(std::string_view agency_id);

class Wakeups {
 public:
  using Token = std::uint64_t;

  Wakeups() = default;
  Wakeups(const Wakeups&) = delete;
  Wakeups& operator=(const Wakeups&) = delete;

  // The topic's version: 0 until its first Notify().
  std::uint64_t Version(std::string_view topic) const;

  // Calls `callback` once, when `topic`'s version passes `seen` (at once, on this thread, if
  // it already has). Returns a token for Cancel(); 0 if the callback already ran.
  Token WatchOnce(const std::string& topic, std::uint64_t seen, std::function<void()> callback);

  // After Cancel() returns the callback will not start (it may already be running on the
  // notifying thread, so callers must tolerate a late call). Unknown tokens are ignored.
  void Cancel(Token token);

  // Increments the version and runs every callback waiting on `topic`, then passes `topic` to
  // the forwarder, if one is set.
  void Notify(std::string_view topic);

  // Hub nodes on one store: `forward` is called with every topic Notify() is given, so that the
  // hub can tell the other nodes (Store::Publish). Set once, before any Notify().
  void SetForwarder(std::function<void(std::string_view topic)> forward);
  // Notify() for a change another node announced: not forwarded again.
  void NotifyFromElsewhere(std::string_view topic);
  // NotifyFromElsewhere() for every topic that has waiters: another node's changes may have
  // been missed, so every waiter looks again.
  void NotifyAllFromElsewhere();

  // Waiters not yet called, over all topics (for tests and /metrics).
  std::size_t waiting() const;

 private:
  struct Topic {
    std::uint64_t version = 0;
    std::unordered_map<Token, std::function<void()>> waiters;
  };

  void Wake(std::string_view topic);

  std::function<void(std::string_view topic)> forward_;  // set before use, then only read
  mutable std::mutex mu_;
  std::unordered_map<std::string, Topic> topics_;          // guarded by mu_
  std::unordered_map<Token, std::string> topic_of_token_;  // guarded by mu_
  Token next_token_ = 1;                                   // guarded by mu_
};

}  // namespace ncbnet::api
