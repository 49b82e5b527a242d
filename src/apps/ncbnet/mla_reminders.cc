#include "apps/ncbnet/mla_reminders.h"

#include "apps/ncbnet/network_setup.h"

namespace ncbnet::apps {

Result<mla::ReminderResult> SendAllMlaReminders(store::Store& store,
                                                const crypto::SigningKey& audit_key,
                                                const messaging::DataKey& data_key,
                                                const crypto::SigningKey& hub_message_key,
                                                const Clock& clock) {
  constexpr int kBatch = 50;
  mla::ReminderResult total;
  for (;;) {
    mla::ReminderResult sent;
    NCBNET_RETURN_IF_ERROR(store.Write([&](store::Transaction& tx) -> Status {
      const std::int64_t now = clock.NowMillis();
      NCBNET_ASSIGN_OR_RETURN(
          sent, mla::SendDeadlineReminders(tx, mla::Keys{data_key, hub_message_key}, now,
                                           mla::kDueSoonWindowMs, kBatch));
      if (sent.due_soon + sent.overdue == 0) return Status::Ok();
      return AuditLocalAs(tx, audit_key, now, "hub", "remind", "mla.remind",
                          std::to_string(sent.due_soon) + " due soon, " +
                              std::to_string(sent.overdue) + " overdue");
    }));
    total.due_soon += sent.due_soon;
    total.overdue += sent.overdue;
    if (sent.due_soon + sent.overdue < kBatch) return total;
  }
}

}  // namespace ncbnet::apps
