#include "records/record_fields.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/countries.h"
#include "index/identifiers.h"
#include "text/name_tokens.h"

namespace ncbnet::records {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxRecordBytes = 64 * 1024;

Status InvalidField(const std::string& where, const std::string& why) {
  return Status::InvalidArgument("invalid_field", where + ": " + why);
}

std::string Trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

bool HasControl(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\n' && c != '\t') || u == 0x7f;
  });
}

bool Digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int DaysIn(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// YYYY, YYYY-MM or YYYY-MM-DD (only the last if !partial), a real calendar date.
bool IsDate(std::string_view s, bool partial) {
  if (s.size() != 10 && !(partial && (s.size() == 4 || s.size() == 7))) return false;
  if (!Digits(s.substr(0, 4))) return false;
  const int year = std::stoi(std::string(s.substr(0, 4)));
  if (year < 1800) return false;
  if (s.size() == 4) return true;
  if (s[4] != '-' || !Digits(s.substr(5, 2))) return false;
  const int month = std::stoi(std::string(s.substr(5, 2)));
  if (month < 1 || month > 12) return false;
  if (s.size() == 7) return true;
  if (s[7] != '-' || !Digits(s.substr(8, 2))) return false;
  const int day = std::stoi(std::string(s.substr(8, 2)));
  return day >= 1 && day <= DaysIn(year, month);
}

Result<std::string> Text(const json& v, const FieldSpec& f, const std::string& where) {
  if (!v.is_string()) return InvalidField(where, "not a string");
  std::string s = Trim(v.get<std::string>());
  if (s.size() > f.max_length) {
    return InvalidField(where, "longer than " + std::to_string(f.max_length) + " bytes");
  }
  if (HasControl(s)) return InvalidField(where, "control characters");
  return s;
}

Result<std::string> CountryCode(std::string s);

Result<std::string> Country(const json& v, const std::string& where) {
  if (!v.is_string()) return InvalidField(where, "not a string");
  auto code = CountryCode(Trim(v.get<std::string>()));
  if (!code.ok()) return InvalidField(where, "not an ISO 3166-1 alpha-3 code");
  return code;
}

Result<json> Scalar(const json& v, const FieldSpec& f, const std::string& where) {
  switch (f.type) {
    case FieldType::kText: {
      NCBNET_ASSIGN_OR_RETURN(std::string s, Text(v, f, where));
      return json(std::move(s));
    }
    case FieldType::kCountry: {
      NCBNET_ASSIGN_OR_RETURN(std::string s, Country(v, where));
      return json(std::move(s));
    }
    case FieldType::kInteger: {
      if (!v.is_number_integer()) return InvalidField(where, "not an integer");
      const auto n = v.get<std::int64_t>();
      if (n < f.min || n > f.max) {
        return InvalidField(where,
                            "outside " + std::to_string(f.min) + ".." + std::to_string(f.max));
      }
      return json(n);
    }
    case FieldType::kDate:
    case FieldType::kPartialDate: {
      const bool partial = f.type == FieldType::kPartialDate;
      if (!v.is_string() || !IsDate(v.get<std::string>(), partial)) {
        return InvalidField(where, partial ? "not a date YYYY[-MM[-DD]]" : "not a date YYYY-MM-DD");
      }
      return v;
    }
    case FieldType::kEnum: {
      if (!v.is_string() ||
          std::find(f.values.begin(), f.values.end(), v.get<std::string>()) == f.values.end()) {
        return InvalidField(where, "not one of the allowed values");
      }
      return v;
    }
    default:
      return InvalidField(where, "unexpected type");
  }
}

Result<json> Object(const json& obj, const std::vector<FieldSpec>& specs, const std::string& at);

Result<json> List(const json& v, const FieldSpec& f, const std::string& where) {
  if (!v.is_array()) return InvalidField(where, "not a list");
  if (v.size() > f.max_items) {
    return InvalidField(where, "more than " + std::to_string(f.max_items) + " items");
  }
  json out = json::array();
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string at = where + "[" + std::to_string(i) + "]";
    json item;
    if (f.type == FieldType::kObjectList) {
      NCBNET_ASSIGN_OR_RETURN(item, Object(v[i], f.fields, at));
    } else {
      FieldSpec element = f;
      element.type = f.type == FieldType::kCountryList ? FieldType::kCountry : FieldType::kText;
      NCBNET_ASSIGN_OR_RETURN(item, Scalar(v[i], element, at));
      if (item.is_string() && item.get<std::string>().empty()) continue;
    }
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(std::move(item));
  }
  return out;
}

bool IsList(FieldType t) {
  return t == FieldType::kCountryList || t == FieldType::kTextList || t == FieldType::kObjectList;
}

Result<json> Object(const json& obj, const std::vector<FieldSpec>& specs, const std::string& at) {
  const std::string prefix = at.empty() ? "" : at + ".";
  if (!obj.is_object()) {
    return Status::InvalidArgument("invalid_record",
                                   (at.empty() ? "fields" : at) + ": not an object");
  }
  for (const auto& item : obj.items()) {
    const std::string& key = item.key();  // clang 14 cannot capture a structured binding
    const bool known =
        std::any_of(specs.begin(), specs.end(), [&](const FieldSpec& f) { return f.name == key; });
    if (!known) {
      return Status::InvalidArgument("unknown_field",
                                     "no field \"" + prefix + key.substr(0, 64) + "\"");
    }
  }
  json out = json::object();
  for (const FieldSpec& f : specs) {
    const std::string where = prefix + f.name;
    auto it = obj.find(f.name);
    json value;
    if (it != obj.end() && !it->is_null()) {
      if (IsList(f.type)) {
        NCBNET_ASSIGN_OR_RETURN(value, List(*it, f, where));
      } else {
        NCBNET_ASSIGN_OR_RETURN(value, Scalar(*it, f, where));
      }
    }
    const bool empty = value.is_null() || (value.is_string() && value.get<std::string>().empty()) ||
                       (value.is_array() && value.empty());
    if (empty) {
      if (f.required)
        return Status::InvalidArgument("missing_field", "\"" + where + "\" is required");
      continue;
    }
    out[f.name] = std::move(value);
  }
  return out;
}

std::string Field(const json& obj, const std::string& name) {
  auto it = obj.find(name);
  if (it == obj.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  return "";
}

// The first manufacturer-code character 1-5 is North America, where position 9 is a check digit.
bool NorthAmerican(std::string_view vin) {
  return !vin.empty() && vin.front() >= '1' && vin.front() <= '5';
}

Result<std::string> CountryCode(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (!IsAlpha3(s)) {
    return Status::InvalidArgument("invalid_country", "not an ISO 3166-1 alpha-3 code");
  }
  return s;
}

Result<std::string> Normalise(IdentifierKind kind, const std::vector<std::string>& v) {
  switch (kind) {
    case IdentifierKind::kDocument: {
      NCBNET_ASSIGN_OR_RETURN(std::string country, CountryCode(v[0]));
      NCBNET_ASSIGN_OR_RETURN(std::string number, index::NormaliseDocumentNumber(v[1]));
      return country + ":" + number;
    }
    case IdentifierKind::kVin: {
      std::string upper = v[0];
      std::transform(upper.begin(), upper.end(), upper.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      const auto first = upper.find_first_not_of(" -");
      return index::NormaliseVin(
          v[0], first != std::string::npos && NorthAmerican(std::string_view(upper).substr(first)));
    }
    case IdentifierKind::kPlate:
      return index::NormalisePlate(v[0], v[1]);
    case IdentifierKind::kFirearm:
      return index::NormaliseFirearm(v[0], v[1]);
    case IdentifierKind::kImo:
      return index::NormaliseImo(v[0]);
    case IdentifierKind::kSeries: {
      NCBNET_ASSIGN_OR_RETURN(std::string country, CountryCode(v[0]));
      NCBNET_ASSIGN_OR_RETURN(std::string series, index::NormaliseDocumentNumber(v[1]));
      return country + ":" + series;
    }
  }
  return Status::Internal("internal", "unknown identifier kind");
}

// The identifier of `spec` in `obj`, if all its fields are there.
Result<std::optional<std::string>> IdentifierIn(const IdentifierSpec& spec, const json& obj) {
  std::vector<std::string> values;
  for (const std::string& name : spec.fields) {
    std::string v = Field(obj, name);
    if (v.empty()) return std::optional<std::string>();
    values.push_back(std::move(v));
  }
  NCBNET_ASSIGN_OR_RETURN(std::string id, Normalise(spec.kind, values));
  return std::optional<std::string>(std::move(id));
}

}  // namespace

Result<nlohmann::json> ValidateFields(const DatabaseSchema& schema, const nlohmann::json& fields) {
  if (fields.is_object() && fields.dump().size() > kMaxRecordBytes) {
    return Status::InvalidArgument("invalid_record", "fields: larger than 64 KiB");
  }
  NCBNET_ASSIGN_OR_RETURN(json out, Object(fields, schema.fields, ""));
  for (const IdentifierSpec& id : schema.identifiers) {
    if (id.kind == IdentifierKind::kSeries &&
        out.at(id.range_from).get<std::int64_t>() > out.at(id.range_to).get<std::int64_t>()) {
      return InvalidField(id.range_from, "greater than " + id.range_to);
    }
  }
  NCBNET_RETURN_IF_ERROR(ExtractIdentifiers(schema, out).status());
  // Every person name must be searchable (text/name_tokens.h).
  for (const std::string& name : ExtractNames(schema, out)) {
    if (Status s = text::NameTokens(name).status(); !s.ok()) {
      if (s.code() == StatusCode::kInternal) return s;
      return InvalidField("name", s.reason() + ": " + s.message());
    }
  }
  return out;
}

Result<std::vector<NormalisedIdentifier>> ExtractIdentifiers(const DatabaseSchema& schema,
                                                             const nlohmann::json& fields) {
  std::vector<NormalisedIdentifier> out;
  auto add = [&](const IdentifierSpec& spec, const json& obj) -> Status {
    NCBNET_ASSIGN_OR_RETURN(std::optional<std::string> id, IdentifierIn(spec, obj));
    if (!id) return Status::Ok();
    NormalisedIdentifier n{spec.name, std::move(*id)};
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(std::move(n));
    return Status::Ok();
  };
  for (const IdentifierSpec& spec : schema.identifiers) {
    if (spec.list.empty()) {
      NCBNET_RETURN_IF_ERROR(add(spec, fields));
      continue;
    }
    auto list = fields.find(spec.list);
    if (list == fields.end() || !list->is_array()) continue;
    for (const json& obj : *list) NCBNET_RETURN_IF_ERROR(add(spec, obj));
  }
  return out;
}

Result<std::string> NormaliseIdentifier(const IdentifierSpec& spec,
                                        const std::map<std::string, std::string>& values) {
  std::vector<std::string> v;
  for (const std::string& name : spec.fields) {
    auto it = values.find(name);
    if (it == values.end() || it->second.empty()) {
      return Status::InvalidArgument("missing_field", "\"" + name + "\" is required");
    }
    v.push_back(it->second);
  }
  return Normalise(spec.kind, v);
}

std::vector<std::string> ExtractNames(const DatabaseSchema& schema, const nlohmann::json& fields) {
  std::vector<std::string> out;
  for (const std::string& name : schema.name_fields) {
    auto it = fields.find(name);
    if (it == fields.end()) continue;
    auto add = [&](const json& s) {
      if (s.is_string() && std::find(out.begin(), out.end(), s.get<std::string>()) == out.end()) {
        out.push_back(s.get<std::string>());
      }
    };
    if (it->is_array()) {
      for (const json& s : *it) add(s);
    } else {
      add(*it);
    }
  }
  return out;
}

}  // namespace ncbnet::records
