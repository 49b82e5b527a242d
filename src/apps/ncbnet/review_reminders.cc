#include "apps/ncbnet/review_reminders.h"

#include "apps/ncbnet/network_setup.h"
#include "hits/reminders.h"

namespace ncbnet::apps {

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
      return AuditLocalAs(tx, audit_key, now, "hub", "remind", "record.review_remind",
                          std::to_string(sent.records) + " records");
    }));
    total += sent.messages;
    if (sent.messages < kBatch) return total;
  }
}

}  // namespace ncbnet::apps
