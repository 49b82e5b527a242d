#include "audit/audit_log.h"

#include <algorithm>
#include <utility>

#include "audit/audit_rows.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/signature_memo.h"

namespace ncbnet::audit {
namespace {

using internal::Head;

void AppendField(std::string& out, std::string_view bytes) {
  out += std::to_string(bytes.size());
  out += ':';
  out += bytes;
  out += '\n';
}

struct Tail {
  std::int64_t seq = 0;
  std::string hash = std::string(kGenesisHash);
};

Status Broken(const std::string& why) {
  return Status::DataLoss("audit_chain_broken",
                          "audit log: " + why + "; run `ncbnet audit verify`");
}

// The end of the chain, checked against the signed head. Appending over a tampered end would
// sign it and so hide the tampering: refuse instead.
Result<Tail> CheckedTail(store::Transaction& tx, std::string_view public_key) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<Head> head, internal::ReadHead(tx));
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne("SELECT " + std::string(internal::kEntryColumns) +
                                      " FROM audit_log ORDER BY seq DESC LIMIT 1"));
  // Every network's log is anchored when it is created (Anchor): a log with no head at all
  // was wiped, and starting a new chain would hide that.
  if (!head) {
    return Broken(row ? "entries exist but the head row is missing"
                      : "the head row is missing: the log was wiped or never anchored");
  }
  if (!internal::HeadSignatureValid(*head, public_key)) return Broken("invalid head signature");
  if (!row) {
    if (head->seq == 0 && head->hash == kGenesisHash) return Tail{};  // anchored, still empty
    return Broken("the head names an entry but the log is empty");
  }
  const std::optional<AuditEntry> last = internal::EntryFromRow(*row);
  if (!last || EntryHash(*last) != last->hash) return Broken("the last entry was edited");
  if (last->seq != head->seq || last->hash != head->hash) {
    return Broken("the last entry is not the one the head signs");
  }
  return Tail{last->seq, last->hash};
}

Status WriteHead(store::Transaction& tx, const crypto::SigningKey& key, const Tail& entry) {
  const std::string message = HeadMessage(entry.seq, entry.hash);
  const std::string raw_signature = key.Sign(message);
  // The next append checks this head; it need not verify what this process just signed.
  crypto::RememberValidSignature(key.public_key(), message, raw_signature);
  const std::string signature = crypto::HexEncode(raw_signature);
  NCBNET_ASSIGN_OR_RETURN(
      const std::int64_t updated,
      tx.Exec("UPDATE audit_head SET seq = ?, hash = ?, signature = ? WHERE id = 1",
              {entry.seq, entry.hash, signature}));
  if (updated == 1) return Status::Ok();
  return tx
      .Exec("INSERT INTO audit_head (id, seq, hash, signature) VALUES (1, ?, ?, ?)",
            {entry.seq, entry.hash, signature})
      .status();
}

// The head is signed once per commit, over the last entry the commit leaves (a commit hook).
constexpr std::string_view kHeadHook = "audit_head";

Result<Tail> LastEntry(store::Transaction& tx) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
  if (!row) return Tail{};
  return Tail{(*row)[0].AsInt(), (*row)[1].AsText()};
}

Status SignHead(store::Transaction& tx, const crypto::SigningKey& key) {
  NCBNET_ASSIGN_OR_RETURN(const Tail tail, LastEntry(tx));
  if (tail.seq == 0) return Status::Ok();  // every append of the commit was undone
  return WriteHead(tx, key, tail);
}

// The smallest seq whose entry is at or after `since_ms`, or one past the last.
Result<std::int64_t> FirstSeqSince(store::Transaction& tx, std::int64_t since_ms) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> last,
                          tx.QueryOne("SELECT COALESCE(MAX(seq), 0) FROM audit_log"));
  std::int64_t lo = 1;
  std::int64_t hi = (*last)[0].AsInt() + 1;
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    NCBNET_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("SELECT seq, time_ms FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT 1",
                    {mid}));
    if (!row || (*row)[1].AsInt() >= since_ms) {
      hi = mid;
    } else {
      lo = (*row)[0].AsInt() + 1;
    }
  }
  return lo;
}

}  // namespace

std::string CanonicalEncoding(const AuditEntry& entry) {
  std::string out;
  AppendField(out, std::to_string(entry.seq));
  AppendField(out, std::to_string(entry.time_ms));
  for (const std::string* field :
       {&entry.request_id, &entry.user_id, &entry.agency_id, &entry.source, &entry.action,
        &entry.object, &entry.outcome, &entry.prev_hash}) {
    AppendField(out, *field);
  }
  return out;
}

std::string EntryHash(const AuditEntry& entry) {
  return crypto::Sha256Hex(CanonicalEncoding(entry));
}

std::string HeadMessage(std::int64_t seq, std::string_view hash) {
  return "ncbnet-audit-head\n" + std::to_string(seq) + "\n" + std::string(hash);
}

Status Anchor(store::Transaction& tx, const crypto::SigningKey& key) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<Head> head, internal::ReadHead(tx));
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t entries, Count(tx));
  if (head || entries != 0) {
    return Status::AlreadyExists("audit_already_anchored", "the audit log already has a head");
  }
  return WriteHead(tx, key, Tail{});
}

Status CheckEnd(store::Transaction& tx, std::string_view public_key) {
  return CheckedTail(tx, public_key).status();
}

Result<AuditEntry> Append(store::Transaction& tx, const crypto::SigningKey& key, AuditEntry entry) {
  Tail tail;
  if (tx.HasCommitHook(kHeadHook)) {
    // An earlier append of this commit checked the committed end of the chain; what follows it
    // was written in this transaction.
    NCBNET_ASSIGN_OR_RETURN(tail, LastEntry(tx));
  } else {
    NCBNET_ASSIGN_OR_RETURN(tail, CheckedTail(tx, key.public_key()));
    tx.AddCommitHook(kHeadHook, [key](store::Transaction& t) { return SignHead(t, key); });
  }
  entry.seq = tail.seq + 1;
  entry.prev_hash = tail.hash;
  entry.hash = EntryHash(entry);
  NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO audit_log (" + std::string(internal::kEntryColumns) +
                                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 {entry.seq, entry.time_ms, entry.request_id, entry.user_id,
                                  entry.agency_id, entry.source, entry.action, entry.object,
                                  entry.outcome, entry.prev_hash, entry.hash})
                             .status());
  return entry;
}

Result<std::vector<AuditEntry>> List(store::Transaction& tx, const ListFilter& filter) {
  if (filter.limit < 1 || filter.agency_ids.size() > kMaxListAgencies) {
    return Status::InvalidArgument("invalid_filter", "limit must be positive, agencies few");
  }
  std::string sql =
      "SELECT " + std::string(internal::kEntryColumns) + " FROM audit_log WHERE seq > ?";
  std::vector<store::Value> params = {filter.after_seq};
  if (!filter.agency_ids.empty()) {
    sql += " AND agency_id IN (";
    for (std::size_t i = 0; i < filter.agency_ids.size(); ++i) {
      sql += i == 0 ? "?" : ", ?";
      params.emplace_back(filter.agency_ids[i]);
    }
    sql += ")";
  }
  sql += " ORDER BY seq LIMIT ?";
  params.emplace_back(std::min(filter.limit, kMaxListLimit));
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows, tx.Query(sql, params));
  std::vector<AuditEntry> entries;
  NCBNET_RETURN_IF_ERROR(internal::AppendEntriesFromRows(rows, entries));
  return entries;
}

Result<std::int64_t> Count(store::Transaction& tx) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne("SELECT COUNT(*) FROM audit_log"));
  if (!row || row->empty()) return std::int64_t{0};
  return (*row)[0].AsInt();
}

Result<std::vector<store::DayCount>> ActionsPerDay(store::Transaction& tx,
                                                   std::string_view agency_id,
                                                   const std::vector<std::string>& actions,
                                                   std::int64_t since_ms) {
  if (actions.empty()) return std::vector<store::DayCount>();
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t first, FirstSeqSince(tx, since_ms));
  std::string sql =
      "SELECT time_ms / 86400000 AS day, count(*) FROM audit_log WHERE agency_id = ? AND seq >= ?"
      " AND time_ms >= ? AND outcome = 'ok' AND action IN (";
  std::vector<store::Value> params = {std::string(agency_id), first, since_ms};
  for (const std::string& action : actions) {
    sql += params.size() == 3 ? "?" : ", ?";
    params.emplace_back(action);
  }
  sql += ") GROUP BY day";
  return store::CountPerDay(tx, sql, params);
}

Result<bool> HasAction(store::Transaction& tx, std::string_view action) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT 1 FROM audit_log WHERE action = ? LIMIT 1", {action}));
  return row.has_value();
}

namespace internal {

Status AppendEntriesFromRows(const std::vector<store::Row>& rows, std::vector<AuditEntry>& out) {
  out.reserve(out.size() + rows.size());
  for (const store::Row& row : rows) {
    std::optional<AuditEntry> entry = EntryFromRow(row);
    if (!entry) return Status::DataLoss("audit_row_invalid", "audit log: malformed row");
    out.push_back(std::move(*entry));
  }
  return Status::Ok();
}

std::optional<AuditEntry> EntryFromRow(const store::Row& row) {
  if (row.size() != 11 || !row[0].is_int() || !row[1].is_int()) return std::nullopt;
  for (std::size_t i = 2; i < row.size(); ++i) {
    if (!row[i].is_text()) return std::nullopt;
  }
  AuditEntry e;
  e.seq = row[0].AsInt();
  e.time_ms = row[1].AsInt();
  e.request_id = row[2].AsText();
  e.user_id = row[3].AsText();
  e.agency_id = row[4].AsText();
  e.source = row[5].AsText();
  e.action = row[6].AsText();
  e.object = row[7].AsText();
  e.outcome = row[8].AsText();
  e.prev_hash = row[9].AsText();
  e.hash = row[10].AsText();
  return e;
}

Result<std::optional<Head>> ReadHead(store::Transaction& tx) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne("SELECT seq, hash, signature FROM audit_head WHERE id = 1"));
  if (!row) return std::optional<Head>();
  Head head;
  head.well_formed =
      row->size() == 3 && (*row)[0].is_int() && (*row)[1].is_text() && (*row)[2].is_text();
  if (head.well_formed) {
    head.seq = (*row)[0].AsInt();
    head.hash = (*row)[1].AsText();
    head.signature_hex = (*row)[2].AsText();
  }
  return std::optional<Head>(std::move(head));
}

bool HeadSignatureValid(const Head& head, std::string_view public_key) {
  if (!head.well_formed) return false;
  Result<std::string> signature = crypto::HexDecode(head.signature_hex);
  if (!signature.ok() || signature->size() != 64) return false;
  return crypto::VerifySignatureMemo(public_key, HeadMessage(head.seq, head.hash), *signature);
}

}  // namespace internal
}  // namespace ncbnet::audit
