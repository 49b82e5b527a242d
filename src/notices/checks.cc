#include "notices/internal/checks.h"

#include <algorithm>
#include <set>

#include "core/time_format.h"
#include "notices/internal/notice_rows.h"
#include "records/record_fields.h"
#include "text/name_tokens.h"

namespace ncbnet::notices::internal {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxFieldsBytes = 64 * 1024;
constexpr int kMaxDuplicateCandidates = 2000;

// Date fields that may not lie in the future.
constexpr const char* kPastDates[] = {"date_of_birth", "warrant_date", "date_found",
                                      "date_of_disappearance"};

bool IsEmpty(const json& v) {
  return v.is_null() || (v.is_string() && v.get<std::string>().empty()) ||
         (v.is_array() && v.empty());
}

// The name's tokens sorted, so "Ivan Volkov" and "VOLKOV Ivan" compare equal; empty if none.
std::string NameKey(const json& fields) {
  for (const char* key : {"name_latin", "name"}) {
    const auto it = fields.find(key);
    if (it == fields.end() || !it->is_string()) continue;
    Result<std::vector<std::string>> tokens = text::NameTokens(it->get<std::string>());
    if (!tokens.ok() || tokens->empty()) continue;
    std::sort(tokens->begin(), tokens->end());
    std::string out;
    for (const std::string& t : *tokens) out += t + " ";
    return out;
  }
  return "";
}

std::set<std::string> DocumentKeys(const Kind& kind, const json& fields) {
  std::set<std::string> out;
  Result<std::vector<records::NormalisedIdentifier>> ids =
      records::ExtractIdentifiers(kind.schema, fields);
  if (!ids.ok()) return out;
  for (const records::NormalisedIdentifier& id : *ids) out.insert(id.value);
  return out;
}

}  // namespace

Result<json> ValidateDraftFields(const Kind& kind, const json& fields) {
  if (!fields.is_object())
    return Status::InvalidArgument("invalid_notice", "fields: not an object");
  if (fields.dump().size() > kMaxFieldsBytes) {
    return Status::InvalidArgument("invalid_notice", "fields: over 64 KiB");
  }
  json rest = fields;
  json assurances = json::object();
  for (const std::string& a : kind.assurances) {
    const auto it = rest.find(a);
    if (it == rest.end() || it->is_null()) continue;
    if (!it->is_boolean()) return Status::InvalidArgument("invalid_notice", a + ": not a boolean");
    assurances[a] = *it;
    rest.erase(a);
  }
  Result<json> valid = records::ValidateFields(kind.draft_schema, rest);
  if (!valid.ok()) return Status::InvalidArgument("invalid_notice", valid.status().message());
  for (const auto& [key, value] : assurances.items()) (*valid)[key] = value;
  return std::move(valid).value();
}

std::vector<Problem> CheckComplete(const Kind& kind, const json& fields, std::int64_t now_ms) {
  std::vector<Problem> out;
  for (const records::FieldSpec& f : kind.schema.fields) {
    const auto it = fields.find(f.name);
    if (f.required && (it == fields.end() || IsEmpty(*it))) out.push_back({f.name, "missing"});
  }
  for (const std::string& a : kind.assurances) {
    const auto it = fields.find(a);
    if (it == fields.end() || !it->is_boolean() || !it->get<bool>()) {
      out.push_back({a, "must be given (true)"});
    }
  }
  const std::string today = FormatIsoDate(now_ms);
  for (const char* key : kPastDates) {
    const auto it = fields.find(key);
    // Partial dates ("1980", "1980-04") compare as prefixes of a full date.
    if (it != fields.end() && it->is_string() && it->get<std::string>() > today) {
      out.push_back({key, "in the future"});
    }
  }
  for (const char* key : {"name", "name_latin"}) {
    const auto it = fields.find(key);
    if (it != fields.end() && it->is_string() && !text::NameTokens(it->get<std::string>()).ok()) {
      out.push_back({key, "not a person's name"});
    }
  }
  return out;
}

Result<json> FindDuplicates(store::Transaction& tx, const Keys& keys, const Kind& kind,
                            const Notice& n) {
  json out = json::array();
  if (!kind.person) return out;
  const std::set<std::string> docs = DocumentKeys(kind, n.fields);
  const std::string name = NameKey(n.fields);
  const std::string dob = n.fields.value("date_of_birth", "");
  if (docs.empty() && (name.empty() || dob.empty())) return out;
  NCBNET_ASSIGN_OR_RETURN(std::vector<Notice> others,
                          LoadNotices(tx, keys,
                                      "channel = 'notice' AND kind = ? AND id != ?"
                                      " AND state IN ('under_review', 'published')",
                                      {n.kind, n.id}, kMaxDuplicateCandidates, Damaged::kSkip));
  for (const Notice& o : others) {
    std::string matched_by;
    for (const std::string& d : DocumentKeys(kind, o.fields)) {
      if (docs.contains(d)) matched_by = "identity_document";
    }
    if (matched_by.empty() && !name.empty() && !dob.empty() && NameKey(o.fields) == name &&
        o.fields.value("date_of_birth", "") == dob) {
      matched_by = "name_and_date_of_birth";
    }
    if (matched_by.empty()) continue;
    out.push_back({{"type", "possible_duplicate"},
                   {"notice_id", o.id},
                   {"control_number", o.control_number},
                   {"state", o.state},
                   {"requesting_country", o.requesting_country},
                   {"matched_by", matched_by}});
  }
  return out;
}

}  // namespace ncbnet::notices::internal
