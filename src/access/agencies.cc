#include "access/agencies.h"

#include <cctype>

#include "crypto/random.h"

namespace ncbnet::access {
namespace {

constexpr std::string_view kAgencyColumns =
    "id, parent_id, kind, country, name, created_ms, disabled_ms";

Agency AgencyFromRow(const store::Row& row) {
  Agency a;
  a.id = row[0].AsText();
  a.parent_id = row[1].AsOptionalText();
  a.kind = ParseAgencyKind(row[2].AsText()).value_or(AgencyKind::kAgency);
  a.country = row[3].AsOptionalText();
  a.name = row[4].AsText();
  a.created_ms = row[5].AsInt();
  a.disabled_ms = row[6].AsOptionalInt();
  return a;
}

// The tree is shallow (GS, NCB, agency, terminal); a longer walk means a cycle in stored data.
constexpr int kMaxDepth = 8;

}  // namespace

std::string_view AgencyKindName(AgencyKind kind) {
  switch (kind) {
    case AgencyKind::kGs:
      return "gs";
    case AgencyKind::kNcb:
      return "ncb";
    case AgencyKind::kAgency:
      return "agency";
    case AgencyKind::kTerminal:
      return "terminal";
  }
  return "agency";
}

std::optional<AgencyKind> ParseAgencyKind(std::string_view name) {
  if (name == "gs") return AgencyKind::kGs;
  if (name == "ncb") return AgencyKind::kNcb;
  if (name == "agency") return AgencyKind::kAgency;
  if (name == "terminal") return AgencyKind::kTerminal;
  return std::nullopt;
}

std::string NcbIdFor(std::string_view alpha3) {
  std::string id = "ncb-";
  for (char c : alpha3) id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return id;
}

Result<std::optional<Agency>> FindAgency(store::Transaction& tx, std::string_view id) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT " + std::string(kAgencyColumns) + " FROM agencies WHERE id = ?", {id}));
  if (!row) return std::optional<Agency>();
  return std::optional<Agency>(AgencyFromRow(*row));
}

Status InsertAgency(store::Transaction& tx, const Agency& a) {
  auto r = tx.Exec(
      "INSERT INTO agencies (id, parent_id, kind, country, name, created_ms, disabled_ms) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {a.id, store::Value(a.parent_id), AgencyKindName(a.kind), store::Value(a.country), a.name,
       a.created_ms, store::Value(a.disabled_ms)});
  if (!r.ok() && r.status().code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("agency_exists", "agency " + a.id + " already exists");
  }
  return r.status();
}

Result<std::vector<std::string>> EnabledAgencies(store::Transaction& tx,
                                                 const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (const std::string& id : ids) {
    NCBNET_ASSIGN_OR_RETURN(std::optional<Agency> agency, FindAgency(tx, id));
    if (agency && !agency->disabled_ms) out.push_back(id);
  }
  return out;
}

Result<bool> IsInBranch(store::Transaction& tx, std::string_view root, std::string_view id) {
  std::string current(id);
  for (int depth = 0; depth < kMaxDepth; ++depth) {
    if (current == root) return true;
    NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                            tx.QueryOne("SELECT parent_id FROM agencies WHERE id = ?", {current}));
    if (!row || row->front().is_null()) return false;
    current = row->front().AsText();
  }
  return Status::DataLoss("agency_tree_corrupt", "agency tree deeper than expected at " + current);
}

Result<std::vector<Agency>> ListBranch(store::Transaction& tx, std::string_view root) {
  if (root == kGsAgencyId) {
    NCBNET_ASSIGN_OR_RETURN(
        std::vector<store::Row> rows,
        tx.Query("SELECT " + std::string(kAgencyColumns) +
                 " FROM agencies ORDER BY CASE kind WHEN 'gs' THEN 0 WHEN 'ncb' THEN 1 "
                 "WHEN 'agency' THEN 2 ELSE 3 END, id"));
    std::vector<Agency> out;
    out.reserve(rows.size());
    for (const store::Row& row : rows) out.push_back(AgencyFromRow(row));
    return out;
  }
  std::vector<Agency> out;
  NCBNET_ASSIGN_OR_RETURN(std::optional<Agency> top, FindAgency(tx, root));
  if (!top) return out;
  out.push_back(*top);
  // Breadth-first: parents before children.
  for (std::size_t i = 0; i < out.size() && i < 100'000; ++i) {
    NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows,
                            tx.Query("SELECT " + std::string(kAgencyColumns) +
                                         " FROM agencies WHERE parent_id = ? ORDER BY id",
                                     {out[i].id}));
    for (const store::Row& row : rows) out.push_back(AgencyFromRow(row));
  }
  return out;
}

Status RequireEnabled(const Agency& agency) {
  if (!agency.disabled_ms) return Status::Ok();
  return Status::FailedPrecondition("agency_disabled", "the agency " + agency.id + " is disabled");
}

Result<Agency> CreateChildAgency(store::Transaction& tx, std::string_view actor_agency,
                                 std::string_view parent_id, AgencyKind kind, std::string_view name,
                                 std::int64_t now_ms) {
  if (kind != AgencyKind::kAgency && kind != AgencyKind::kTerminal) {
    return Status::InvalidArgument("invalid_request", "kind must be 'agency' or 'terminal'");
  }
  if (name.empty() || name.size() > 200) {
    return Status::InvalidArgument("invalid_request", "name must be 1 to 200 bytes");
  }
  const Status not_found = Status::NotFound("agency_not_found", "no such agency");
  NCBNET_ASSIGN_OR_RETURN(bool visible, IsInBranch(tx, actor_agency, parent_id));
  if (!visible) return not_found;
  NCBNET_ASSIGN_OR_RETURN(std::optional<Agency> parent, FindAgency(tx, parent_id));
  if (!parent) return not_found;
  if (parent->kind != AgencyKind::kNcb && parent->kind != AgencyKind::kAgency) {
    return Status::InvalidArgument("invalid_parent",
                                   "agencies and terminals sit under an NCB or an agency");
  }
  NCBNET_RETURN_IF_ERROR(RequireEnabled(*parent));
  Agency child;
  child.id = crypto::NewId("agc");
  child.parent_id = parent->id;
  child.kind = kind;
  child.country = parent->country;
  child.name = std::string(name);
  child.created_ms = now_ms;
  NCBNET_RETURN_IF_ERROR(InsertAgency(tx, child));
  return child;
}

}  // namespace ncbnet::access
