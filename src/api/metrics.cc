#include "api/metrics.h"

#include <cstdio>

#include <spdlog/spdlog.h>

namespace ncbnet::api {
namespace {

std::string FormatDouble(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

}  // namespace

void Metrics::ObserveRequest(const std::string& route, const std::string& method, int status,
                             double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{route, method, status}];
  Histogram& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.counts[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::AddHits(const std::string& database, std::uint64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  hits_[database] += n;
}

void Metrics::AddFollowUp(const std::string& side, const std::string& state) {
  std::lock_guard<std::mutex> lock(mu_);
  ++follow_ups_[{side, state}];
}

void Metrics::ReportDamaged(std::string_view kind, std::string_view id, std::string_view reason) {
  std::string key = std::string(kind) + "/" + std::string(id);
  bool first = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!damaged_seen_.contains(key)) {
      ++damaged_[std::string(kind)];
      if (damaged_seen_.size() < kMaxDamagedRemembered) {
        damaged_seen_.insert(std::move(key));
        first = true;
      }
    }
  }
  // The id and the reason code only: never contents.
  if (first) spdlog::error("damaged {} {}: {}; listed as damaged", kind, id, reason);
}

void Metrics::Render(std::string& out) const {
  std::lock_guard<std::mutex> lock(mu_);
  out +=
      "# HELP ncbnet_damaged_rows_total Stored rows met in lists that no longer open or "
      "verify, by kind (each counted once per process).\n";
  out += "# TYPE ncbnet_damaged_rows_total counter\n";
  for (const auto& [kind, n] : damaged_) {
    out += "ncbnet_damaged_rows_total{kind=\"" + kind + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP ncbnet_hits_total Hits recorded (matches of checks), by database.\n";
  out += "# TYPE ncbnet_hits_total counter\n";
  for (const auto& [database, n] : hits_) {
    out += "ncbnet_hits_total{database=\"" + database + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP ncbnet_hit_follow_ups_total Follow-ups recorded on hits, by side and state.\n";
  out += "# TYPE ncbnet_hit_follow_ups_total counter\n";
  for (const auto& [key, n] : follow_ups_) {
    out += "ncbnet_hit_follow_ups_total{side=\"" + key.first + "\",state=\"" + key.second + "\"} " +
           std::to_string(n) + "\n";
  }
  out += "# HELP ncbnet_http_requests_total HTTP requests answered, by route, method and status.\n";
  out += "# TYPE ncbnet_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out += "ncbnet_http_requests_total{route=\"" + route + "\",method=\"" + method +
           "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP ncbnet_http_request_duration_seconds Time to answer a request, by route.\n";
  out += "# TYPE ncbnet_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    const std::string prefix = "ncbnet_http_request_duration_seconds";
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out += prefix + "_bucket{route=\"" + route + "\",le=\"" + FormatDouble(kBuckets[i]) + "\"} " +
             std::to_string(h.counts[i]) + "\n";
    }
    out +=
        prefix + "_bucket{route=\"" + route + "\",le=\"+Inf\"} " + std::to_string(h.count) + "\n";
    out += prefix + "_sum{route=\"" + route + "\"} " + FormatDouble(h.sum) + "\n";
    out += prefix + "_count{route=\"" + route + "\"} " + std::to_string(h.count) + "\n";
  }
}

void AppendSample(std::string& out, const std::string& name, const std::string& type,
                  const std::string& help, double value) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " +
         FormatDouble(value) + "\n";
}

}  // namespace ncbnet::api
