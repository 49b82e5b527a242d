// The identifier index in process (issue 4, item 4): lookups that hit and lookups that miss on
// 1M and 10M random keys, 95%-miss batches (the manifest case; by hand with Prefetch, and
// through LookupBatch), the insert rate, and SaveTo / LoadFrom of a 10M-key index with its
// file size. NCBNET_BENCH_100M=1 adds the 100M-key cases (about 6 GB of memory and a
// 3.2 GB file, minutes to build); select them with --benchmark_filter=/100000000.
// docs/BENCHMARKS.md records results and the command.
#include <sys/stat.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "core/check.h"
#include "index/identifier_index.h"
#include "tests/testutil/splitmix.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet::index {
namespace {

// splitmix64: deterministic uniform keys, as KeyFor's HMAC output would be.
using Stream = testutil::SplitMix64;

constexpr std::size_t kProbeKeys = std::size_t{1} << 20;

struct Fixture {
  explicit Fixture(std::size_t n) : entries(n) {
    Stream s{n};
    keys.reserve(n);
    index.Reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      keys.push_back({s.Next(), s.Next()});
      NCBNET_CHECK(index.Insert(keys.back(), i).ok(), "insert");
    }
    Stream m{~n};
    for (std::size_t i = 0; i < kProbeKeys; ++i) misses.push_back({m.Next(), m.Next()});
  }
  std::size_t entries;
  IdentifierIndex index;
  std::vector<IndexKey> keys;
  std::vector<IndexKey> misses;
};

// One fixture at a time: 10M keys take about 0.6 GB with their key list, 100M about 5 GB.
Fixture& FixtureFor(std::size_t n) {
  static std::unique_ptr<Fixture> fixture;
  if (!fixture || fixture->entries != n) {
    fixture.reset();
    fixture = std::make_unique<Fixture>(n);
  }
  return *fixture;
}

void BM_LookupHit(benchmark::State& state) {
  Fixture& f = FixtureFor(static_cast<std::size_t>(state.range(0)));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.index.Lookup(f.keys[i]).size());
    if (++i == f.keys.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LookupHit)->Arg(1'000'000)->Arg(10'000'000);

void BM_LookupMiss(benchmark::State& state) {
  Fixture& f = FixtureFor(static_cast<std::size_t>(state.range(0)));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.index.Lookup(f.misses[i]).size());
    if (++i == kProbeKeys) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LookupMiss)->Arg(1'000'000)->Arg(10'000'000);

// A batch of 1024 checks, 95% misses, each key prefetched 16 lookups ahead.
void BM_LookupBatch95MissPrefetch(benchmark::State& state) {
  Fixture& f = FixtureFor(static_cast<std::size_t>(state.range(0)));
  constexpr std::size_t kBatch = 1024;
  constexpr std::size_t kAhead = 16;
  std::vector<IndexKey> batch;
  for (std::size_t i = 0; i < kProbeKeys; ++i) {
    batch.push_back(i % 20 == 0 ? f.keys[i % f.keys.size()] : f.misses[i]);
  }
  std::size_t start = 0;
  for (auto _ : state) {
    std::size_t found = 0;
    for (std::size_t i = 0; i < kBatch; ++i) {
      f.index.Prefetch(batch[(start + i + kAhead) % kProbeKeys]);
      found += f.index.Lookup(batch[(start + i) % kProbeKeys]).size();
    }
    benchmark::DoNotOptimize(found);
    start = (start + kBatch) % kProbeKeys;
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_LookupBatch95MissPrefetch)->Arg(1'000'000)->Arg(10'000'000);

// The same mix through LookupBatch, in batches of state.range(1) keys (1024: a manifest;
// 100000: the HTTPS batch check).
void BM_LookupBatch95Miss(benchmark::State& state) {
  Fixture& f = FixtureFor(static_cast<std::size_t>(state.range(0)));
  const auto batch_size = static_cast<std::size_t>(state.range(1));
  std::vector<IndexKey> probes;
  for (std::size_t i = 0; i < kProbeKeys; ++i) {
    probes.push_back(i % 20 == 0 ? f.keys[(i * 7919) % f.keys.size()] : f.misses[i]);
  }
  std::vector<std::span<const std::uint64_t>> refs(batch_size);
  std::size_t start = 0;
  std::size_t found = 0;
  for (auto _ : state) {
    found += f.index.LookupBatch(std::span(probes).subspan(start, batch_size), refs);
    benchmark::DoNotOptimize(refs.data());
    start += batch_size;
    if (start + batch_size > kProbeKeys) start = 0;
  }
  const auto checked = static_cast<std::int64_t>(state.iterations() * batch_size);
  state.SetItemsProcessed(checked);
  state.counters["hit_rate"] = static_cast<double>(found) / static_cast<double>(checked);
}
BENCHMARK(BM_LookupBatch95Miss)->Args({1'000'000, 1024})->Args({10'000'000, 1024});

// The keyed hash of one document identifier: what a check pays before it reaches the table.
void BM_KeyFor(benchmark::State& state) {
  const std::string secret(32, 's');
  std::string number = "X41234567";
  std::uint64_t i = 0;
  for (auto _ : state) {
    number[8] = static_cast<char>('0' + (++i % 10));
    benchmark::DoNotOptimize(KeyFor(secret, "SLTD", number));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KeyFor);

// The same through an IndexKeyer, as the hub holds one.
void BM_IndexKeyer(benchmark::State& state) {
  const IndexKeyer keyer(std::string(32, 's'));
  std::string number = "X41234567";
  std::uint64_t i = 0;
  for (auto _ : state) {
    number[8] = static_cast<char>('0' + (++i % 10));
    benchmark::DoNotOptimize(keyer.For("SLTD", number));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IndexKeyer);

void BM_Insert(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    IdentifierIndex index;
    Stream s{7};
    for (std::size_t i = 0; i < n; ++i) {
      NCBNET_CHECK(index.Insert({s.Next(), s.Next()}, i).ok(), "insert");
    }
    benchmark::DoNotOptimize(index.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_Insert)->Arg(10'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_SaveTo(benchmark::State& state) {
  Fixture& f = FixtureFor(static_cast<std::size_t>(state.range(0)));
  testutil::TempDir dir;
  const std::string path = dir.File("bench.idx");
  for (auto _ : state) NCBNET_CHECK(f.index.SaveTo(path).ok(), "save");
  struct stat st {};
  NCBNET_CHECK(::stat(path.c_str(), &st) == 0, "stat");
  state.counters["file_MB"] = static_cast<double>(st.st_size) / 1e6;
  state.counters["memory_MB"] = static_cast<double>(f.index.MemoryBytes()) / 1e6;
  state.counters["capacity"] = static_cast<double>(f.index.capacity());
}
BENCHMARK(BM_SaveTo)->Arg(10'000'000)->Iterations(2)->Unit(benchmark::kMillisecond);

// From the page cache (the file was just written): the restart of a hub whose disk keeps up.
void BM_LoadFrom(benchmark::State& state) {
  Fixture& f = FixtureFor(static_cast<std::size_t>(state.range(0)));
  testutil::TempDir dir;
  const std::string path = dir.File("bench.idx");
  NCBNET_CHECK(f.index.SaveTo(path).ok(), "save");
  for (auto _ : state) {
    Result<IdentifierIndex> loaded = IdentifierIndex::LoadFrom(path);
    NCBNET_CHECK(loaded.ok() && loaded->size() == f.index.size(), "load");
  }
}
BENCHMARK(BM_LoadFrom)->Arg(10'000'000)->Iterations(3)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ncbnet::index

namespace {

// The 100M-key cases, registered only when asked for: building the fixture takes minutes.
void Register100M() {
  using namespace ncbnet::index;  // NOLINT(google-build-using-namespace): local, for brevity
  constexpr std::int64_t k100M = 100'000'000;
  benchmark::RegisterBenchmark("BM_LookupHit", BM_LookupHit)->Arg(k100M);
  benchmark::RegisterBenchmark("BM_LookupMiss", BM_LookupMiss)->Arg(k100M);
  benchmark::RegisterBenchmark("BM_LookupBatch95MissPrefetch", BM_LookupBatch95MissPrefetch)
      ->Arg(k100M);
  benchmark::RegisterBenchmark("BM_LookupBatch95Miss", BM_LookupBatch95Miss)
      ->Args({k100M, 1024})
      ->Args({k100M, 100'000});
  benchmark::RegisterBenchmark("BM_SaveTo", BM_SaveTo)
      ->Arg(k100M)
      ->Iterations(1)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_LoadFrom", BM_LoadFrom)
      ->Arg(k100M)
      ->Iterations(2)
      ->Unit(benchmark::kMillisecond);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const char* big = std::getenv("NCBNET_BENCH_100M");
  if (big != nullptr && std::string(big) == "1") Register100M();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
