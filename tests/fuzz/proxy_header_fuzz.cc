// The PROXY protocol header (api/internal/proxy_header.h): any bytes may come from a peer that
// is, or pretends to be, the load balancer. An error or a header, never a crash; fed the way the
// server reads it, it never asks for a byte past the header's end, and never past its bounds.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/internal/proxy_header.h"
#include "core/check.h"

using ncbnet::api::internal::kProxyV1MaxBytes;
using ncbnet::api::internal::kProxyV2MaxBytes;
using ncbnet::api::internal::ParseProxyHeader;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)ParseProxyHeader(bytes);  // the whole input at once: any answer will do
  std::size_t have = 0;
  for (;;) {
    const auto parse = ParseProxyHeader(bytes.substr(0, have));
    if (!parse.ok()) return 0;
    if (parse->header) {
      NCBNET_CHECK(parse->header->size == have, "a header is exactly what was read");
      NCBNET_CHECK(have <= (parse->header->version == 1 ? kProxyV1MaxBytes : kProxyV2MaxBytes),
                   "a header stays within its version's bound");
      NCBNET_CHECK(parse->header->local || !parse->header->source_address.empty(),
                   "a header names a client or is local");
      return 0;
    }
    NCBNET_CHECK(parse->need > 0, "an incomplete header needs more bytes");
    have += parse->need;
    NCBNET_CHECK(have <= std::max(kProxyV1MaxBytes, kProxyV2MaxBytes), "reads stay bounded");
    if (have > size) return 0;  // the peer stopped sending: truncated
  }
}
