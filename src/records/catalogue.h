// The catalogue of the network's databases (issue 4): each database is a schema described as
// data, so adding one is configuration, not code. The network ships the catalogue in
// records/catalogue_data.cc (SLTD, SMV, NOMINAL, FIREARMS, WOA, SAD, VESSELS, and NOTICES, the
// subjects of live notices); its JSON form is documented in docs/records.md.
//
// A schema lists fields (name, type, whether required, limits), the identifiers checked by
// exact match (each a normaliser of index/identifiers.h over one or two fields, possibly inside
// a list of objects), and the fields that hold person names (searched by text/ and
// index/name_index.h).
//
// Thread safety: a Catalogue is immutable once parsed.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ncbnet::records {

enum class FieldType {
  kText,         // UTF-8 without control characters, at most max_length bytes
  kInteger,      // within [min, max]
  kDate,         // YYYY-MM-DD
  kPartialDate,  // YYYY, YYYY-MM or YYYY-MM-DD
  kCountry,      // ISO 3166-1 alpha-3 (or an ICAO code of docs/records.md)
  kCountryList,  // a list of those
  kEnum,         // one of `values`
  kTextList,     // a list of texts
  kObjectList,   // a list of objects whose fields are `fields`
};

std::string_view FieldTypeName(FieldType type);

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::kText;
  bool required = false;
  std::size_t max_length = 200;     // bytes, for texts (each element of a list)
  std::size_t max_items = 20;       // lists
  std::int64_t min = 0, max = 0;    // integers
  std::vector<std::string> values;  // enums
  std::vector<FieldSpec> fields;    // object lists
  std::string description;
};

// How an identifier is normalised (index/identifiers.h).
enum class IdentifierKind {
  kDocument,  // fields: issuing country, number -> "FRA:AB1234567"
  kVin,       // fields: vin
  kPlate,     // fields: country, plate -> "FRA:AB123CD"
  kFirearm,   // fields: make, serial -> "MAKE:SERIAL"
  kImo,       // fields: imo number
  kSeries,    // fields: issuing country, series -> "FRA:SERIES"; the record's number range is
              // checked after the lookup (SAD)
};

std::string_view IdentifierKindName(IdentifierKind kind);

struct IdentifierSpec {
  std::string name;  // "document", "vin", ...: what checks are asked by
  IdentifierKind kind = IdentifierKind::kDocument;
  // The fields the normaliser takes, in its order. When `list` is set, they are fields of each
  // object of that object-list field, and every object gives one identifier (NOMINAL's identity
  // documents).
  std::vector<std::string> fields;
  std::string list;
  // kSeries only: the record's fields holding the first and last number of the range.
  std::string range_from, range_to;
};

struct DatabaseSchema {
  std::string code;  // "SLTD"
  std::string title;
  int review_years = 5;  // default review period of a record
  // Written only by a service of the hub (NOTICES: the notices library, through records.h),
  // never through the records API or imports; read and checked like any other database.
  bool managed = false;
  std::vector<FieldSpec> fields;
  std::vector<IdentifierSpec> identifiers;
  // Person names: text or text-list fields searched by name. The first is the primary name.
  std::vector<std::string> name_fields;
  std::string dob_field, sex_field, nationality_field;  // name-search filters; may be empty

  const FieldSpec* Field(std::string_view name) const;
  const IdentifierSpec* Identifier(std::string_view name) const;
};

class Catalogue {
 public:
  // Parses a catalogue's JSON (docs/records.md). Error: kInvalidArgument "invalid_catalogue"
  // naming the database and field at fault.
  static Result<Catalogue> Parse(std::string_view json);

  // The catalogue the network ships (catalogue_data.cc), parsed once.
  static const Catalogue& Builtin();

  // The schema of `code`; kNotFound "unknown_database" if there is none.
  Result<const DatabaseSchema*> Find(std::string_view code) const;

  const std::vector<DatabaseSchema>& databases() const { return databases_; }

 private:
  std::vector<DatabaseSchema> databases_;
};

}  // namespace ncbnet::records
