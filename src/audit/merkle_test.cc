#include "audit/merkle.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace ncbnet::audit::merkle {
namespace {

// RFC 9162 2.1.1's MTH, written recursively over the leaves, as the reference.
std::string Mth(const std::vector<std::string>& leaves, std::size_t begin, std::size_t end) {
  if (end - begin == 1) return LeafHash(leaves[begin]);
  std::size_t k = 1;
  while (k * 2 < end - begin) k *= 2;
  return NodeHash(Mth(leaves, begin, begin + k), Mth(leaves, begin + k, end));
}

std::vector<std::string> Leaves(std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back("leaf " + std::to_string(i));
  return out;
}

// A tree built with CompactRange, its nodes kept in a map as a store would keep them.
struct Tree {
  std::map<std::pair<int, std::uint64_t>, std::string> nodes;
  CompactRange range;

  explicit Tree(const std::vector<std::string>& leaves) {
    for (const std::string& leaf : leaves) {
      range.Append(LeafHash(leaf), [&](int level, std::uint64_t index, const std::string& h) {
        nodes[{level, index}] = h;
      });
    }
  }
  NodeSource Source() const {
    return [this](int level, std::uint64_t index) -> Result<std::string> {
      auto it = nodes.find({level, index});
      if (it == nodes.end()) return Status::DataLoss("missing", "no node");
      return it->second;
    };
  }
  std::string RootOf(std::uint64_t size) const { return RangeHash(Source(), 0, size).value(); }
};

TEST(MerkleTest, EmptyRootIsSha256OfNothing) {
  EXPECT_EQ(crypto::HexEncode(EmptyRoot()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(MerkleTest, RootsMatchTheRfcDefinitionForEverySize) {
  const std::vector<std::string> leaves = Leaves(70);
  Tree tree(leaves);
  for (std::size_t n = 1; n <= leaves.size(); ++n) {
    const std::vector<std::string> prefix(leaves.begin(), leaves.begin() + n);
    EXPECT_EQ(tree.RootOf(n), Mth(leaves, 0, n)) << n;
    EXPECT_EQ(Tree(prefix).range.Root(), Mth(leaves, 0, n)) << n;
  }
}

TEST(MerkleTest, EveryInclusionProofVerifiesAndNoOtherLeafPasses) {
  const std::vector<std::string> leaves = Leaves(40);
  Tree tree(leaves);
  for (std::uint64_t n = 1; n <= leaves.size(); ++n) {
    const std::string root = tree.RootOf(n);
    for (std::uint64_t m = 0; m < n; ++m) {
      Result<std::vector<std::string>> path = InclusionPath(tree.Source(), m, n);
      ASSERT_TRUE(path.ok()) << path.status().ToString();
      const std::string leaf = LeafHash(leaves[m]);
      EXPECT_TRUE(VerifyInclusion(m, n, leaf, *path, root)) << m << " in " << n;
      EXPECT_FALSE(VerifyInclusion(m, n, LeafHash("other"), *path, root));
      if (n > 1) {
        EXPECT_FALSE(VerifyInclusion((m + 1) % n, n, leaf, *path, root));
      }
      if (!path->empty()) {
        std::vector<std::string> flipped = *path;
        flipped.back()[5] ^= 1;
        EXPECT_FALSE(VerifyInclusion(m, n, leaf, flipped, root));
        std::vector<std::string> shorter(path->begin(), path->end() - 1);
        EXPECT_FALSE(VerifyInclusion(m, n, leaf, shorter, root));
      }
      std::vector<std::string> longer = *path;
      longer.push_back(root);
      EXPECT_FALSE(VerifyInclusion(m, n, leaf, longer, root));
    }
  }
}

TEST(MerkleTest, EveryConsistencyProofVerifiesAndTamperingFails) {
  const std::vector<std::string> leaves = Leaves(40);
  Tree tree(leaves);
  for (std::uint64_t n = 1; n <= leaves.size(); ++n) {
    for (std::uint64_t m = 1; m <= n; ++m) {
      Result<std::vector<std::string>> path = ConsistencyPath(tree.Source(), m, n);
      ASSERT_TRUE(path.ok()) << path.status().ToString();
      const std::string first = tree.RootOf(m);
      const std::string second = tree.RootOf(n);
      EXPECT_TRUE(VerifyConsistency(m, n, first, second, *path)) << m << " -> " << n;
      EXPECT_FALSE(VerifyConsistency(n, m, second, first, *path) && m != n);
      if (m == n) continue;
      EXPECT_FALSE(VerifyConsistency(m, n, LeafHash("x"), second, *path));
      EXPECT_FALSE(VerifyConsistency(m, n, first, LeafHash("x"), *path));
      std::vector<std::string> flipped = *path;
      flipped.front()[0] ^= 1;
      EXPECT_FALSE(VerifyConsistency(m, n, first, second, flipped));
      std::vector<std::string> shorter(path->begin(), path->end() - 1);
      EXPECT_FALSE(VerifyConsistency(m, n, first, second, shorter));
    }
  }
}

TEST(MerkleTest, AForkedTreeIsNotConsistent) {
  std::vector<std::string> leaves = Leaves(13);
  Tree honest(leaves);
  leaves[3] = "rewritten";
  Tree forked(leaves);
  for (std::uint64_t m = 4; m <= 13; ++m) {
    const auto path = ConsistencyPath(forked.Source(), m, 13).value();
    EXPECT_FALSE(VerifyConsistency(m, 13, honest.RootOf(m), forked.RootOf(13), path)) << m;
  }
}

TEST(MerkleTest, ProofsOfHugeTreesReadFewNodes) {
  // A tree of 10^9 leaves, never built: every node is a made-up hash, counted as it is read.
  int reads = 0;
  const NodeSource counting = [&](int level, std::uint64_t index) -> Result<std::string> {
    ++reads;
    return LeafHash(std::to_string(level) + "/" + std::to_string(index));
  };
  const std::uint64_t n = 1'000'000'000;
  ASSERT_EQ(InclusionPath(counting, 123'456'789, n).value().size(), 30u);
  EXPECT_LE(reads, 2 * 64);
  reads = 0;
  ASSERT_TRUE(ConsistencyPath(counting, 999'999'999, n).ok());
  EXPECT_LE(reads, 2 * 64);
}

TEST(MerkleTest, FrontierRestoresTheRange) {
  const std::vector<std::string> leaves = Leaves(29);
  Tree tree(leaves);
  std::vector<std::string> frontier;
  for (const auto& node : CompactRange::FrontierNodes(29)) frontier.push_back(tree.nodes[node]);
  Result<CompactRange> range = CompactRange::FromFrontier(29, frontier);
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->Root(), tree.range.Root());
  range->Append(LeafHash("next"), [](int, std::uint64_t, const std::string&) {});
  tree.range.Append(LeafHash("next"), [](int, std::uint64_t, const std::string&) {});
  EXPECT_EQ(range->Root(), tree.range.Root());
  EXPECT_FALSE(CompactRange::FromFrontier(32, frontier).ok());
}

}  // namespace
}  // namespace ncbnet::audit::merkle
