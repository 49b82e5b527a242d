// Request counters and latency histograms in Prometheus text format (version 0.0.4).
// Labels come only from the route table (patterns, not paths) so cardinality stays bounded.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

namespace ncbnet::api {

class Metrics {
 public:
  void ObserveRequest(const std::string& route, const std::string& method, int status,
                      double seconds);

  // Hits (hits/hits.h), counted by the handler that recorded them after its commit:
  // ncbnet_hits_total{database}; follow-ups: ncbnet_hit_follow_ups_total{side,state}. Labels
  // are catalogue codes and fixed names only.
  void AddHits(const std::string& database, std::uint64_t n);
  void AddFollowUp(const std::string& side, const std::string& state);

  // A stored row that no longer opens or verifies, met while answering a list (a notice, a
  // message, an MLA request: `kind`). Counted in ncbnet_damaged_rows_total{kind} and logged
  // for the operator the first time each row is met in this process, so that a damaged row
  // read by every NCB's client fills neither the log nor memory (at most kMaxDamagedRemembered
  // rows are remembered; past that each is counted, none logged).
  void ReportDamaged(std::string_view kind, std::string_view id, std::string_view reason);
  static constexpr std::size_t kMaxDamagedRemembered = 10000;

  // Appends the request metrics to `out`.
  void Render(std::string& out) const;

  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> counts{};
    std::uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;  // guarded by mu_
  std::map<std::string, Histogram> latency_;   // by route; guarded by mu_
  std::map<std::string, std::uint64_t> hits_;  // by database; guarded by mu_
  std::map<std::pair<std::string, std::string>, std::uint64_t> follow_ups_;  // guarded by mu_
  std::map<std::string, std::uint64_t, std::less<>> damaged_;  // by kind; guarded by mu_
  std::set<std::string, std::less<>> damaged_seen_;            // kind/id; guarded by mu_
};

// Appends one gauge or counter sample with HELP and TYPE lines.
void AppendSample(std::string& out, const std::string& name, const std::string& type,
                  const std::string& help, double value);

}  // namespace ncbnet::api
