// The Merkle tree of RFC 9162 section 2.1 (Certificate Transparency 2.0): leaf and node hashes,
// the root of a tree, inclusion proofs (PATH) and consistency proofs (PROOF), and their
// verification, as the RFC defines them. Hashes are raw 32-byte SHA-256 digests in strings.
//
// Proofs are built from the hashes of complete subtrees, which a NodeSource supplies: the node
// at (level, index) is the root of leaves [index * 2^level, (index + 1) * 2^level). Any proof
// of a tree of n leaves reads O(log n) of them (at most 2 * 64 for any n below 2^63), so what a
// caller can make a proof cost is bounded whatever sizes it names.
//
// Used by audit/transparency.h (the audit log's tree) and by `ncbnet audit verify-proof`.
// Thread safety: pure functions; CompactRange is a value type.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace ncbnet::audit::merkle {

// SHA-256(0x00 || data) and SHA-256(0x01 || left || right).
std::string LeafHash(std::string_view data);
std::string NodeHash(std::string_view left, std::string_view right);
// The root of the empty tree: SHA-256 of no bytes.
std::string EmptyRoot();

// The hash of the complete subtree at (level, index). Errors are passed on (a missing node is
// the source's kDataLoss).
using NodeSource = std::function<Result<std::string>(int level, std::uint64_t index)>;

// RFC 9162 MTH(D[begin:end]) for a range that a proof names: `begin` is a multiple of the
// largest power of two not above end - begin, which holds for every subtree PATH and PROOF use.
Result<std::string> RangeHash(const NodeSource& nodes, std::uint64_t begin, std::uint64_t end);

// PATH(index, D[size]) in the RFC's order (the leaf's sibling first). Requires index < size.
Result<std::vector<std::string>> InclusionPath(const NodeSource& nodes, std::uint64_t index,
                                               std::uint64_t size);
// PROOF(first, D[second]). Requires 1 <= first <= second; empty when first == second.
Result<std::vector<std::string>> ConsistencyPath(const NodeSource& nodes, std::uint64_t first,
                                                 std::uint64_t second);

// The root that `path` leads to from leaf `index` (`leaf_hash`) of a tree of `size` leaves, as
// RFC 9162 2.1.3.2 computes it; nullopt if the path cannot be one for that leaf and size.
std::optional<std::string> RootFromInclusion(std::uint64_t index, std::uint64_t size,
                                             std::string_view leaf_hash,
                                             const std::vector<std::string>& path);
// The two roots that `path` implies for trees of `first` and `second` leaves, as RFC 9162
// 2.1.4.2 computes them (`first_root` is used only when `first` is a power of two); nullopt if
// it cannot be such a proof. Requires 1 <= first < second.
std::optional<std::pair<std::string, std::string>> RootsFromConsistency(
    std::uint64_t first, std::uint64_t second, std::string_view first_root,
    const std::vector<std::string>& path);

// RFC 9162 2.1.3.2: whether `path` proves leaf `index` with `leaf_hash` in the tree of `size`
// leaves whose root is `root`.
bool VerifyInclusion(std::uint64_t index, std::uint64_t size, std::string_view leaf_hash,
                     const std::vector<std::string>& path, std::string_view root);
// RFC 9162 2.1.4.2, for 1 <= first <= second (first == second: an empty path and equal roots).
bool VerifyConsistency(std::uint64_t first, std::uint64_t second, std::string_view first_root,
                       std::string_view second_root, const std::vector<std::string>& path);

// The right edge of a tree being built leaf by leaf: the roots of its complete subtrees, one
// per set bit of its size. Append() reports every node it completes, so that a caller can store
// them for proofs; Root() is the tree's MTH.
class CompactRange {
 public:
  using NodeSink = std::function<void(int level, std::uint64_t index, const std::string& hash)>;

  CompactRange() = default;
  // A tree of `size` leaves, from the roots of its complete subtrees, highest level first
  // (the nodes FrontierNodes(size) names). Errors: kInvalidArgument "invalid_range" when the
  // count or a hash's length is wrong.
  static Result<CompactRange> FromFrontier(std::uint64_t size, std::vector<std::string> hashes);
  // The (level, index) of the complete subtrees a tree of `size` leaves ends with, highest
  // level first.
  static std::vector<std::pair<int, std::uint64_t>> FrontierNodes(std::uint64_t size);

  void Append(std::string leaf_hash, const NodeSink& sink);
  std::uint64_t size() const { return size_; }
  std::string Root() const;

 private:
  std::uint64_t size_ = 0;
  std::vector<std::string> frontier_;  // frontier_[level], meaningful where size_ has bit level
};

}  // namespace ncbnet::audit::merkle
