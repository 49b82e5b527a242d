#include "messaging/retention.h"

#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "crypto/random.h"
#include "messaging/attachments.h"
#include "messaging/internal/hub_audit.h"
#include "messaging/internal/message_rows.h"

namespace ncbnet::messaging {
namespace internal {

Status AuditHubAction(store::Transaction& tx, const crypto::SigningKey& audit_key,
                      std::string_view action, std::string_view object, std::int64_t now_ms) {
  audit::AuditEntry e;
  e.time_ms = now_ms;
  e.request_id = crypto::NewId("purge");
  e.user_id = "hub";
  e.agency_id = "gs";
  e.source = "local";
  e.action = std::string(action);
  e.object = std::string(object);
  e.outcome = "ok";
  return audit::Append(tx, audit_key, e).status();
}

}  // namespace internal

namespace {

// Keeps the newest cursor once its event is deleted, so AppendEvent never hands out a cursor
// a client already holds and FetchMailbox never calls a client's cursor "from the future".
Status KeepCursorFloor(store::Transaction& tx) {
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t newest, internal::NewestCursor(tx));
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("DELETE FROM meta WHERE key = ?", {internal::kCursorFloorKey}).status());
  return tx
      .Exec("INSERT INTO meta (key, value) VALUES (?, ?)",
            {internal::kCursorFloorKey, std::to_string(newest)})
      .status();
}

Status DeleteMessage(store::Transaction& tx, const std::string& id) {
  // Children first: they reference messages(id).
  for (const char* sql :
       {"DELETE FROM mailbox_events WHERE message_id = ?",
        "DELETE FROM message_recipients WHERE message_id = ?",
        "DELETE FROM message_attachments WHERE message_id = ?",
        "DELETE FROM message_terms WHERE message_id = ?", "DELETE FROM messages WHERE id = ?"}) {
    NCBNET_RETURN_IF_ERROR(tx.Exec(sql, {id}).status());
  }
  return Status::Ok();
}

}  // namespace

Result<int> PurgeExpired(store::Transaction& tx, const crypto::SigningKey& audit_key,
                         std::int64_t now_ms, int limit) {
  if (limit < 1 || limit > kMaxPurgeBatch) {
    return Status::InvalidArgument("invalid_request", "purge limit must be 1 to 10000");
  }
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows,
                          tx.Query("SELECT id FROM messages WHERE retention_until_ms <= ?"
                                   " ORDER BY retention_until_ms, id LIMIT ?",
                                   {now_ms, limit}));
  if (!rows.empty()) NCBNET_RETURN_IF_ERROR(KeepCursorFloor(tx));
  for (const store::Row& row : rows) {
    const std::string& id = row[0].AsText();
    NCBNET_RETURN_IF_ERROR(DeleteMessage(tx, id));
    NCBNET_RETURN_IF_ERROR(internal::AuditHubAction(tx, audit_key, "message.purge", id, now_ms));
  }
  // Then what the purged messages may have left unreferenced, and abandoned uploads.
  NCBNET_ASSIGN_OR_RETURN(const int attachments, PurgeAttachments(tx, audit_key, now_ms, limit));
  return static_cast<int>(rows.size()) + attachments;
}

}  // namespace ncbnet::messaging
