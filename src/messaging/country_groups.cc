#include "messaging/country_groups.h"

#include <algorithm>

#include "core/countries.h"
#include "messaging/message.h"

namespace ncbnet::messaging {
namespace {

Status InvalidGroup(std::string_view field, std::string_view why) {
  return Status::InvalidArgument("invalid_group", std::string(field) + ": " + std::string(why));
}

bool IsCleanLine(std::string_view s) {
  // Bytes below 0x20 and DEL; UTF-8 validity is checked by the JSON parser on the way in.
  return std::none_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

// A member country is one the network has an NCB for: the countries it was created with.
Status CheckCountry(store::Transaction& tx, const std::string& code) {
  const Status unknown =
      Status::InvalidArgument("unknown_country", "not a member country: " + code.substr(0, 8));
  if (!IsAlpha3(code)) return unknown;
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT 1 FROM agencies WHERE kind = 'ncb' AND country = ?", {code}));
  if (!row) return unknown;
  return Status::Ok();
}

Result<std::vector<std::string>> Members(store::Transaction& tx, std::string_view name) {
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<store::Row> rows,
      tx.Query("SELECT country FROM country_group_members WHERE name = ? ORDER BY country",
               {name}));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const store::Row& row : rows) out.push_back(row[0].AsText());
  return out;
}

Result<CountryGroup> FromRow(store::Transaction& tx, const store::Row& row) {
  CountryGroup g;
  g.name = row[0].AsText();
  g.description = row[1].AsText();
  g.created_ms = row[2].AsInt();
  g.updated_ms = row[3].AsInt();
  NCBNET_ASSIGN_OR_RETURN(g.countries, Members(tx, g.name));
  return g;
}

}  // namespace

Result<PutResult> PutCountryGroup(store::Transaction& tx, std::string_view name,
                                  std::string_view description,
                                  const std::vector<std::string>& countries, std::int64_t now_ms) {
  if (!IsGroupName(name)) return InvalidGroup("name", "expected 2-64 of [a-z0-9-]");
  if (description.size() > kMaxGroupDescriptionBytes || !IsCleanLine(description)) {
    return InvalidGroup("description", "at most 1000 bytes, no control characters");
  }
  std::vector<std::string> members = countries;
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  if (members.empty() || members.size() > kMaxGroupMembers) {
    return InvalidGroup("countries", "a group has 1 to 195 member countries");
  }
  for (const std::string& c : members) NCBNET_RETURN_IF_ERROR(CheckCountry(tx, c));

  NCBNET_ASSIGN_OR_RETURN(std::optional<CountryGroup> existing, GetCountryGroup(tx, name));
  PutResult out;
  out.created = !existing;
  out.group.name = std::string(name);
  out.group.description = std::string(description);
  out.group.countries = members;
  out.group.created_ms = existing ? existing->created_ms : now_ms;
  out.group.updated_ms = now_ms;
  if (existing) {
    NCBNET_RETURN_IF_ERROR(tx.Exec("UPDATE country_groups SET description = ?, updated_ms = ?"
                                   " WHERE name = ?",
                                   {description, now_ms, name})
                               .status());
    NCBNET_RETURN_IF_ERROR(
        tx.Exec("DELETE FROM country_group_members WHERE name = ?", {name}).status());
  } else {
    NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO country_groups (name, description, created_ms,"
                                   " updated_ms) VALUES (?, ?, ?, ?)",
                                   {name, description, now_ms, now_ms})
                               .status());
  }
  for (const std::string& c : members) {
    NCBNET_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO country_group_members (name, country) VALUES (?, ?)", {name, c})
            .status());
  }
  return out;
}

Result<std::optional<CountryGroup>> GetCountryGroup(store::Transaction& tx, std::string_view name) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne("SELECT name, description, created_ms, updated_ms"
                                      " FROM country_groups WHERE name = ?",
                                      {name}));
  if (!row) return std::optional<CountryGroup>();
  NCBNET_ASSIGN_OR_RETURN(CountryGroup g, FromRow(tx, *row));
  return std::optional<CountryGroup>(std::move(g));
}

Result<std::vector<CountryGroup>> ListCountryGroups(store::Transaction& tx) {
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows,
                          tx.Query("SELECT name, description, created_ms, updated_ms"
                                   " FROM country_groups ORDER BY name"));
  std::vector<CountryGroup> out;
  out.reserve(rows.size());
  for (const store::Row& row : rows) {
    NCBNET_ASSIGN_OR_RETURN(CountryGroup g, FromRow(tx, row));
    out.push_back(std::move(g));
  }
  return out;
}

Status DeleteCountryGroup(store::Transaction& tx, std::string_view name) {
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("DELETE FROM country_group_members WHERE name = ?", {name}).status());
  NCBNET_ASSIGN_OR_RETURN(std::int64_t deleted,
                          tx.Exec("DELETE FROM country_groups WHERE name = ?", {name}));
  if (deleted == 0) return Status::NotFound("group_not_found", "no such country group");
  return Status::Ok();
}

}  // namespace ncbnet::messaging
