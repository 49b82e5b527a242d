// The small parsers that see request bytes: query strings, route paths, timestamps, the
// countries file and the TOML configuration. Any bytes: an error or a value, never a crash.
#include <cstdint>
#include <string>
#include <string_view>

#include "api/router.h"
#include "core/check.h"
#include "core/countries.h"
#include "core/time_format.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)ncbnet::api::ParseQuery(text);
  (void)ncbnet::ParseCountries(text);
  const auto ms = ncbnet::ParseIsoMillis(text);
  if (ms.ok()) {
    NCBNET_CHECK(*ncbnet::ParseIsoMillis(ncbnet::FormatIsoMillis(*ms)) == *ms,
                 "timestamps must round-trip");
  }
  static const ncbnet::api::Router* const router = [] {
    auto* r = new ncbnet::api::Router();
    using ncbnet::api::Access;
    using ncbnet::api::Scope;
    r->Add({.method = "GET",
            .pattern = "/v1/agencies/{id}",
            .access = Access::kPublic,
            .scope = Scope::kBranch});
    r->Add({.method = "POST",
            .pattern = "/v1/agencies/{id}/users",
            .access = Access::kPublic,
            .scope = Scope::kBranch});
    return r;
  }();
  const auto match = router->Find("GET", text);
  if (match.route != nullptr) {
    NCBNET_CHECK(match.params.at("id").size() <= 128, "path parameters are bounded");
  }
  return 0;
}
