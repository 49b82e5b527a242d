#include "hits/reminders.h"

#include <string>
#include <vector>

#include "core/time_format.h"
#include "messaging/hub_messages.h"

namespace ncbnet::hits {
namespace {

// Due and not reminded since the record last changed (a review makes a new version, so it
// re-arms the reminder). The records table is migration 6's; status 'active' is
// records::RecordStatusName(kActive).
constexpr std::string_view kDue =
    "status = 'active' AND review_ms < ? AND (reminded_ms IS NULL OR reminded_ms < updated_ms)";

struct DueRecord {
  std::int64_t ref = 0;
  std::string id, database, external_id;
  std::int64_t review_ms = 0;
};

Result<std::vector<DueRecord>> DueOf(store::Transaction& tx, const std::string& owner,
                                     std::int64_t before_ms) {
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows,
                          tx.Query("SELECT ref, id, database, external_id, review_ms FROM records"
                                   " WHERE owner_agency = ? AND " +
                                       std::string(kDue) + " ORDER BY review_ms, ref LIMIT ?",
                                   {owner, before_ms, kMaxRecordsPerReminder}));
  std::vector<DueRecord> out;
  out.reserve(rows.size());
  for (const store::Row& r : rows) {
    out.push_back(DueRecord{r[0].AsInt(), r[1].AsText(), r[2].AsText(),
                            r[3].is_null() ? std::string() : r[3].AsText(), r[4].AsInt()});
  }
  return out;
}

messaging::HubMessage Reminder(const std::string& owner, const std::vector<DueRecord>& due,
                               std::int64_t now_ms, std::int64_t before_ms) {
  messaging::HubMessage m;
  m.to_agencies = {owner};
  m.priority = messaging::Priority::kRoutine;
  m.idempotency_key = "review:" + owner + ":" + std::to_string(now_ms) + ":" + due.front().id;
  for (char& c : m.idempotency_key) {
    if (c == '_') c = '.';  // idempotency keys hold no '_'
  }
  m.subject = "Review due: " + std::to_string(due.size()) + " of your records before " +
              FormatIsoDate(before_ms);
  m.body =
      "These records must be reviewed before their review date; past it they stop matching in"
      " checks until reviewed (ncbnet records review, POST /v1/records/{db}/{id}/review).\n\n";
  for (const DueRecord& r : due) {
    m.body += "- " + r.database + " record " + r.id;
    if (!r.external_id.empty()) m.body += " (your reference " + r.external_id + ")";
    m.body += ": review by " + FormatIsoDate(r.review_ms);
    if (r.review_ms <= now_ms) m.body += " (past due: not matching)";
    m.body += "\n";
    if (m.links.size() < 100) m.links.push_back(r.id);
  }
  if (due.size() == static_cast<std::size_t>(kMaxRecordsPerReminder)) {
    m.body += "\nMore records are due; they follow in further reminders.\n";
  }
  return m;
}

}  // namespace

Result<ReminderResult> SendReviewReminders(store::Transaction& tx,
                                           const messaging::DataKey& data_key,
                                           const crypto::SigningKey& hub_key, std::int64_t now_ms,
                                           std::int64_t within_ms, int max_messages) {
  ReminderResult result;
  const std::int64_t before_ms = now_ms + within_ms;
  while (result.messages < max_messages) {
    // The next owner with due records; each pass reminds of (and marks) up to 200 of them, so
    // the loop ends when none is left or the message budget is spent. A disabled NCB cannot
    // receive messages; its records wait until it is enabled again.
    NCBNET_ASSIGN_OR_RETURN(
        std::optional<store::Row> next,
        tx.QueryOne("SELECT owner_agency FROM records JOIN agencies ON agencies.id = owner_agency"
                    " WHERE agencies.disabled_ms IS NULL AND " +
                        std::string(kDue) + " ORDER BY owner_agency LIMIT 1",
                    {before_ms}));
    if (!next) break;
    const std::string owner = next->front().AsText();
    NCBNET_ASSIGN_OR_RETURN(std::vector<DueRecord> due, DueOf(tx, owner, before_ms));
    if (due.empty()) break;  // cannot happen: the owner was just found with due records
    NCBNET_RETURN_IF_ERROR(messaging::SendHubMessage(tx, data_key, hub_key,
                                                     Reminder(owner, due, now_ms, before_ms),
                                                     now_ms)
                               .status());
    for (const DueRecord& r : due) {
      NCBNET_RETURN_IF_ERROR(
          tx.Exec("UPDATE records SET reminded_ms = ? WHERE ref = ?", {now_ms, r.ref}).status());
    }
    ++result.messages;
    result.records += static_cast<int>(due.size());
  }
  return result;
}

}  // namespace ncbnet::hits
