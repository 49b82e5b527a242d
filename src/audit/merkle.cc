#include "audit/merkle.h"

#include <bit>
#include <utility>

#include "crypto/hash.h"

namespace ncbnet::audit::merkle {
namespace {

constexpr std::size_t kHashSize = 32;

// The largest power of two strictly below n (n >= 2): where the RFC splits D[n].
std::uint64_t Split(std::uint64_t n) { return std::bit_floor(n - 1); }

Status AppendPath(const NodeSource& nodes, std::uint64_t begin, std::uint64_t end,
                  std::uint64_t index, std::vector<std::string>& out) {
  const std::uint64_t n = end - begin;
  if (n <= 1) return Status::Ok();
  const std::uint64_t k = Split(n);
  if (index - begin < k) {
    NCBNET_RETURN_IF_ERROR(AppendPath(nodes, begin, begin + k, index, out));
    NCBNET_ASSIGN_OR_RETURN(std::string sibling, RangeHash(nodes, begin + k, end));
    out.push_back(std::move(sibling));
  } else {
    NCBNET_RETURN_IF_ERROR(AppendPath(nodes, begin + k, end, index, out));
    NCBNET_ASSIGN_OR_RETURN(std::string sibling, RangeHash(nodes, begin, begin + k));
    out.push_back(std::move(sibling));
  }
  return Status::Ok();
}

// SUBPROOF(m, D[begin:end], whole) of RFC 9162 2.1.4.1, m counted from begin.
Status AppendSubproof(const NodeSource& nodes, std::uint64_t begin, std::uint64_t end,
                      std::uint64_t m, bool whole, std::vector<std::string>& out) {
  const std::uint64_t n = end - begin;
  if (m == n) {
    if (whole) return Status::Ok();
    NCBNET_ASSIGN_OR_RETURN(std::string hash, RangeHash(nodes, begin, end));
    out.push_back(std::move(hash));
    return Status::Ok();
  }
  const std::uint64_t k = Split(n);
  if (m <= k) {
    NCBNET_RETURN_IF_ERROR(AppendSubproof(nodes, begin, begin + k, m, whole, out));
    NCBNET_ASSIGN_OR_RETURN(std::string hash, RangeHash(nodes, begin + k, end));
    out.push_back(std::move(hash));
  } else {
    NCBNET_RETURN_IF_ERROR(AppendSubproof(nodes, begin + k, end, m - k, false, out));
    NCBNET_ASSIGN_OR_RETURN(std::string hash, RangeHash(nodes, begin, begin + k));
    out.push_back(std::move(hash));
  }
  return Status::Ok();
}

// RFC 9162's "until LSB(fn) is set or fn is 0: right-shift fn and sn by one".
void ShiftWhileEven(std::uint64_t& fn, std::uint64_t& sn) {
  while ((fn & 1) == 0 && fn != 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

bool AllHashes(const std::vector<std::string>& path) {
  for (const std::string& h : path) {
    if (h.size() != kHashSize) return false;
  }
  return true;
}

}  // namespace

std::string LeafHash(std::string_view data) {
  std::string input(1, '\0');
  input += data;
  return crypto::Sha256(input);
}

std::string NodeHash(std::string_view left, std::string_view right) {
  std::string input(1, '\1');
  input += left;
  input += right;
  return crypto::Sha256(input);
}

std::string EmptyRoot() { return crypto::Sha256(""); }

Result<std::string> RangeHash(const NodeSource& nodes, std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t n = end - begin;
  if (end <= begin) return Status::InvalidArgument("invalid_range", "empty subtree");
  if (std::has_single_bit(n)) {
    const int level = std::countr_zero(n);
    if (begin % n != 0) return Status::InvalidArgument("invalid_range", "unaligned subtree");
    return nodes(level, begin >> level);
  }
  const std::uint64_t k = Split(n);
  NCBNET_ASSIGN_OR_RETURN(const std::string left, RangeHash(nodes, begin, begin + k));
  NCBNET_ASSIGN_OR_RETURN(const std::string right, RangeHash(nodes, begin + k, end));
  return NodeHash(left, right);
}

Result<std::vector<std::string>> InclusionPath(const NodeSource& nodes, std::uint64_t index,
                                               std::uint64_t size) {
  if (index >= size) return Status::InvalidArgument("invalid_range", "leaf index beyond tree");
  std::vector<std::string> path;
  NCBNET_RETURN_IF_ERROR(AppendPath(nodes, 0, size, index, path));
  return path;
}

Result<std::vector<std::string>> ConsistencyPath(const NodeSource& nodes, std::uint64_t first,
                                                 std::uint64_t second) {
  if (first < 1 || first > second) {
    return Status::InvalidArgument("invalid_range", "need 1 <= first <= second");
  }
  std::vector<std::string> path;
  NCBNET_RETURN_IF_ERROR(AppendSubproof(nodes, 0, second, first, true, path));
  return path;
}

std::optional<std::string> RootFromInclusion(std::uint64_t index, std::uint64_t size,
                                             std::string_view leaf_hash,
                                             const std::vector<std::string>& path) {
  if (index >= size || leaf_hash.size() != kHashSize || !AllHashes(path)) return std::nullopt;
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  std::string r(leaf_hash);
  for (const std::string& p : path) {
    if (sn == 0) return std::nullopt;
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(p, r);
      ShiftWhileEven(fn, sn);
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return std::nullopt;
  return r;
}

bool VerifyInclusion(std::uint64_t index, std::uint64_t size, std::string_view leaf_hash,
                     const std::vector<std::string>& path, std::string_view root) {
  const std::optional<std::string> computed = RootFromInclusion(index, size, leaf_hash, path);
  return computed && crypto::ConstantTimeEquals(*computed, root);
}

std::optional<std::pair<std::string, std::string>> RootsFromConsistency(
    std::uint64_t first, std::uint64_t second, std::string_view first_root,
    const std::vector<std::string>& path) {
  if (first < 1 || first >= second || path.empty() || !AllHashes(path)) return std::nullopt;
  std::vector<std::string> cp;
  if (std::has_single_bit(first)) cp.emplace_back(first_root);
  cp.insert(cp.end(), path.begin(), path.end());
  std::uint64_t fn = first - 1;
  std::uint64_t sn = second - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = cp[0];
  std::string sr = cp[0];
  for (std::size_t i = 1; i < cp.size(); ++i) {
    const std::string& c = cp[i];
    if (sn == 0) return std::nullopt;
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      ShiftWhileEven(fn, sn);
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return std::nullopt;
  return std::make_pair(std::move(fr), std::move(sr));
}

bool VerifyConsistency(std::uint64_t first, std::uint64_t second, std::string_view first_root,
                       std::string_view second_root, const std::vector<std::string>& path) {
  if (first < 1 || first > second || !AllHashes(path)) return false;
  if (first_root.size() != kHashSize || second_root.size() != kHashSize) return false;
  if (first == second) return path.empty() && first_root == second_root;
  const auto roots = RootsFromConsistency(first, second, first_root, path);
  return roots && crypto::ConstantTimeEquals(roots->first, first_root) &&
         crypto::ConstantTimeEquals(roots->second, second_root);
}

std::vector<std::pair<int, std::uint64_t>> CompactRange::FrontierNodes(std::uint64_t size) {
  std::vector<std::pair<int, std::uint64_t>> out;
  for (int level = 63; level >= 0; --level) {
    if (((size >> level) & 1) != 0) out.emplace_back(level, (size >> level) - 1);
  }
  return out;
}

Result<CompactRange> CompactRange::FromFrontier(std::uint64_t size,
                                                std::vector<std::string> hashes) {
  const auto nodes = FrontierNodes(size);
  if (hashes.size() != nodes.size() || !AllHashes(hashes)) {
    return Status::InvalidArgument("invalid_range", "frontier does not match the tree size");
  }
  CompactRange range;
  range.size_ = size;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const auto level = static_cast<std::size_t>(nodes[i].first);
    if (range.frontier_.size() <= level) range.frontier_.resize(level + 1);
    range.frontier_[level] = std::move(hashes[i]);
  }
  return range;
}

void CompactRange::Append(std::string leaf_hash, const NodeSink& sink) {
  std::uint64_t index = size_;
  std::size_t level = 0;
  std::string hash = std::move(leaf_hash);
  sink(0, index, hash);
  while ((index & 1) != 0) {
    hash = NodeHash(frontier_[level], hash);
    ++level;
    index >>= 1;
    sink(static_cast<int>(level), index, hash);
  }
  if (frontier_.size() <= level) frontier_.resize(level + 1);
  frontier_[level] = std::move(hash);
  ++size_;
}

std::string CompactRange::Root() const {
  if (size_ == 0) return EmptyRoot();
  std::string root;
  for (std::size_t level = 0; level < 64; ++level) {
    if (((size_ >> level) & 1) == 0) continue;
    root = root.empty() ? frontier_[level] : NodeHash(frontier_[level], root);
  }
  return root;
}

}  // namespace ncbnet::audit::merkle
