#include "messaging/internal/recipients.h"

#include <map>
#include <optional>

#include "messaging/country_groups.h"

namespace ncbnet::messaging::internal {
namespace {

using access::Agency;
using access::AgencyKind;

Status Unknown(std::string_view who) {
  return Status::NotFound("unknown_recipient", "unknown recipient: " + std::string(who));
}

// The live agency `id`, or kNotFound "unknown_recipient" naming `who`.
Result<Agency> FindRecipient(store::Transaction& tx, std::string_view id, std::string_view who) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<Agency> agency, access::FindAgency(tx, id));
  if (!agency || agency->disabled_ms) return Unknown(who);
  return *agency;
}

// The NCB at or above `agency` in the tree; the tree is shallow, so the walk is short.
Result<std::string> OwnNcb(store::Transaction& tx, const Agency& agency) {
  std::optional<Agency> current = agency;
  for (int depth = 0; depth < 8 && current; ++depth) {
    if (current->kind == AgencyKind::kNcb) return current->id;
    if (!current->parent_id) break;
    NCBNET_ASSIGN_OR_RETURN(current, access::FindAgency(tx, *current->parent_id));
  }
  return Status::DataLoss("agency_tree_corrupt", "no NCB above agency " + agency.id);
}

Result<std::map<std::string, Agency>> ResolveAll(store::Transaction& tx, const Addressing& to) {
  std::map<std::string, Agency> out;
  for (const std::string& id : to.agencies) {
    NCBNET_ASSIGN_OR_RETURN(Agency a, FindRecipient(tx, id, id));
    out.emplace(a.id, std::move(a));
  }
  for (const std::string& country : to.countries) {
    NCBNET_ASSIGN_OR_RETURN(Agency a, FindRecipient(tx, access::NcbIdFor(country), country));
    if (a.kind != AgencyKind::kNcb) return Unknown(country);
    out.emplace(a.id, std::move(a));
  }
  // A group stands for its member countries as they are now, with the rules of to.countries.
  for (const std::string& name : to.groups) {
    NCBNET_ASSIGN_OR_RETURN(std::optional<CountryGroup> group, GetCountryGroup(tx, name));
    if (!group) return Unknown("group " + name);
    for (const std::string& country : group->countries) {
      NCBNET_ASSIGN_OR_RETURN(Agency a, FindRecipient(tx, access::NcbIdFor(country), country));
      if (a.kind != AgencyKind::kNcb) return Unknown(country);
      out.emplace(a.id, std::move(a));
    }
  }
  if (to.all_ncbs) {
    NCBNET_ASSIGN_OR_RETURN(
        std::vector<store::Row> rows,
        tx.Query("SELECT id FROM agencies WHERE kind = 'ncb' AND disabled_ms IS NULL"));
    for (const store::Row& row : rows) {
      NCBNET_ASSIGN_OR_RETURN(Agency a, FindRecipient(tx, row[0].AsText(), row[0].AsText()));
      out.emplace(a.id, std::move(a));
    }
  }
  return out;
}

// The rules of message_service.h. The sender already holds message.send.
Result<bool> MaySendTo(store::Transaction& tx, const Agency& sender,
                       const std::optional<std::string>& own_ncb, const Agency& recipient) {
  switch (sender.kind) {
    case AgencyKind::kGs:
    case AgencyKind::kNcb:
      // NCBs and the General Secretariat correspond with each other freely.
      if (recipient.kind == AgencyKind::kNcb || recipient.kind == AgencyKind::kGs) return true;
      return access::IsInBranch(tx, sender.id, recipient.id);
    case AgencyKind::kAgency:
      if (recipient.kind == AgencyKind::kNcb) return true;
      return access::IsInBranch(tx, *own_ncb, recipient.id);
    case AgencyKind::kTerminal:
      return recipient.id == *own_ncb;
  }
  return false;
}

}  // namespace

Result<std::vector<std::string>> ResolveRecipients(store::Transaction& tx, const Agency& sender,
                                                   const Addressing& to) {
  NCBNET_ASSIGN_OR_RETURN(auto resolved, ResolveAll(tx, to));
  const bool had_sender = resolved.erase(sender.id) > 0;
  if (resolved.empty()) {
    return Status::InvalidArgument("invalid_message",
                                   had_sender ? "cannot send to oneself" : "no recipients");
  }
  std::optional<std::string> own_ncb;
  if (sender.kind == AgencyKind::kAgency || sender.kind == AgencyKind::kTerminal) {
    NCBNET_ASSIGN_OR_RETURN(own_ncb, OwnNcb(tx, sender));
  }
  std::vector<std::string> out;
  out.reserve(resolved.size());
  for (const auto& [id, recipient] : resolved) {
    NCBNET_ASSIGN_OR_RETURN(bool allowed, MaySendTo(tx, sender, own_ncb, recipient));
    if (!allowed) {
      return Status::PermissionDenied("recipient_not_allowed", "may not send to " + id);
    }
    out.push_back(id);
  }
  return out;
}

}  // namespace ncbnet::messaging::internal
