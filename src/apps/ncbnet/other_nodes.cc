#include "apps/ncbnet/other_nodes.h"

#include <charconv>

#include <spdlog/spdlog.h>

#include "core/clock.h"

namespace ncbnet::apps {
namespace {

constexpr std::string_view kThrottleTopic = "throttle:";
constexpr std::string_view kPublicLimitTopic = "public-limit:";
// PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; the topic rides with the node id.
constexpr std::size_t kMaxPayloadBytes = 7000;
constexpr std::size_t kMaxSourceBytes = 64;  // an IPv6 address with a zone is less

}  // namespace

OtherNodes::OtherNodes(store::Store& store, records::RecordIndexes& indexes, api::Wakeups& wakeups,
                       access::LoginThrottle& throttle, RateLimiter& public_limiter)
    : store_(store),
      indexes_(indexes),
      wakeups_(wakeups),
      throttle_(throttle),
      public_limiter_(public_limiter) {
  wakeups.SetForwarder([&store](std::string_view topic) { store.Publish(topic); });
  throttle.SetForwarder([&store](std::string_view event) {
    store.Publish(std::string(kThrottleTopic) + std::string(event));
  });
  id_ = store.Subscribe([this](const std::string& topic) { Heard(topic); });
  share_.emplace(kShareEvery, [this] { SharePublicSpending(); });
}

OtherNodes::~OtherNodes() {
  share_.reset();
  store_.Unsubscribe(id_);
}

void OtherNodes::Heard(const std::string& topic) {
  const std::string_view t = topic;
  if (t.starts_with(kThrottleTopic)) {
    throttle_.ApplyFromElsewhere(t.substr(kThrottleTopic.size()), SystemClock().NowMillis());
    return;
  }
  if (t.starts_with(kPublicLimitTopic)) {
    const std::int64_t now = SystemClock().NowMillis();
    for (const auto& [source, count] : DecodeSpending(t.substr(kPublicLimitTopic.size()))) {
      public_limiter_.SpendElsewhere(source, count, now);
    }
    return;
  }
  if (t.empty() || t == "*") {
    if (Status s = indexes_.CatchUp(store_); !s.ok()) {
      spdlog::warn("catching up with another node's records: {}", s.ToString());
    }
  }
  if (t == "*") {
    wakeups_.NotifyAllFromElsewhere();
  } else if (!t.empty()) {
    wakeups_.NotifyFromElsewhere(topic);
  }
}

void OtherNodes::SharePublicSpending() {
  const auto spent = public_limiter_.TakeSpent(kMaxSharedSources);
  for (const std::string& piece : EncodeSpending(spent, kMaxPayloadBytes)) {
    store_.Publish(std::string(kPublicLimitTopic) + piece);
  }
}

std::vector<std::string> EncodeSpending(const std::vector<std::pair<std::string, int>>& spent,
                                        std::size_t max_bytes) {
  std::vector<std::string> pieces;
  std::string piece;
  for (const auto& [source, count] : spent) {
    if (source.empty() || source.size() > kMaxSourceBytes || count <= 0) continue;
    std::string item = std::to_string(count) + " " + source;
    if (!piece.empty() && piece.size() + 1 + item.size() > max_bytes) {
      pieces.push_back(std::move(piece));
      piece.clear();
    }
    if (!piece.empty()) piece += ';';
    piece += item;
  }
  if (!piece.empty()) pieces.push_back(std::move(piece));
  return pieces;
}

std::vector<std::pair<std::string, int>> DecodeSpending(std::string_view payload) {
  std::vector<std::pair<std::string, int>> out;
  while (!payload.empty()) {
    const std::size_t end = payload.find(';');
    const std::string_view item = payload.substr(0, end);
    payload = end == std::string_view::npos ? std::string_view() : payload.substr(end + 1);
    const std::size_t space = item.find(' ');
    if (space == std::string_view::npos) continue;
    const std::string_view source = item.substr(space + 1);
    int count = 0;
    const auto [p, ec] = std::from_chars(item.data(), item.data() + space, count);
    if (ec != std::errc() || p != item.data() + space || count <= 0 || source.empty() ||
        source.size() > kMaxSourceBytes || source.find(' ') != std::string_view::npos) {
      continue;
    }
    out.emplace_back(source, count);
  }
  return out;
}

}  // namespace ncbnet::apps
