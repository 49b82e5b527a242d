#include "records/visibility.h"

#include <algorithm>

#include "core/countries.h"

namespace ncbnet::records {
namespace {

Status Invalid(const std::string& why) {
  return Status::InvalidArgument("invalid_restrictions", "restrictions: " + why);
}

}  // namespace

Result<Visibility> VisibilityFromName(std::string_view name) {
  for (Visibility v : {Visibility::kAll, Visibility::kOnly, Visibility::kExcept}) {
    if (name == VisibilityName(v)) return v;
  }
  return Status::DataLoss("record_undecodable",
                          "unknown stored visibility '" + std::string(name.substr(0, 16)) + "'");
}

std::string_view VisibilityName(Visibility v) {
  switch (v) {
    case Visibility::kAll:
      return "all";
    case Visibility::kOnly:
      return "only";
    case Visibility::kExcept:
      return "except";
  }
  return "all";
}

Result<Restrictions> ParseRestrictions(const nlohmann::json& json) {
  Restrictions r;
  if (json.is_null()) return r;
  if (!json.is_object()) return Invalid("not an object");
  for (const auto& [key, value] : json.items()) {
    if (key == "visibility") {
      const std::string v = value.is_string() ? value.get<std::string>() : "";
      if (v == "all") {
        r.visibility = Visibility::kAll;
      } else if (v == "only") {
        r.visibility = Visibility::kOnly;
      } else if (v == "except") {
        r.visibility = Visibility::kExcept;
      } else {
        return Invalid("visibility is one of all, only, except");
      }
    } else if (key == "countries") {
      if (!value.is_array() || value.size() > 195)
        return Invalid("countries is a list of up to 195 codes");
      for (const auto& c : value) {
        if (!c.is_string() || !IsAlpha3(c.get<std::string>())) {
          return Invalid("countries holds ISO 3166-1 alpha-3 codes");
        }
        r.countries.push_back(c.get<std::string>());
      }
    } else if (key == "frontline") {
      if (!value.is_boolean()) return Invalid("frontline is true or false");
      r.frontline = value.get<bool>();
    } else {
      return Invalid("unknown key \"" + key.substr(0, 32) + "\"");
    }
  }
  std::sort(r.countries.begin(), r.countries.end());
  r.countries.erase(std::unique(r.countries.begin(), r.countries.end()), r.countries.end());
  if (r.visibility == Visibility::kAll && !r.countries.empty()) {
    return Invalid("countries go with visibility only or except");
  }
  if (r.visibility != Visibility::kAll && r.countries.empty()) {
    return Invalid("visibility only or except needs countries");
  }
  return r;
}

nlohmann::json RestrictionsJson(const Restrictions& r) {
  return {{"visibility", VisibilityName(r.visibility)},
          {"countries", r.countries},
          {"frontline", r.frontline}};
}

bool VisibleTo(const Restrictions& r, std::string_view owner_country, const Viewer& viewer) {
  if (!viewer.country.empty() && viewer.country == owner_country) return true;
  if (viewer.kind == access::AgencyKind::kTerminal && !r.frontline) return false;
  const bool listed = !viewer.country.empty() &&
                      std::binary_search(r.countries.begin(), r.countries.end(), viewer.country);
  switch (r.visibility) {
    case Visibility::kAll:
      return true;
    case Visibility::kOnly:
      return listed;
    case Visibility::kExcept:
      return !listed;
  }
  return false;
}

}  // namespace ncbnet::records
