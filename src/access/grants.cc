#include "access/grants.h"

#include <algorithm>

#include "access/agencies.h"
#include "access/capabilities.h"
#include "crypto/random.h"

namespace ncbnet::access {
namespace {

constexpr std::string_view kGrantColumns =
    "id, agency_id, capability, parent_id, granted_by_agency, granted_by_user, created_ms, "
    "expires_ms, revoked_ms";

constexpr std::string_view kLive = "revoked_ms IS NULL AND (expires_ms IS NULL OR expires_ms > ?)";

Grant GrantFromRow(const store::Row& row) {
  Grant g;
  g.id = row[0].AsText();
  g.agency_id = row[1].AsText();
  g.capability = row[2].AsText();
  g.parent_id = row[3].AsOptionalText();
  g.granted_by_agency = row[4].AsOptionalText();
  g.granted_by_user = row[5].AsOptionalText();
  g.created_ms = row[6].AsInt();
  g.expires_ms = row[7].AsOptionalInt();
  g.revoked_ms = row[8].AsOptionalInt();
  return g;
}

Status InsertGrant(store::Transaction& tx, const Grant& g) {
  return tx
      .Exec("INSERT INTO grants (" + std::string(kGrantColumns) +
                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {g.id, g.agency_id, g.capability, store::Value(g.parent_id),
             store::Value(g.granted_by_agency), store::Value(g.granted_by_user), g.created_ms,
             store::Value(g.expires_ms), store::Value(g.revoked_ms)})
      .status();
}

// The grantor's live grant of `capability` that lasts longest (no expiry beats any expiry).
Result<std::optional<Grant>> BestLiveGrant(store::Transaction& tx, std::string_view agency_id,
                                           std::string_view capability, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<store::Row> rows,
      tx.Query("SELECT " + std::string(kGrantColumns) +
                   " FROM grants WHERE agency_id = ? AND capability = ? AND " + std::string(kLive),
               {agency_id, capability, now_ms}));
  std::optional<Grant> best;
  for (const store::Row& row : rows) {
    Grant g = GrantFromRow(row);
    if (!best || !g.expires_ms || (best->expires_ms && *g.expires_ms > *best->expires_ms)) {
      best = std::move(g);
    }
  }
  return best;
}

}  // namespace

Result<std::set<std::string, std::less<>>> LiveCapabilities(store::Transaction& tx,
                                                            std::string_view agency_id,
                                                            std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<store::Row> rows,
      tx.Query("SELECT capability FROM grants WHERE agency_id = ? AND " + std::string(kLive),
               {agency_id, now_ms}));
  std::set<std::string, std::less<>> caps;
  for (const store::Row& row : rows) caps.insert(row[0].AsText());
  return caps;
}

Result<Grant> InsertRootGrant(store::Transaction& tx, std::string_view capability,
                              std::int64_t now_ms) {
  if (!IsKnownCapability(capability)) {
    return Status::InvalidArgument("unknown_capability", "unknown capability");
  }
  Grant g;
  g.id = crypto::NewId("grt");
  g.agency_id = std::string(kGsAgencyId);
  g.capability = std::string(capability);
  g.created_ms = now_ms;
  NCBNET_RETURN_IF_ERROR(InsertGrant(tx, g));
  return g;
}

Result<Grant> GrantCapability(store::Transaction& tx, const Grantor& grantor,
                              std::string_view agency_id, std::string_view capability,
                              std::optional<std::int64_t> expires_ms, std::int64_t now_ms) {
  if (!IsKnownCapability(capability)) {
    constexpr std::string_view kWrite = "record.write:";
    const bool managed =
        capability.starts_with(kWrite) && IsManagedDatabase(capability.substr(kWrite.size()));
    return Status::InvalidArgument(
        "unknown_capability",
        "unknown capability '" + std::string(capability) + "'" +
            (managed ? ": a managed database is written only by the hub's services" : ""));
  }
  NCBNET_ASSIGN_OR_RETURN(bool in_branch, IsInBranch(tx, grantor.agency_id, agency_id));
  NCBNET_ASSIGN_OR_RETURN(std::optional<Agency> target, FindAgency(tx, agency_id));
  if (!in_branch || !target) return Status::NotFound("agency_not_found", "no such agency");
  if (agency_id == grantor.agency_id) {
    return Status::PermissionDenied("self_grant", "an agency cannot grant to itself");
  }
  NCBNET_RETURN_IF_ERROR(RequireEnabled(*target));
  if (expires_ms && *expires_ms <= now_ms) {
    return Status::InvalidArgument("invalid_request", "expires_at must be in the future");
  }
  NCBNET_ASSIGN_OR_RETURN(std::optional<Grant> parent,
                          BestLiveGrant(tx, grantor.agency_id, capability, now_ms));
  if (!parent) {
    return Status::PermissionDenied("grant_exceeds_own",
                                    "the granting agency does not hold " + std::string(capability));
  }
  Grant g;
  g.id = crypto::NewId("grt");
  g.agency_id = std::string(agency_id);
  g.capability = std::string(capability);
  g.parent_id = parent->id;
  g.granted_by_agency = grantor.agency_id;
  if (!grantor.user_id.empty()) g.granted_by_user = grantor.user_id;
  g.created_ms = now_ms;
  g.expires_ms = expires_ms;
  if (parent->expires_ms && (!g.expires_ms || *g.expires_ms > *parent->expires_ms)) {
    g.expires_ms = parent->expires_ms;  // never outlive the grant it derives from
  }
  NCBNET_RETURN_IF_ERROR(InsertGrant(tx, g));
  return g;
}

Result<std::vector<std::string>> RevokeGrant(store::Transaction& tx, const Grantor& grantor,
                                             std::string_view grant_id, std::int64_t now_ms) {
  const Status not_found = Status::NotFound("grant_not_found", "no such grant");
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT granted_by_agency FROM grants WHERE id = ?", {grant_id}));
  if (!row || row->front().is_null()) return not_found;  // root grants are not revocable
  NCBNET_ASSIGN_OR_RETURN(bool in_branch, IsInBranch(tx, grantor.agency_id, row->front().AsText()));
  if (!in_branch) return not_found;

  NCBNET_ASSIGN_OR_RETURN(
      std::vector<store::Row> rows,
      tx.Query("WITH RECURSIVE sub(id) AS (SELECT id FROM grants WHERE id = ? "
               "UNION SELECT g.id FROM grants g JOIN sub ON g.parent_id = sub.id) "
               "SELECT grants.id FROM grants JOIN sub ON grants.id = sub.id "
               "WHERE grants.revoked_ms IS NULL ORDER BY grants.created_ms, grants.id",
               {grant_id}));
  std::vector<std::string> revoked;
  for (const store::Row& r : rows) {
    NCBNET_RETURN_IF_ERROR(
        tx.Exec("UPDATE grants SET revoked_ms = ? WHERE id = ?", {now_ms, r[0].AsText()}).status());
    revoked.push_back(r[0].AsText());
  }
  return revoked;
}

Result<std::vector<Grant>> ListGrants(store::Transaction& tx, std::string_view agency_id) {
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows,
                          tx.Query("SELECT " + std::string(kGrantColumns) +
                                       " FROM grants WHERE agency_id = ? ORDER BY created_ms, id",
                                   {agency_id}));
  std::vector<Grant> out;
  out.reserve(rows.size());
  for (const store::Row& row : rows) out.push_back(GrantFromRow(row));
  return out;
}

}  // namespace ncbnet::access
