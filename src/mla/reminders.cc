#include "mla/reminders.h"

#include <string>
#include <vector>

#include "access/agencies.h"
#include "messaging/hub_messages.h"
#include "mla/internal/rows.h"
#include "mla/internal/texts.h"

namespace ncbnet::mla {
namespace {

// Open, and either past its deadline without an overdue reminder, or near it without any.
constexpr std::string_view kDue =
    " WHERE r.state IN ('sent', 'received', 'in_progress') AND ("
    "(r.deadline_ms < ? AND r.overdue_reminded_ms IS NULL) OR"
    " (r.deadline_ms < ? AND r.due_reminded_ms IS NULL AND r.overdue_reminded_ms IS NULL))"
    " ORDER BY r.deadline_ms, r.id LIMIT ?";

// The requested side, those of it that can receive a message.
Result<std::vector<std::string>> RequestedSide(store::Transaction& tx, const Request& r) {
  std::vector<std::string> side = {access::NcbIdFor(r.requested_country)};
  if (!r.assigned_agency.empty()) side.push_back(r.assigned_agency);
  return access::EnabledAgencies(tx, side);
}

}  // namespace

Result<ReminderResult> SendDeadlineReminders(store::Transaction& tx, const Keys& keys,
                                             std::int64_t now_ms, std::int64_t within_ms,
                                             int max_messages) {
  ReminderResult result;
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows,
                          tx.Query("SELECT " + std::string(internal::kRequestColumns) +
                                       " FROM mla_requests r" + std::string(kDue),
                                   {now_ms, now_ms + within_ms, max_messages}));
  for (const store::Row& row : rows) {
    NCBNET_ASSIGN_OR_RETURN(const Request r, internal::DecodeRequest(keys.data_key, row, now_ms));
    const bool overdue = r.overdue;
    messaging::HubMessage m = internal::ReminderMessage(
        r, overdue ? internal::ReminderKind::kOverdue : internal::ReminderKind::kDueSoon, now_ms);
    NCBNET_ASSIGN_OR_RETURN(m.to_agencies, RequestedSide(tx, r));
    if (!m.to_agencies.empty()) {
      NCBNET_RETURN_IF_ERROR(
          messaging::SendHubMessage(tx, keys.data_key, keys.hub_key, m, now_ms).status());
    }
    // Marked even when nobody could be told (a disabled NCB), so it is not retried forever.
    const std::string sql = overdue ? "UPDATE mla_requests SET overdue_reminded_ms = ? WHERE id = ?"
                                    : "UPDATE mla_requests SET due_reminded_ms = ? WHERE id = ?";
    NCBNET_RETURN_IF_ERROR(tx.Exec(sql, {now_ms, r.id}).status());
    ++(overdue ? result.overdue : result.due_soon);
  }
  return result;
}

}  // namespace ncbnet::mla
