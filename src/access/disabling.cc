#include "access/disabling.h"

#include <string>
#include <vector>

namespace ncbnet::access {
namespace {

// Runs `sql` with `now_ms` then the agency id once per agency of `ids`; returns rows changed.
Result<std::int64_t> ForEach(store::Transaction& tx, const std::vector<std::string>& ids,
                             const std::string& sql, std::int64_t now_ms) {
  std::int64_t changed = 0;
  for (const std::string& id : ids) {
    NCBNET_ASSIGN_OR_RETURN(std::int64_t n, tx.Exec(sql, {now_ms, id}));
    changed += n;
  }
  return changed;
}

Result<DisableSummary> DisableBranch(store::Transaction& tx, const std::vector<std::string>& ids,
                                     std::int64_t now_ms) {
  DisableSummary s;
  // Sessions first: the join on users must see which users were enabled until now.
  NCBNET_ASSIGN_OR_RETURN(
      s.sessions,
      ForEach(tx, ids,
              "UPDATE sessions SET revoked_ms = ? WHERE agency_id = ? AND revoked_ms IS NULL",
              now_ms));
  NCBNET_ASSIGN_OR_RETURN(
      s.users,
      ForEach(tx, ids,
              "UPDATE users SET disabled_ms = ? WHERE agency_id = ? AND disabled_ms IS NULL",
              now_ms));
  NCBNET_ASSIGN_OR_RETURN(
      s.certificates,
      ForEach(tx, ids,
              "UPDATE certificates SET revoked_ms = ? WHERE agency_id = ? AND revoked_ms IS NULL",
              now_ms));
  NCBNET_ASSIGN_OR_RETURN(
      s.grants,
      ForEach(tx, ids,
              "UPDATE grants SET revoked_ms = ? WHERE agency_id = ? AND revoked_ms IS NULL",
              now_ms));
  NCBNET_ASSIGN_OR_RETURN(
      s.agencies,
      ForEach(tx, ids, "UPDATE agencies SET disabled_ms = ? WHERE id = ? AND disabled_ms IS NULL",
              now_ms));
  return s;
}

}  // namespace

Result<DisabledAgency> DisableAgency(store::Transaction& tx, std::string_view actor_agency,
                                     std::string_view agency_id, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(bool visible, IsInBranch(tx, actor_agency, agency_id));
  if (!visible) return Status::NotFound("agency_not_found", "no such agency");
  if (agency_id == actor_agency) {
    return Status::PermissionDenied("self_disable", "an agency cannot disable itself");
  }
  NCBNET_ASSIGN_OR_RETURN(std::vector<Agency> branch, ListBranch(tx, agency_id));
  std::vector<std::string> ids;
  ids.reserve(branch.size());
  for (const Agency& a : branch) ids.push_back(a.id);
  DisabledAgency out;
  NCBNET_ASSIGN_OR_RETURN(out.summary, DisableBranch(tx, ids, now_ms));
  NCBNET_ASSIGN_OR_RETURN(std::optional<Agency> now, FindAgency(tx, agency_id));
  if (!now) return Status::Internal("agency_missing", "agency vanished while disabling");
  out.agency = std::move(*now);
  return out;
}

Result<User> DisableUser(store::Transaction& tx, std::string_view actor_agency,
                         std::string_view actor_user, std::string_view user_id,
                         std::int64_t now_ms) {
  const Status not_found = Status::NotFound("user_not_found", "no such user");
  NCBNET_ASSIGN_OR_RETURN(std::optional<User> user, FindUserById(tx, user_id));
  if (!user) return not_found;
  NCBNET_ASSIGN_OR_RETURN(bool visible, IsInBranch(tx, actor_agency, user->agency_id));
  if (!visible) return not_found;
  if (user_id == actor_user) {
    return Status::PermissionDenied("self_disable", "a user cannot disable itself");
  }
  if (user->disabled_ms) return *user;
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("UPDATE sessions SET revoked_ms = ? WHERE user_id = ? AND revoked_ms IS NULL",
              {now_ms, user_id})
          .status());
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("UPDATE users SET disabled_ms = ? WHERE id = ?", {now_ms, user_id}).status());
  user->disabled_ms = now_ms;
  return *user;
}

}  // namespace ncbnet::access
