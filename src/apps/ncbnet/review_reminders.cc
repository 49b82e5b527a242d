#include "apps/ncbnet/review_reminders.h"

#include "audit/audit_log.h"
#include "crypto/random.h"
#include "hits/reminders.h"

namespace ncbnet::apps {

Status AuditReminders(store::Transaction& tx, const crypto::SigningKey& audit_key,
                      const std::string& action, const std::string& object, std::int64_t now_ms) {
  audit::AuditEntry e;
  e.time_ms = now_ms;
  e.request_id = crypto::NewId("remind");
  e.user_id = "hub";
  e.agency_id = "gs";
  e.source = "local";
  e.action = action;
  e.object = object;
  e.outcome = "ok";
  return audit::Append(tx, audit_key, e).status();
}

Result<int> SendAllReviewReminders(store::Store& store, const crypto::SigningKey& audit_key,
                                   const messaging::DataKey& data_key,
                                   const crypto::SigningKey& hub_message_key, const Clock& clock) {
  constexpr int kBatch = 20;
  int total = 0;
  for (;;) {
    hits::ReminderResult sent;
    NCBNET_RETURN_IF_ERROR(store.Write([&](store::Transaction& tx) -> Status {
      const std::int64_t now = clock.NowMillis();
      NCBNET_ASSIGN_OR_RETURN(sent,
                              hits::SendReviewReminders(tx, data_key, hub_message_key, now,
                                                        hits::kDefaultReminderWindowMs, kBatch));
      if (sent.messages == 0) return Status::Ok();
      return AuditReminders(tx, audit_key, "record.review_remind",
                            std::to_string(sent.records) + " records", now);
    }));
    total += sent.messages;
    if (sent.messages < kBatch) return total;
  }
}

}  // namespace ncbnet::apps
