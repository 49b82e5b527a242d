// Address blocks in CIDR notation ("10.0.0.0/8", "2001:db8::/32"), or one address
// ("127.0.0.1", "::1"), for settings that name trusted peers (proxy_protocol_from). Pure
// functions of their text; no name resolution.
//
// Thread safety: a Cidr is immutable; use it from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ncbnet {

class Cidr {
 public:
  // Parses "ADDRESS/BITS" or "ADDRESS". BITS is decimal, at most 32 for IPv4 and 128 for IPv6;
  // the bits of ADDRESS past BITS must be zero ("10.0.0.1/8" is refused as a likely typo).
  // Errors: kInvalidArgument "invalid_cidr".
  static Result<Cidr> Parse(std::string_view text);

  // True if `address` (an IPv4 or IPv6 address in text form) lies in the block. An IPv4 block
  // also holds the IPv4-mapped IPv6 form of its addresses (::ffff:10.1.2.3). Text that is no
  // address lies in no block.
  bool Contains(std::string_view address) const;

  const std::string& text() const { return text_; }

 private:
  Cidr() = default;
  std::array<std::uint8_t, 16> bytes_{};
  bool v4_ = false;
  int bits_ = 0;
  std::string text_;
};

// Parses each of `texts`. Errors: kInvalidArgument "invalid_cidr", naming the entry.
Result<std::vector<Cidr>> ParseCidrs(const std::vector<std::string>& texts);

// True if any of `blocks` contains `address`.
bool AnyContains(const std::vector<Cidr>& blocks, std::string_view address);

}  // namespace ncbnet
