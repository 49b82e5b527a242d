// Helpers of the demo's record generators (demo_records_data.cc, demo_records_more.cc).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/ncbnet/demo_records.h"
#include "records/records.h"

namespace ncbnet::apps::demo {

// Deterministic draws for synthetic data: the splitmix64 finaliser applied to a counter. Not
// randomness (crypto/random.h is that): the same seed gives the same demo on every machine.
class Draws {
 public:
  explicit Draws(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t x = (state_ += 0x9E3779B97F4A7C15ULL);
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<std::uint64_t>(n)); }
  template <typename T, std::size_t N>
  const T& Pick(const std::array<T, N>& a) {
    return a[static_cast<std::size_t>(Below(static_cast<int>(N)))];
  }
  std::string From(std::string_view alphabet, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) {
      s += alphabet[static_cast<std::size_t>(Below(static_cast<int>(alphabet.size())))];
    }
    return s;
  }
  std::string Digits(int n) { return From("0123456789", n); }
  std::string Letters(int n) { return From("ABCDEFGHJKLMNPRSTUVWXYZ", n); }
  // A date between 2017-01-01 and 2026-10-28, YYYY-MM-DD.
  std::string Date(int first_year = 2017, int years = 10) {
    const int y = first_year + Below(years);
    const int m = 1 + Below(y == 2026 ? 10 : 12);
    const int d = 1 + Below(28);
    const auto two = [](int v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
    return std::to_string(y) + "-" + two(m) + "-" + two(d);
  }

 private:
  std::uint64_t state_;
};

inline records::RecordInput Input(nlohmann::json fields, std::string action = "",
                                  std::string external_id = "") {
  records::RecordInput in;
  in.fields = std::move(fields);
  in.action = std::move(action);
  in.external_id = std::move(external_id);
  return in;
}

inline records::Restrictions Only(std::vector<std::string> countries, bool frontline = true) {
  return {records::Visibility::kOnly, std::move(countries), frontline};
}

// FIREARMS, VESSELS, SAD, WOA and NOMINAL records (demo_records_more.cc).
void AddOtherRecords(std::vector<DemoRecord>& out);

}  // namespace ncbnet::apps::demo
