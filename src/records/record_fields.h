// Validation of a record's fields against its database's schema, and the identifiers and
// names a valid record gives the indexes.
//
// Thread safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "records/catalogue.h"

namespace ncbnet::records {

// Checks `fields` (a JSON object) against `schema` and returns it in canonical form: keys
// sorted, texts trimmed, country codes upper-cased, empty optional values dropped. Errors, each
// kInvalidArgument with a message naming the field (and list position): "invalid_record" (not
// an object, or too large), "unknown_field", "missing_field", "invalid_field" (wrong type,
// too long, bad date, not an allowed value, control characters), and the normaliser's code
// ("invalid_document_number", "invalid_vin", ...) when an identifier field does not normalise.
Result<nlohmann::json> ValidateFields(const DatabaseSchema& schema, const nlohmann::json& fields);

struct NormalisedIdentifier {
  std::string name;   // the schema's identifier name
  std::string value;  // the normalised identifier, e.g. "FRA:AB1234567"
  friend bool operator==(const NormalisedIdentifier&, const NormalisedIdentifier&) = default;
};

// Every identifier of valid `fields` (ValidateFields' output), deduplicated, in schema order.
// An identifier whose fields are absent (optional) gives nothing.
Result<std::vector<NormalisedIdentifier>> ExtractIdentifiers(const DatabaseSchema& schema,
                                                             const nlohmann::json& fields);

// The normalised form of one identifier a check asks about, from its field values by name
// (e.g. {"number": "ab 123", "issuing_country": "fra"} for SLTD's "document"). Errors:
// kInvalidArgument "missing_field" or the normaliser's code.
Result<std::string> NormaliseIdentifier(const IdentifierSpec& spec,
                                        const std::map<std::string, std::string>& values);

// The person names of valid `fields`: the primary name first, then the others (aliases,
// original script), each non-empty.
std::vector<std::string> ExtractNames(const DatabaseSchema& schema, const nlohmann::json& fields);

}  // namespace ncbnet::records
