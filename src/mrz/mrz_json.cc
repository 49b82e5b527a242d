// The JSON view of a Verdict (docs/mrz.md, "JSON"), shared by `ncbnet mrz parse` and the API.
#include <nlohmann/json.hpp>

#include "mrz/mrz.h"

namespace ncbnet::mrz {

namespace {

using nlohmann::json;

json OrNull(const std::optional<int>& value) { return value ? json(*value) : json(nullptr); }

json OrNull(const std::string& value) { return value.empty() ? json(nullptr) : json(value); }

json CountryJson(const Country& country) {
  return {{"code", country.code},
          {"kind", CountryKindName(country.kind)},
          {"name", OrNull(country.name)},
          {"iso_country", OrNull(country.iso_country)}};
}

json DateJson(const PartialDate& date) {
  return {{"raw", date.raw},
          {"date", OrNull(date.ToIso())},
          {"year", OrNull(date.year)},
          {"month", OrNull(date.month)},
          {"day", OrNull(date.day)}};
}

json ProblemJson(const Problem& problem) {
  json out = {{"code", problem.code}, {"message", problem.message}};
  if (!problem.field.empty()) out["field"] = problem.field;
  if (problem.line > 0) out["line"] = problem.line;
  if (problem.column > 0) out["column"] = problem.column;
  if (!problem.expected.empty()) out["expected"] = problem.expected;
  if (!problem.found.empty()) out["found"] = problem.found;
  return out;
}

json FieldsJson(const Document& doc) {
  json fields = {{"document_code", doc.document_code},
                 {"issuing_state", CountryJson(doc.issuing_state)},
                 {"primary_identifier", doc.name.primary},
                 {"secondary_identifier", doc.name.secondary},
                 {"name_truncated", doc.name.truncated},
                 {"document_number", doc.document_number},
                 {"nationality", CountryJson(doc.nationality)},
                 {"birth_date", DateJson(doc.birth_date)},
                 {"sex", std::string(1, doc.sex)},
                 {"expiry_date", DateJson(doc.expiry_date)}};
  if (doc.format == Format::kTd1 || doc.format == Format::kTd2) {
    fields["extended_document_number"] = doc.extended_document_number;
    fields["document_number_check"] = DocumentNumberCheckName(doc.document_number_check);
  }
  if (doc.format == Format::kTd1) fields["optional_data_2"] = doc.optional_data_2;
  if (doc.format == Format::kTd3) {
    fields["personal_number"] = doc.personal_number;
  } else {
    fields["optional_data"] = doc.optional_data;
  }
  return fields;
}

json ProblemsJson(const std::vector<Problem>& problems) {
  json out = json::array();
  for (const Problem& problem : problems) out.push_back(ProblemJson(problem));
  return out;
}

json DocumentJson(const Document& doc) {
  return {{"format", FormatName(doc.format)}, {"fields", FieldsJson(doc)}, {"lines", doc.lines}};
}

json CorrectedJson(const CorrectedReading& corrected) {
  json corrections = json::array();
  for (const Correction& c : corrected.corrections) {
    corrections.push_back({{"field", c.field},
                           {"line", c.line},
                           {"column", c.column},
                           {"found", std::string(1, c.found)},
                           {"corrected", std::string(1, c.corrected)}});
  }
  json out = DocumentJson(corrected.document);
  out["valid"] = corrected.valid();
  out["corrections"] = std::move(corrections);
  out["problems"] = ProblemsJson(corrected.problems);
  out["warnings"] = ProblemsJson(corrected.warnings);
  return out;
}

}  // namespace

nlohmann::json ToJson(const Verdict& verdict) {
  json out = verdict.document ? DocumentJson(*verdict.document) : json::object();
  out["valid"] = verdict.valid();
  out["problems"] = ProblemsJson(verdict.problems);
  out["warnings"] = ProblemsJson(verdict.warnings);
  if (verdict.corrected) out["corrected"] = CorrectedJson(*verdict.corrected);
  return out;
}

}  // namespace ncbnet::mrz
