// The identifier index in process (issue 4, item 4): lookups that hit and lookups that miss on
// 1M and 10M random keys, a 95%-miss batch with prefetching (the manifest case), the insert
// rate, and SaveTo / LoadFrom of a 10M-key index with its file size. docs/BENCHMARKS.md
// records results and the command.
#include <sys/stat.h>

#include <cstdint>
#include <memory>
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

// One fixture at a time: 10M keys take about 0.6 GB with their key list.
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

BENCHMARK_MAIN();
