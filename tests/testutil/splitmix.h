// A deterministic stream of uniform 64-bit values (splitmix64), for tests and benchmarks that
// need many reproducible keys quickly.
#pragma once

#include <cstdint>

namespace ncbnet::testutil {

struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t Next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

}  // namespace ncbnet::testutil
