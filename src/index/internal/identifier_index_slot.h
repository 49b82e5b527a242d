// The slot layout shared by identifier_index.cc and identifier_index_file.cc; not for other
// modules. The file format (docs/identifier-index.md) is these bytes, little-endian.
#pragma once

#include <cstddef>
#include <cstdint>

#include "index/identifier_index.h"

namespace ncbnet::index {

struct IdentifierIndex::Slot {
  std::uint64_t lo;
  std::uint64_t hi;
  // kEmpty, a ref (top bit clear), or kListBit | index into lists_.
  std::uint64_t payload;
};

namespace internal {

inline constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
inline constexpr std::uint64_t kListBit = std::uint64_t{1} << 63;
inline constexpr std::size_t kMinCapacity = 16;

// How far the key of a slot at `pos` sits from its home slot (lo & mask).
inline std::size_t ProbeDistance(std::uint64_t lo, std::size_t pos, std::size_t mask) {
  return (pos - static_cast<std::size_t>(lo)) & mask;
}

}  // namespace internal
}  // namespace ncbnet::index
