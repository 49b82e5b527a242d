// Issuing states and nationalities: ISO 3166-1 alpha-3, plus the codes Doc 9303 Part 3 (section
// 5, "Codes for nationality, place of birth, location of issuing State/authority") adds for
// states, organisations and persons that ISO 3166 does not cover.
#include <algorithm>
#include <array>
#include <optional>

#include "mrz/internal/iso3166.h"
#include "mrz/mrz.h"

namespace ncbnet::mrz {

namespace {

struct IcaoCode {
  std::string_view code;
  CountryKind kind;
  std::string_view name;
  std::string_view iso_country;  // what a check against national data should use, or ""
};

// Sorted by code for binary search.
constexpr std::array<IcaoCode, 26> kIcaoCodes = {{
    {"D", CountryKind::kIcaoNational, "Germany", "DEU"},
    {"EUE", CountryKind::kOrganization, "European Union (EU)", ""},
    {"GBD", CountryKind::kIcaoNational, "British Overseas Territories Citizen (BOTC)", "GBR"},
    {"GBN", CountryKind::kIcaoNational, "British National (Overseas)", "GBR"},
    {"GBO", CountryKind::kIcaoNational, "British Overseas Citizen", "GBR"},
    {"GBP", CountryKind::kIcaoNational, "British Protected Person", "GBR"},
    {"GBS", CountryKind::kIcaoNational, "British Subject", "GBR"},
    {"UNA", CountryKind::kOrganization,
     "Specialized agency of the United Nations or one of its officials", ""},
    {"UNK", CountryKind::kOrganization,
     "Resident of Kosovo to whom a travel document has been issued by the United Nations "
     "Interim Administration Mission in Kosovo (UNMIK)",
     ""},
    {"UNO", CountryKind::kOrganization, "United Nations Organization or one of its officials", ""},
    {"UTO", CountryKind::kSpecimen, "Utopia (fictitious state of the ICAO Doc 9303 specimens)", ""},
    {"XBA", CountryKind::kOrganization, "African Development Bank (AfDB)", ""},
    {"XCC", CountryKind::kOrganization, "Caribbean Community or one of its emissaries (CARICOM)",
     ""},
    {"XCE", CountryKind::kOrganization, "Council of Europe", ""},
    {"XCO", CountryKind::kOrganization, "Common Market for Eastern and Southern Africa (COMESA)",
     ""},
    {"XDC", CountryKind::kOrganization, "Southern African Development Community (SADC)", ""},
    {"XEC", CountryKind::kOrganization, "Economic Community of West African States (ECOWAS)", ""},
    {"XES", CountryKind::kOrganization, "Organization of Eastern Caribbean States (OECS)", ""},
    {"XIM", CountryKind::kOrganization, "African Export-Import Bank (AFREXIMBANK)", ""},
    {"XMP", CountryKind::kOrganization, "Parliamentary Assembly of the Mediterranean (PAM)", ""},
    {"XOM", CountryKind::kOrganization,
     "Sovereign Military Order of Malta or one of its emissaries", ""},
    {"XPO", CountryKind::kOrganization, "International Criminal Police Organization (INTERPOL)",
     ""},
    {"XXA", CountryKind::kStateless,
     "Stateless person (Article 1 of the 1954 Convention relating to the Status of Stateless "
     "Persons)",
     ""},
    {"XXB", CountryKind::kRefugee,
     "Refugee (Article 1 of the 1951 Convention relating to the Status of Refugees, as amended "
     "by the 1967 Protocol)",
     ""},
    {"XXC", CountryKind::kRefugee, "Refugee (other than as defined under the code XXB)", ""},
    {"XXX", CountryKind::kUnspecified, "Person of unspecified nationality", ""},
}};

std::optional<IcaoCode> FindIcaoCode(std::string_view code) {
  const auto* it =
      std::lower_bound(kIcaoCodes.begin(), kIcaoCodes.end(), code,
                       [](const IcaoCode& entry, std::string_view c) { return entry.code < c; });
  if (it == kIcaoCodes.end() || it->code != code) return std::nullopt;
  return *it;
}

}  // namespace

std::string_view CountryKindName(CountryKind kind) {
  switch (kind) {
    case CountryKind::kIso3166:
      return "iso3166";
    case CountryKind::kIcaoNational:
      return "icao_national";
    case CountryKind::kOrganization:
      return "organization";
    case CountryKind::kStateless:
      return "stateless";
    case CountryKind::kRefugee:
      return "refugee";
    case CountryKind::kUnspecified:
      return "unspecified";
    case CountryKind::kSpecimen:
      return "specimen";
    case CountryKind::kUnknown:
      break;
  }
  return "unknown";
}

Country LookupCountry(std::string_view code) {
  while (!code.empty() && code.back() == '<') code.remove_suffix(1);
  Country out;
  out.code = std::string(code);
  if (const std::optional<IcaoCode> icao = FindIcaoCode(code)) {
    out.kind = icao->kind;
    out.name = std::string(icao->name);
    out.iso_country = std::string(icao->iso_country);
  } else if (const std::optional<std::string_view> name = internal::Iso3166Name(code)) {
    out.kind = CountryKind::kIso3166;
    out.name = std::string(*name);
    out.iso_country = out.code;
  }
  return out;
}

}  // namespace ncbnet::mrz
