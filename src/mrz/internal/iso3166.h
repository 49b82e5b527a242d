// The ISO 3166-1 alpha-3 table behind mrz::LookupCountry (iso3166.cc).
#pragma once

#include <optional>
#include <string_view>

namespace ncbnet::mrz::internal {

// The English name of an ISO 3166-1 alpha-3 code ("FRA" -> "France"), or nullopt.
std::optional<std::string_view> Iso3166Name(std::string_view alpha3);

}  // namespace ncbnet::mrz::internal
