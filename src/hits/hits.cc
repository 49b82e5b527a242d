// RecordHits: the hit rows and the owner NCBs' notifications.
#include "hits/hits.h"

#include <cmath>
#include <map>

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

Status InsertHit(store::Transaction& tx, const std::string& id, const records::Record& r,
                 const Checker& c, const std::string& context_json, const MatchInfo& m,
                 std::int64_t now_ms) {
  const std::string checker_ncb = c.country.empty() ? "" : access::NcbIdFor(c.country);
  return tx
      .Exec(
          "INSERT INTO hits (id, record_ref, record_id, record_version, database, owner_country,"
          " owner_agency, checker_agency, checker_ncb, checker_user, checker_user_name,"
          " checker_country, terminal, checked_ms, match_kind, identifier, value, score,"
          " explanation, context, checker_state, checker_state_ms, owner_state, owner_state_ms,"
          " notification_id)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', NULL,"
          " 'open', NULL, '')",
          {id,
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
           context_json})
      .status();
}

// Sends the notifications of one owner NCB, kHitsPerNotification hits a message.
Status NotifyOwner(store::Transaction& tx, const messaging::DataKey& data_key,
                   const crypto::SigningKey& hub_key, const internal::CheckerInfo& who,
                   const std::string& owner_agency, const std::vector<internal::HitLine>& lines,
                   std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(const std::vector<std::string> to,
                          internal::Reachable(tx, {owner_agency}));
  if (to.empty()) return Status::Ok();  // a disabled NCB: the hits stay recorded, unsent
  for (std::size_t start = 0; start < lines.size(); start += kHitsPerNotification) {
    const std::size_t end = std::min(lines.size(), start + kHitsPerNotification);
    const std::vector<internal::HitLine> chunk(lines.begin() + static_cast<std::ptrdiff_t>(start),
                                               lines.begin() + static_cast<std::ptrdiff_t>(end));
    messaging::HubMessage m = internal::HitNotification(who, chunk);
    m.to_agencies = to;
    NCBNET_ASSIGN_OR_RETURN(messaging::Accepted sent,
                            messaging::SendHubMessage(tx, data_key, hub_key, m, now_ms));
    for (const internal::HitLine& line : chunk) {
      NCBNET_RETURN_IF_ERROR(tx.Exec("UPDATE hits SET notification_id = ? WHERE id = ?",
                                     {sent.message_id, line.hit_id})
                                 .status());
    }
  }
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
  std::map<std::string, std::vector<internal::HitLine>> by_owner;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const records::Record& r = records[i];
    std::string id = crypto::NewId("hit");
    NCBNET_RETURN_IF_ERROR(InsertHit(tx, id, r, checker, context_json, matched[i], now_ms));
    // An owner NCB that checks its own record needs no message about it.
    if (r.owner_agency != checker.agency_id) {
      by_owner[r.owner_agency].push_back(
          internal::HitLine{id, r.id, r.database, r.external_id, matched[i]});
    }
    out.push_back(RecordedHit{std::move(id), r.id, r.action});
  }
  for (const auto& [owner, lines] : by_owner) {
    NCBNET_RETURN_IF_ERROR(NotifyOwner(tx, data_key, hub_key, who, owner, lines, now_ms));
  }
  return out;
}

}  // namespace ncbnet::hits
