#include "replica/enrolments.h"

#include "crypto/encoding.h"
#include "crypto/random.h"

namespace ncbnet::replica {

Result<Enrolment> Enrol(store::Transaction& tx, std::string_view agency_id, std::int64_t now_ms) {
  Enrolment e;
  e.id = "rpl_" + crypto::HexEncode(crypto::RandomBytes(12));
  e.agency_id = std::string(agency_id);
  e.created_ms = now_ms;
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO replicas (id, agency_id, created_ms, revoked_ms, last_seq,"
              " last_sync_ms) VALUES (?, ?, ?, NULL, 0, NULL)",
              {e.id, e.agency_id, now_ms})
          .status());
  return e;
}

Result<std::optional<Enrolment>> FindEnrolment(store::Transaction& tx, std::string_view id) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT id, agency_id, created_ms, revoked_ms, last_seq, last_sync_ms"
                  " FROM replicas WHERE id = ?",
                  {std::string(id)}));
  if (!row) return std::optional<Enrolment>();
  Enrolment e;
  e.id = (*row)[0].AsText();
  e.agency_id = (*row)[1].AsText();
  e.created_ms = (*row)[2].AsInt();
  e.revoked_ms = (*row)[3].AsOptionalInt();
  e.last_seq = (*row)[4].AsInt();
  e.last_sync_ms = (*row)[5].AsOptionalInt();
  return std::optional<Enrolment>(std::move(e));
}

Status MarkSynced(store::Transaction& tx, std::string_view id, std::int64_t seq,
                  std::int64_t now_ms) {
  return tx
      .Exec("UPDATE replicas SET last_seq = ?, last_sync_ms = ? WHERE id = ?",
            {seq, now_ms, std::string(id)})
      .status();
}

Result<bool> Revoke(store::Transaction& tx, std::string_view id, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(
      std::int64_t changed,
      tx.Exec("UPDATE replicas SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL",
              {now_ms, std::string(id)}));
  return changed > 0;
}

Result<std::optional<std::string>> UploadedItem(store::Transaction& tx, std::string_view id,
                                                std::string_view item_id) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT hit_id FROM replica_uploads WHERE replica_id = ? AND item_id = ?",
                  {std::string(id), std::string(item_id)}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>((*row)[0].AsText());
}

Status RecordUploadedItem(store::Transaction& tx, std::string_view id, std::string_view item_id,
                          std::string_view kind, std::string_view hit_id, std::int64_t now_ms) {
  return tx
      .Exec(
          "INSERT INTO replica_uploads (replica_id, item_id, kind, hit_id, received_ms)"
          " VALUES (?, ?, ?, ?, ?)",
          {std::string(id), std::string(item_id), std::string(kind), std::string(hit_id), now_ms})
      .status();
}

}  // namespace ncbnet::replica
