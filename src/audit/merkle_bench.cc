// What the audit log's Merkle tree costs (audit/merkle.h, docs/BENCHMARKS.md "Audit
// transparency log"): building a proof from stored nodes, its size, and verifying it, at 10^6
// leaves (a tree built in memory) and at 10^9 (computed: the nodes a proof reads are made up
// as they are read, which costs the same hashing as reading them). Run:
//   build/release/src/audit/merkle_bench
#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "audit/merkle.h"

namespace ncbnet::audit::merkle {
namespace {

// A tree of `n` leaves kept level by level, as audit_tree_nodes keeps it.
struct MemoryTree {
  std::vector<std::vector<std::string>> levels;

  explicit MemoryTree(std::uint64_t n) {
    CompactRange range;
    for (std::uint64_t i = 0; i < n; ++i) {
      range.Append(LeafHash("entry " + std::to_string(i)),
                   [&](int level, std::uint64_t, const std::string& hash) {
                     if (levels.size() <= static_cast<std::size_t>(level)) levels.emplace_back();
                     levels[static_cast<std::size_t>(level)].push_back(hash);
                   });
    }
    root = range.Root();
  }
  NodeSource Source() const {
    return [this](int level, std::uint64_t index) -> Result<std::string> {
      return levels[static_cast<std::size_t>(level)][index];
    };
  }
  std::string root;
};

const MemoryTree& Million() {
  static const MemoryTree* tree = new MemoryTree(1'000'000);
  return *tree;
}

// Nodes of a tree too large to store: each is a hash of its position.
Result<std::string> Synthetic(int level, std::uint64_t index) {
  return LeafHash(std::to_string(level) + "/" + std::to_string(index));
}

void BM_InclusionProof(benchmark::State& state, const NodeSource& nodes, std::uint64_t n) {
  std::uint64_t leaf = 12'345;
  std::size_t bytes = 0;
  for (auto _ : state) {
    leaf = (leaf * 2'654'435'761ULL) % n;
    const auto path = InclusionPath(nodes, leaf, n).value();
    bytes = path.size() * 32;
    benchmark::DoNotOptimize(path);
  }
  state.counters["proof_bytes"] = static_cast<double>(bytes);
}

void BM_InclusionProof1e6(benchmark::State& state) {
  BM_InclusionProof(state, Million().Source(), 1'000'000);
}
void BM_InclusionProof1e9(benchmark::State& state) {
  BM_InclusionProof(state, Synthetic, 1'000'000'000);
}

void BM_VerifyInclusion1e6(benchmark::State& state) {
  const MemoryTree& tree = Million();
  const std::uint64_t leaf = 777'777;
  const auto path = InclusionPath(tree.Source(), leaf, 1'000'000).value();
  const std::string hash = tree.levels[0][leaf];
  for (auto _ : state) {
    benchmark::DoNotOptimize(VerifyInclusion(leaf, 1'000'000, hash, path, tree.root));
  }
  state.counters["proof_bytes"] = static_cast<double>(path.size() * 32);
}

void BM_VerifyInclusion1e9(benchmark::State& state) {
  const std::uint64_t n = 1'000'000'000;
  const std::uint64_t leaf = 777'777'777;
  const auto path = InclusionPath(Synthetic, leaf, n).value();
  const std::string hash = Synthetic(0, leaf).value();
  // The root these nodes imply, so that verification succeeds and does all its work.
  const std::string root = RootFromInclusion(leaf, n, hash, path).value();
  if (!VerifyInclusion(leaf, n, hash, path, root)) state.SkipWithError("proof does not verify");
  for (auto _ : state) benchmark::DoNotOptimize(VerifyInclusion(leaf, n, hash, path, root));
  state.counters["proof_bytes"] = static_cast<double>(path.size() * 32);
}

void BM_ConsistencyProof1e6(benchmark::State& state) {
  const MemoryTree& tree = Million();
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto path = ConsistencyPath(tree.Source(), 999'000, 1'000'000).value();
    bytes = path.size() * 32;
    benchmark::DoNotOptimize(path);
  }
  state.counters["proof_bytes"] = static_cast<double>(bytes);
}

void BM_VerifyConsistency1e9(benchmark::State& state) {
  const std::uint64_t first = 999'999'937;
  const std::uint64_t second = 1'000'000'000;
  const auto path = ConsistencyPath(Synthetic, first, second).value();
  const auto [r1, r2] = RootsFromConsistency(first, second, "", path).value();
  if (!VerifyConsistency(first, second, r1, r2, path)) {
    state.SkipWithError("proof does not verify");
  }
  for (auto _ : state) benchmark::DoNotOptimize(VerifyConsistency(first, second, r1, r2, path));
  state.counters["proof_bytes"] = static_cast<double>(path.size() * 32);
}

void BM_AppendLeaf(benchmark::State& state) {
  CompactRange range;
  std::uint64_t i = 0;
  for (auto _ : state) {
    range.Append(LeafHash(std::to_string(i++)),
                 [](int, std::uint64_t, const std::string& h) { benchmark::DoNotOptimize(h); });
  }
}

BENCHMARK(BM_InclusionProof1e6);
BENCHMARK(BM_InclusionProof1e9);
BENCHMARK(BM_VerifyInclusion1e6);
BENCHMARK(BM_VerifyInclusion1e9);
BENCHMARK(BM_ConsistencyProof1e6);
BENCHMARK(BM_VerifyConsistency1e9);
BENCHMARK(BM_AppendLeaf);

}  // namespace
}  // namespace ncbnet::audit::merkle

BENCHMARK_MAIN();
