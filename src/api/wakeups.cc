#include "api/wakeups.h"

#include <utility>
#include <vector>

namespace ncbnet::api {

std::string MailboxTopic(std::string_view agency_id) { return "mailbox:" + std::string(agency_id); }

std::uint64_t Wakeups::Version(std::string_view topic) const {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = topics_.find(std::string(topic));
  return it == topics_.end() ? 0 : it->second.version;
}

Wakeups::Token Wakeups::WatchOnce(const std::string& topic, std::uint64_t seen,
                                  std::function<void()> callback) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    Topic& t = topics_[topic];
    if (t.version <= seen) {
      const Token token = next_token_++;
      t.waiters.emplace(token, std::move(callback));
      topic_of_token_.emplace(token, topic);
      return token;
    }
  }
  callback();
  return 0;
}

void Wakeups::Cancel(Token token) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = topic_of_token_.find(token);
  if (it == topic_of_token_.end()) return;
  const auto topic = topics_.find(it->second);
  if (topic != topics_.end()) {
    topic->second.waiters.erase(token);
    if (topic->second.waiters.empty() && topic->second.version == 0) topics_.erase(topic);
  }
  topic_of_token_.erase(it);
}

void Wakeups::Notify(std::string_view topic) {
  Wake(topic);
  if (forward_) forward_(topic);
}

void Wakeups::SetForwarder(std::function<void(std::string_view topic)> forward) {
  forward_ = std::move(forward);
}

void Wakeups::NotifyFromElsewhere(std::string_view topic) { Wake(topic); }

void Wakeups::NotifyAllFromElsewhere() {
  std::vector<std::string> waited;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [name, topic] : topics_) {
      if (!topic.waiters.empty()) waited.push_back(name);
    }
  }
  for (const std::string& topic : waited) Wake(topic);
}

void Wakeups::Wake(std::string_view topic) {
  std::vector<std::function<void()>> ready;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Topic& t = topics_[std::string(topic)];
    ++t.version;
    ready.reserve(t.waiters.size());
    for (auto& [token, callback] : t.waiters) {
      ready.push_back(std::move(callback));
      topic_of_token_.erase(token);
    }
    t.waiters.clear();
  }
  for (std::function<void()>& callback : ready) callback();
}

std::size_t Wakeups::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return topic_of_token_.size();
}

}  // namespace ncbnet::api
