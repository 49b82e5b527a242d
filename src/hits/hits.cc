// RecordHits: the hit rows and the owner NCBs' notifications.
#include "hits/hits.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "access/agencies.h"
#include "crypto/random.h"
#include "hits/internal/hit_rows.h"
#include "hits/internal/notices.h"
#include "messaging/hub_messages.h"
#include "messaging/message.h"

namespace ncbnet::hits {
namespace {

constexpr std::size_t kMaxIdentifierBytes = 64;
constexpr std::size_t kMaxValueBytes = 200;
constexpr std::size_t kMaxExplanationBytes = 1000;

Status BadMatch(std::size_t i, std::string_view why) {
  return Status::InvalidArgument("invalid_request",
                                 "match " + std::to_string(i) + ": " + std::string(why));
}

Status ValidateMatch(std::size_t i, const MatchInfo& m) {
  if (m.kind == MatchKind::kIdentifier && m.identifier.empty()) {
    return BadMatch(i, "an identifier match names its identifier");
  }
  if (m.identifier.size() > kMaxIdentifierBytes || m.value.size() > kMaxValueBytes ||
      m.explanation.size() > kMaxExplanationBytes) {
    return BadMatch(i, "identifier, value or explanation too long");
  }
  if (!messaging::IsCleanText(m.identifier, false) || !messaging::IsCleanText(m.value, false) ||
      !messaging::IsCleanText(m.explanation, false)) {
    return BadMatch(i, "texts must be UTF-8 without control characters");
  }
  if (!std::isfinite(m.score) || m.score < 0 || m.score > 1) {
    return BadMatch(i, "score must be within [0, 1]");
  }
  return Status::Ok();
}

constexpr std::string_view kInsertColumns =
    "INSERT INTO hits (id, record_ref, record_id, record_version, database, owner_country,"
    " owner_agency, checker_agency, checker_ncb, checker_user, checker_user_name,"
    " checker_country, terminal, checked_ms, match_kind, identifier, value, score,"
    " explanation, context, notification_id, checker_state, checker_state_ms, owner_state,"
    " owner_state_ms) VALUES ";
constexpr std::string_view kInsertRow =
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', NULL, 'open', NULL)";
// Hits go in this many rows a statement (21 parameters each), the rest one by one: two cached
// statements, and a batch's 50,000 hits in under a thousand statements instead of 50,000.
constexpr std::size_t kRowsPerInsert = 64;

std::string InsertSql(std::size_t rows) {
  std::string sql(kInsertColumns);
  for (std::size_t i = 0; i < rows; ++i) {
    if (i > 0) sql += ", ";
    sql += kInsertRow;
  }
  return sql;
}

// A hit row to insert: the record, how it matched and the notification that names it.
struct PendingHit {
  const records::Record* record;
  const MatchInfo* matched;
  std::string id;
  std::string notification_id;
};

void AddHitParams(std::vector<store::Value>& params, const PendingHit& h, const Checker& c,
                  const std::string& checker_ncb, const std::string& context_json,
                  std::int64_t now_ms) {
  const records::Record& r = *h.record;
  const MatchInfo& m = *h.matched;
  params.insert(params.end(), {h.id,
                               r.ref,
                               r.id,
                               r.version,
                               r.database,
                               r.owner_country,
                               r.owner_agency,
                               c.agency_id,
                               checker_ncb,
                               c.user_id,
                               c.user_name,
                               c.country,
                               c.kind == access::AgencyKind::kTerminal ? 1 : 0,
                               now_ms,
                               MatchKindName(m.kind),
                               m.identifier,
                               m.value,
                               m.score,
                               m.explanation,
                               context_json,
                               h.notification_id});
}

// Inserts every hit row, kRowsPerInsert a statement.
Status InsertHits(store::Transaction& tx, const std::vector<PendingHit>& hits, const Checker& c,
                  const std::string& context_json, std::int64_t now_ms) {
  const std::string checker_ncb = c.country.empty() ? "" : access::NcbIdFor(c.country);
  static const std::string kMany = InsertSql(kRowsPerInsert);
  static const std::string kOne = InsertSql(1);
  std::vector<store::Value> params;
  std::size_t i = 0;
  for (; i + kRowsPerInsert <= hits.size(); i += kRowsPerInsert) {
    params.clear();
    for (std::size_t k = i; k < i + kRowsPerInsert; ++k) {
      AddHitParams(params, hits[k], c, checker_ncb, context_json, now_ms);
    }
    NCBNET_RETURN_IF_ERROR(tx.Exec(kMany, params).status());
  }
  for (; i < hits.size(); ++i) {
    params.clear();
    AddHitParams(params, hits[i], c, checker_ncb, context_json, now_ms);
    NCBNET_RETURN_IF_ERROR(tx.Exec(kOne, params).status());
  }
  return Status::Ok();
}

// Sends one owner NCB its notification of this check (the first kHitsPerNotification hits in
// detail, a count of the rest) and sets the notification_id of every hit of that owner
// (`owned` indexes `hits`).
Status NotifyOwner(store::Transaction& tx, const messaging::DataKey& data_key,
                   const crypto::SigningKey& hub_key, const internal::CheckerInfo& who,
                   const std::string& owner_agency, const std::vector<std::size_t>& owned,
                   std::vector<PendingHit>& hits, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(const std::vector<std::string> to,
                          access::EnabledAgencies(tx, {owner_agency}));
  if (to.empty()) return Status::Ok();  // a disabled NCB: the hits stay recorded, unsent
  std::vector<internal::HitLine> lines;
  lines.reserve(std::min(owned.size(), kHitsPerNotification));
  for (std::size_t k = 0; k < owned.size() && k < kHitsPerNotification; ++k) {
    const PendingHit& h = hits[owned[k]];
    lines.push_back(internal::HitLine{h.id, h.record->id, h.record->database, h.record->external_id,
                                      *h.matched});
  }
  messaging::HubMessage m = internal::HitNotification(who, lines, owned.size());
  m.to_agencies = to;
  NCBNET_ASSIGN_OR_RETURN(messaging::Accepted sent,
                          messaging::SendHubMessage(tx, data_key, hub_key, m, now_ms));
  for (std::size_t k : owned) hits[k].notification_id = sent.message_id;
  return Status::Ok();
}

}  // namespace

Result<std::vector<RecordedHit>> RecordHits(
    store::Transaction& tx, const messaging::DataKey& data_key, const crypto::SigningKey& hub_key,
    const Checker& checker, const CheckContext& context, std::span<const records::Record> records,
    std::span<const MatchInfo> matched, std::int64_t now_ms) {
  if (records.size() != matched.size()) {
    return Status::InvalidArgument("invalid_request", "one MatchInfo per record");
  }
  NCBNET_RETURN_IF_ERROR(internal::ValidateContext(context));
  for (std::size_t i = 0; i < matched.size(); ++i) {
    NCBNET_RETURN_IF_ERROR(ValidateMatch(i, matched[i]));
  }
  std::vector<RecordedHit> out;
  out.reserve(records.size());
  if (records.empty()) return out;
  NCBNET_ASSIGN_OR_RETURN(internal::CheckerInfo who,
                          internal::DescribeChecker(tx, checker, context, now_ms));
  const std::string context_json = CheckContextJson(context).dump();
  // Ids first, then the owners' notifications, then the rows, each with its notification.
  std::vector<PendingHit> pending;
  pending.reserve(records.size());
  std::map<std::string, std::vector<std::size_t>> by_owner;
  for (std::size_t i = 0; i < records.size(); ++i) {
    pending.push_back(PendingHit{&records[i], &matched[i], crypto::NewId("hit"), ""});
    // An owner NCB that checks its own record needs no message about it.
    if (records[i].owner_agency != checker.agency_id)
      by_owner[records[i].owner_agency].push_back(i);
  }
  for (const auto& [owner, owned] : by_owner) {
    NCBNET_RETURN_IF_ERROR(NotifyOwner(tx, data_key, hub_key, who, owner, owned, pending, now_ms));
  }
  NCBNET_RETURN_IF_ERROR(InsertHits(tx, pending, checker, context_json, now_ms));
  for (PendingHit& h : pending) {
    out.push_back(RecordedHit{std::move(h.id), h.record->id, h.record->action});
  }
  return out;
}

}  // namespace ncbnet::hits
