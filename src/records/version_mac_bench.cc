// What a record version's MAC costs on the read path (records/internal/version_mac.h): every
// record a check matches, a read returns or an index rebuild reads is checked once. Run:
//   build/release/src/records/version_mac_bench
#include <string>

#include <benchmark/benchmark.h>

#include "records/internal/version_mac.h"

namespace ncbnet::records::internal {
namespace {

// A typical SLTD version, as stored.
VersionColumns Typical(const std::string& fields, const std::string& keys) {
  VersionColumns v;
  v.id = "rec_x7k2m4p9q3r8s5t6v1w2y3";
  v.database = "SLTD";
  v.owner_agency = "ncb-fra";
  v.owner_country = "FRA";
  v.created_ms = 1'790'000'000'000;
  v.version = 3;
  v.status = "active";
  v.visibility = "all";
  v.frontline = 1;
  v.action = "Seize the document and hold the bearer for identification; contact NCB Paris.";
  v.fields = fields;
  v.updated_ms = 1'790'000'100'000;
  v.review_ms = 2'100'000'000'000;
  v.changed_by_agency = "ncb-fra";
  v.changed_by_user = "usr_fra_admin";
  v.keys = keys;
  return v;
}

void BM_VersionMacValid(benchmark::State& state) {
  const std::string key(32, 'k');
  const std::string fields =
      R"({"document_type":"passport","issuing_country":"FRA","number":"21FV83104","status":"stolen"})";
  const std::string keys(16, 'x');
  const VersionColumns v = Typical(fields, keys);
  const std::string mac = VersionMac(key, v);
  for (auto _ : state) benchmark::DoNotOptimize(VersionMacValid(key, v, mac));
}
BENCHMARK(BM_VersionMacValid);

}  // namespace
}  // namespace ncbnet::records::internal

BENCHMARK_MAIN();
