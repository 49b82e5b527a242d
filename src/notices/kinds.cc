#include "notices/kinds.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "core/check.h"
#include "core/json.h"
#include "notices/kinds_data.h"

namespace ncbnet::notices {
namespace {

using nlohmann::json;

Status Invalid(const std::string& where, const std::string& why) {
  return Status::InvalidArgument("invalid_kinds", where + ": " + why);
}

Result<std::vector<std::string>> Names(const json& j, const char* key, const std::string& where) {
  std::vector<std::string> out;
  const auto it = j.find(key);
  if (it == j.end()) return out;
  if (!it->is_array()) return Invalid(where, std::string(key) + " is not a list");
  for (const json& v : *it) {
    if (!v.is_string()) return Invalid(where, std::string(key) + " holds a non-string");
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

// The kind's fields as a database of the records catalogue, so that the catalogue's parser
// checks their specs and records::ValidateFields checks notices.
Result<records::DatabaseSchema> SchemaOf(const json& kind, const json& person_fields,
                                         const std::string& name, bool person,
                                         const std::vector<std::string>& required) {
  json fields = person ? person_fields : json::array();
  const auto own = kind.find("fields");
  if (own == kind.end() || !own->is_array()) return Invalid(name, "no fields");
  for (const json& f : *own) fields.push_back(f);
  std::set<std::string> missing(required.begin(), required.end());
  for (json& f : fields) {
    if (!f.is_object() || !f.contains("name") || !f["name"].is_string()) continue;
    if (missing.erase(f["name"].get<std::string>()) > 0) f["required"] = true;
  }
  if (!missing.empty()) return Invalid(name, "required field " + *missing.begin() + " unknown");
  json db = {{"code", Upper(name)}, {"title", name}, {"review_years", 5}, {"fields", fields}};
  if (person) {
    db["identifiers"] = json::array({{{"name", "document"},
                                      {"kind", "document"},
                                      {"list", "identity_documents"},
                                      {"fields", {"issuing_country", "number"}}}});
    db["names"] = {"name", "name_latin", "aliases"};
    db["dob_field"] = "date_of_birth";
    db["sex_field"] = "sex";
    db["nationality_field"] = "nationalities";
  }
  NCBNET_ASSIGN_OR_RETURN(records::Catalogue one,
                          records::Catalogue::Parse(json{{"databases", {db}}}.dump()));
  return one.databases().front();
}

Result<Kind> ParseKind(const json& j, const json& person_fields) {
  if (!j.is_object()) return Invalid("kinds", "a kind is not an object");
  Kind k;
  const auto text = [&](const char* key, std::string& out) -> Status {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string() || it->get<std::string>().empty()) {
      return Invalid(k.name.empty() ? "kinds" : k.name, std::string(key) + " missing");
    }
    out = it->get<std::string>();
    return Status::Ok();
  };
  NCBNET_RETURN_IF_ERROR(text("kind", k.name));
  NCBNET_RETURN_IF_ERROR(text("title", k.title));
  NCBNET_RETURN_IF_ERROR(text("prefix", k.prefix));
  NCBNET_RETURN_IF_ERROR(text("instruction", k.instruction));
  k.person = j.value("person", false);
  k.always_public = j.value("always_public", false);
  NCBNET_ASSIGN_OR_RETURN(std::vector<std::string> required, Names(j, "required", k.name));
  NCBNET_ASSIGN_OR_RETURN(k.public_fields, Names(j, "public", k.name));
  NCBNET_ASSIGN_OR_RETURN(k.assurances, Names(j, "assurances", k.name));
  NCBNET_ASSIGN_OR_RETURN(k.schema, SchemaOf(j, person_fields, k.name, k.person, required));
  for (const std::string& f : k.public_fields) {
    if (k.schema.Field(f) == nullptr) return Invalid(k.name, "public field " + f + " unknown");
  }
  for (const std::string& a : k.assurances) {
    if (k.schema.Field(a) != nullptr) return Invalid(k.name, "assurance " + a + " is a field");
  }
  k.draft_schema = k.schema;
  for (records::FieldSpec& f : k.draft_schema.fields) f.required = false;
  return k;
}

}  // namespace

Result<Kinds> Kinds::Parse(std::string_view text) {
  const json j = ParseJson(text);
  if (j.is_discarded() || !j.is_object()) return Invalid("kinds", "not a JSON object");
  const json person_fields = j.value("person_fields", json::array());
  const auto list = j.find("kinds");
  if (list == j.end() || !list->is_array() || list->empty()) return Invalid("kinds", "no kinds");
  Kinds out;
  for (const json& k : *list) {
    NCBNET_ASSIGN_OR_RETURN(Kind kind, ParseKind(k, person_fields));
    if (out.Find(kind.name).ok()) return Invalid(kind.name, "defined twice");
    out.kinds_.push_back(std::move(kind));
  }
  return out;
}

const Kinds& Kinds::Builtin() {
  static const Kinds* const kBuiltin = [] {
    auto parsed = Parse(BuiltinKindsJson());
    NCBNET_CHECK(parsed.ok(), "the built-in kinds of notices must parse");
    return new Kinds(std::move(parsed).value());
  }();
  return *kBuiltin;
}

Result<const Kind*> Kinds::Find(std::string_view name) const {
  for (const Kind& k : kinds_) {
    if (k.name == name) return &k;
  }
  return Status::InvalidArgument("unknown_notice_kind",
                                 "no kind of notice '" + std::string(name.substr(0, 32)) + "'");
}

std::string InstructionFor(const Kind& kind, std::string_view control_number,
                           std::string_view requesting_country) {
  std::string out = kind.instruction;
  const auto fill = [&out](std::string_view key, std::string_view value) {
    for (std::size_t at = out.find(key); at != std::string::npos; at = out.find(key, at)) {
      out.replace(at, key.size(), value);
      at += value.size();
    }
  };
  fill("{control_number}", control_number);
  fill("{requesting_country}", requesting_country);
  return out.substr(0, 1000);
}

}  // namespace ncbnet::notices
