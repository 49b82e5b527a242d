#include "records/catalogue.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "core/check.h"
#include "core/json.h"
#include "records/catalogue_data.h"

namespace ncbnet::records {
namespace {

using nlohmann::json;

struct TypeName {
  FieldType type;
  std::string_view name;
};
constexpr TypeName kTypeNames[] = {
    {FieldType::kText, "text"},
    {FieldType::kInteger, "integer"},
    {FieldType::kDate, "date"},
    {FieldType::kPartialDate, "partial_date"},
    {FieldType::kCountry, "country"},
    {FieldType::kCountryList, "country_list"},
    {FieldType::kEnum, "enum"},
    {FieldType::kTextList, "text_list"},
    {FieldType::kObjectList, "object_list"},
};

struct KindName {
  IdentifierKind kind;
  std::string_view name;
  std::size_t arity;
};
constexpr KindName kKindNames[] = {
    {IdentifierKind::kDocument, "document", 2}, {IdentifierKind::kVin, "vin", 1},
    {IdentifierKind::kPlate, "plate", 2},       {IdentifierKind::kFirearm, "firearm", 2},
    {IdentifierKind::kImo, "imo", 1},           {IdentifierKind::kSeries, "series", 2},
};

Status Invalid(const std::string& where, const std::string& why) {
  return Status::InvalidArgument("invalid_catalogue", where + ": " + why);
}

bool IsName(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool IsCode(const std::string& s) {
  return !s.empty() && s.size() <= 16 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Reads `key` of `obj` as T if present; a wrong type is an error naming `where`.
template <typename T>
Status Get(const json& obj, const char* key, const std::string& where, T& out) {
  auto it = obj.find(key);
  if (it == obj.end()) return Status::Ok();
  try {
    out = it->get<T>();
  } catch (const json::exception&) {
    return Invalid(where, std::string("bad \"") + key + "\"");
  }
  return Status::Ok();
}

Status CheckKeys(const json& obj, const std::string& where,
                 std::initializer_list<const char*> keys) {
  if (!obj.is_object()) return Invalid(where, "not an object");
  for (const auto& item : obj.items()) {
    // Not a structured binding: clang 14 (the fuzz preset) cannot capture one in a lambda.
    const std::string& key = item.key();
    if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return key == k; })) {
      return Invalid(where, "unknown key \"" + key.substr(0, 32) + "\"");
    }
  }
  return Status::Ok();
}

Result<FieldSpec> ParseField(const json& j, const std::string& db, int depth) {
  const std::string where0 = db + " field";
  NCBNET_RETURN_IF_ERROR(CheckKeys(j, where0,
                                   {"name", "type", "required", "max_length", "max_items", "min",
                                    "max", "values", "fields", "description"}));
  FieldSpec f;
  NCBNET_RETURN_IF_ERROR(Get(j, "name", where0, f.name));
  if (!IsName(f.name)) return Invalid(where0, "a name is 1-64 of [a-z0-9_]");
  const std::string where = db + "." + f.name;
  std::string type;
  NCBNET_RETURN_IF_ERROR(Get(j, "type", where, type));
  const auto* t = std::find_if(std::begin(kTypeNames), std::end(kTypeNames),
                               [&](const TypeName& n) { return n.name == type; });
  if (t == std::end(kTypeNames))
    return Invalid(where, "unknown type \"" + type.substr(0, 32) + "\"");
  f.type = t->type;
  NCBNET_RETURN_IF_ERROR(Get(j, "required", where, f.required));
  NCBNET_RETURN_IF_ERROR(Get(j, "max_length", where, f.max_length));
  NCBNET_RETURN_IF_ERROR(Get(j, "max_items", where, f.max_items));
  NCBNET_RETURN_IF_ERROR(Get(j, "min", where, f.min));
  NCBNET_RETURN_IF_ERROR(Get(j, "max", where, f.max));
  NCBNET_RETURN_IF_ERROR(Get(j, "values", where, f.values));
  NCBNET_RETURN_IF_ERROR(Get(j, "description", where, f.description));
  if (f.max_length == 0 || f.max_length > 65536)
    return Invalid(where, "max_length out of 1..65536");
  if (f.max_items == 0 || f.max_items > 1000) return Invalid(where, "max_items out of 1..1000");
  if (f.type == FieldType::kEnum && f.values.empty()) return Invalid(where, "an enum needs values");
  if (f.type == FieldType::kInteger && f.min > f.max) return Invalid(where, "min > max");
  if (f.type == FieldType::kObjectList) {
    if (depth > 0) return Invalid(where, "object lists do not nest");
    auto it = j.find("fields");
    if (it == j.end() || !it->is_array() || it->empty()) {
      return Invalid(where, "an object list needs fields");
    }
    for (const json& sub : *it) {
      NCBNET_ASSIGN_OR_RETURN(FieldSpec s, ParseField(sub, where, depth + 1));
      f.fields.push_back(std::move(s));
    }
  }
  return f;
}

const FieldSpec* FindIn(const std::vector<FieldSpec>& fields, std::string_view name) {
  for (const FieldSpec& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Result<IdentifierSpec> ParseIdentifier(const json& j, const DatabaseSchema& db) {
  const std::string where0 = db.code + " identifier";
  NCBNET_RETURN_IF_ERROR(
      CheckKeys(j, where0, {"name", "kind", "fields", "list", "range_from", "range_to"}));
  IdentifierSpec id;
  std::string kind;
  NCBNET_RETURN_IF_ERROR(Get(j, "name", where0, id.name));
  if (!IsName(id.name)) return Invalid(where0, "a name is 1-64 of [a-z0-9_]");
  const std::string where = db.code + " identifier " + id.name;
  NCBNET_RETURN_IF_ERROR(Get(j, "kind", where, kind));
  NCBNET_RETURN_IF_ERROR(Get(j, "fields", where, id.fields));
  NCBNET_RETURN_IF_ERROR(Get(j, "list", where, id.list));
  NCBNET_RETURN_IF_ERROR(Get(j, "range_from", where, id.range_from));
  NCBNET_RETURN_IF_ERROR(Get(j, "range_to", where, id.range_to));
  const auto* k = std::find_if(std::begin(kKindNames), std::end(kKindNames),
                               [&](const KindName& n) { return n.name == kind; });
  if (k == std::end(kKindNames))
    return Invalid(where, "unknown kind \"" + kind.substr(0, 32) + "\"");
  id.kind = k->kind;
  if (id.fields.size() != k->arity) {
    return Invalid(where, "kind " + kind + " takes " + std::to_string(k->arity) + " field(s)");
  }
  const std::vector<FieldSpec>* scope = &db.fields;
  if (!id.list.empty()) {
    const FieldSpec* list = db.Field(id.list);
    if (list == nullptr || list->type != FieldType::kObjectList) {
      return Invalid(where, "list is not an object-list field");
    }
    scope = &list->fields;
  }
  for (const std::string& name : id.fields) {
    const FieldSpec* f = FindIn(*scope, name);
    if (f == nullptr) return Invalid(where, "no field \"" + name + "\"");
    if (f->type != FieldType::kText && f->type != FieldType::kCountry) {
      return Invalid(where, "field \"" + name + "\" is not a text or country");
    }
  }
  if (id.kind == IdentifierKind::kSeries) {
    for (const std::string* name : {&id.range_from, &id.range_to}) {
      const FieldSpec* f = db.Field(*name);
      if (f == nullptr || f->type != FieldType::kInteger || !f->required) {
        return Invalid(where, "a series needs required integer range_from and range_to fields");
      }
    }
  }
  return id;
}

Result<DatabaseSchema> ParseDatabase(const json& j) {
  NCBNET_RETURN_IF_ERROR(
      CheckKeys(j, "database",
                {"code", "title", "review_years", "managed", "fields", "identifiers", "names",
                 "dob_field", "sex_field", "nationality_field"}));
  DatabaseSchema db;
  NCBNET_RETURN_IF_ERROR(Get(j, "code", "database", db.code));
  if (!IsCode(db.code)) return Invalid("database", "a code is 1-16 of [A-Z0-9_]");
  NCBNET_RETURN_IF_ERROR(Get(j, "title", db.code, db.title));
  NCBNET_RETURN_IF_ERROR(Get(j, "review_years", db.code, db.review_years));
  NCBNET_RETURN_IF_ERROR(Get(j, "managed", db.code, db.managed));
  if (db.review_years < 1 || db.review_years > 10) {
    return Invalid(db.code, "review_years out of 1..10");
  }
  auto fields = j.find("fields");
  if (fields == j.end() || !fields->is_array() || fields->empty()) {
    return Invalid(db.code, "no fields");
  }
  std::set<std::string> seen;
  for (const json& f : *fields) {
    NCBNET_ASSIGN_OR_RETURN(FieldSpec spec, ParseField(f, db.code, 0));
    if (!seen.insert(spec.name).second) return Invalid(db.code, "field " + spec.name + " twice");
    db.fields.push_back(std::move(spec));
  }
  if (auto ids = j.find("identifiers"); ids != j.end()) {
    if (!ids->is_array()) return Invalid(db.code, "identifiers is not a list");
    for (const json& i : *ids) {
      NCBNET_ASSIGN_OR_RETURN(IdentifierSpec spec, ParseIdentifier(i, db));
      if (db.Identifier(spec.name) != nullptr) return Invalid(db.code, "identifier twice");
      db.identifiers.push_back(std::move(spec));
    }
  }
  NCBNET_RETURN_IF_ERROR(Get(j, "names", db.code, db.name_fields));
  for (const std::string& name : db.name_fields) {
    const FieldSpec* f = db.Field(name);
    if (f == nullptr || (f->type != FieldType::kText && f->type != FieldType::kTextList)) {
      return Invalid(db.code, "name field \"" + name + "\" is not a text field");
    }
  }
  NCBNET_RETURN_IF_ERROR(Get(j, "dob_field", db.code, db.dob_field));
  NCBNET_RETURN_IF_ERROR(Get(j, "sex_field", db.code, db.sex_field));
  NCBNET_RETURN_IF_ERROR(Get(j, "nationality_field", db.code, db.nationality_field));
  for (const std::string* name : {&db.dob_field, &db.sex_field, &db.nationality_field}) {
    if (!name->empty() && db.Field(*name) == nullptr) {
      return Invalid(db.code, "no field \"" + *name + "\"");
    }
  }
  return db;
}

}  // namespace

std::string_view FieldTypeName(FieldType type) {
  for (const TypeName& n : kTypeNames) {
    if (n.type == type) return n.name;
  }
  return "unknown";
}

std::string_view IdentifierKindName(IdentifierKind kind) {
  for (const KindName& n : kKindNames) {
    if (n.kind == kind) return n.name;
  }
  return "unknown";
}

const FieldSpec* DatabaseSchema::Field(std::string_view name) const { return FindIn(fields, name); }

const IdentifierSpec* DatabaseSchema::Identifier(std::string_view name) const {
  for (const IdentifierSpec& i : identifiers) {
    if (i.name == name) return &i;
  }
  return nullptr;
}

Result<Catalogue> Catalogue::Parse(std::string_view text) {
  json j = ParseJson(text);
  if (j.is_discarded()) return Invalid("catalogue", "not JSON");
  NCBNET_RETURN_IF_ERROR(CheckKeys(j, "catalogue", {"databases"}));
  auto dbs = j.find("databases");
  if (dbs == j.end() || !dbs->is_array() || dbs->empty())
    return Invalid("catalogue", "no databases");
  Catalogue out;
  for (const json& d : *dbs) {
    NCBNET_ASSIGN_OR_RETURN(DatabaseSchema db, ParseDatabase(d));
    if (out.Find(db.code).ok()) return Invalid(db.code, "defined twice");
    out.databases_.push_back(std::move(db));
  }
  return out;
}

const Catalogue& Catalogue::Builtin() {
  static const Catalogue* const kBuiltin = [] {
    auto parsed = Parse(BuiltinCatalogueJson());
    NCBNET_CHECK(parsed.ok(), "the built-in catalogue does not parse");
    return new Catalogue(std::move(parsed).value());
  }();
  return *kBuiltin;
}

Result<const DatabaseSchema*> Catalogue::Find(std::string_view code) const {
  for (const DatabaseSchema& db : databases_) {
    if (db.code == code) return &db;
  }
  return Status::NotFound("unknown_database", "no database " + std::string(code.substr(0, 16)));
}

}  // namespace ncbnet::records
