#include "notices/internal/notice_rows.h"

#include "core/json.h"
#include "crypto/aead.h"
#include "crypto/kdf.h"

namespace ncbnet::notices::internal {
namespace {

using nlohmann::json;

constexpr std::string_view kColumns =
    "id, channel, kind, control_number, requesting_agency, requesting_country, state, version,"
    " fields, public_consent, recipients, pending_action, pending_fields, findings, record_id,"
    " created_ms, updated_ms, published_ms, expires_ms, reviewed_ms";

std::string JoinRecipients(const std::vector<std::string>& r) {
  if (r.empty()) return "*";
  std::string out;
  for (const std::string& c : r) out += (out.empty() ? "" : ",") + c;
  return out;
}

std::vector<std::string> SplitRecipients(const std::string& s) {
  std::vector<std::string> out;
  if (s == "*") return out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = std::min(s.find(',', start), s.size());
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Result<store::Value> SealJson(const std::string& key, std::string_view id, std::string_view what,
                              const json& value) {
  if (value.is_null()) return store::Value();
  NCBNET_ASSIGN_OR_RETURN(std::string sealed, crypto::Seal(key, value.dump(), Binding(id, what)));
  return store::Value(store::Blob{std::move(sealed)});
}

Result<json> OpenJson(const std::string& key, std::string_view id, std::string_view what,
                      const store::Value& v) {
  if (v.is_null()) return json();
  NCBNET_ASSIGN_OR_RETURN(std::string plain, crypto::Open(key, v.AsText(), Binding(id, what)));
  json out = ParseJson(plain);
  if (out.is_discarded()) return Status::DataLoss("notice_corrupt", "notice fields unreadable");
  return out;
}

// The plaintext columns; `sealed` opens the rest (Decode).
Notice DecodePlain(const store::Row& row) {
  Notice n;
  n.id = row[0].AsText();
  n.channel = row[1].AsText();
  n.kind = row[2].AsText();
  n.control_number = row[3].AsOptionalText().value_or("");
  n.requesting_agency = row[4].AsText();
  n.requesting_country = row[5].AsText();
  n.state = row[6].AsText();
  n.version = row[7].AsInt();
  n.public_consent = row[9].AsInt() != 0;
  n.recipients = SplitRecipients(row[10].AsText());
  n.pending_action = row[11].AsText();
  n.findings = ParseJson(row[13].AsText());
  if (!n.findings.is_array()) n.findings = json::array();
  n.record_id = row[14].AsText();
  n.created_ms = row[15].AsInt();
  n.updated_ms = row[16].AsInt();
  n.published_ms = row[17].AsOptionalInt();
  n.expires_ms = row[18].AsOptionalInt();
  n.reviewed_ms = row[19].AsOptionalInt();
  return n;
}

Result<Notice> Decode(const std::string& key, const store::Row& row) {
  Notice n = DecodePlain(row);
  NCBNET_ASSIGN_OR_RETURN(n.fields, OpenJson(key, n.id, "fields", row[8]));
  NCBNET_ASSIGN_OR_RETURN(n.pending_fields, OpenJson(key, n.id, "pending", row[12]));
  return n;
}

Result<std::vector<ImageInfo>> LoadImageInfos(store::Transaction& tx, std::string_view id) {
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<store::Row> rows,
      tx.Query("SELECT seq, media_type, sha256, size FROM notice_images WHERE notice_id = ?"
               " ORDER BY seq",
               {id}));
  std::vector<ImageInfo> out;
  for (const store::Row& r : rows) {
    out.push_back({r[0].AsInt(), r[1].AsText(), r[2].AsText(), r[3].AsInt()});
  }
  return out;
}

}  // namespace

Result<std::string> SealingKey(const messaging::DataKey& data_key) {
  return crypto::DeriveSubkey(data_key.bytes, "ncbn-ntc", 1, crypto::kAeadKeyBytes);
}

std::string Binding(std::string_view id, std::string_view what) {
  return "ncbnet-notice:" + std::string(id) + ":" + std::string(what);
}

Status InsertNotice(store::Transaction& tx, const Keys& keys, const Notice& n) {
  NCBNET_ASSIGN_OR_RETURN(const std::string key, SealingKey(keys.data_key));
  NCBNET_ASSIGN_OR_RETURN(store::Value fields, SealJson(key, n.id, "fields", n.fields));
  return tx
      .Exec(
          "INSERT INTO notices (id, channel, kind, control_number, requesting_agency,"
          " requesting_country, state, version, fields, public_consent, recipients,"
          " pending_action, pending_fields, findings, record_id, created_ms, updated_ms)"
          " VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, '', NULL, '[]', '', ?, ?)",
          {n.id, n.channel, n.kind, n.requesting_agency, n.requesting_country, n.state, n.version,
           fields, n.public_consent ? 1 : 0, JoinRecipients(n.recipients), n.created_ms,
           n.updated_ms})
      .status();
}

Status SaveNotice(store::Transaction& tx, const Keys& keys, Notice& n, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(const std::string key, SealingKey(keys.data_key));
  NCBNET_ASSIGN_OR_RETURN(store::Value fields, SealJson(key, n.id, "fields", n.fields));
  NCBNET_ASSIGN_OR_RETURN(store::Value pending, SealJson(key, n.id, "pending", n.pending_fields));
  const std::optional<std::string> control =
      n.control_number.empty() ? std::nullopt : std::optional<std::string>(n.control_number);
  NCBNET_ASSIGN_OR_RETURN(
      const std::int64_t changed,
      tx.Exec("UPDATE notices SET control_number = ?, state = ?, version = ?, fields = ?,"
              " public_consent = ?, recipients = ?, pending_action = ?, pending_fields = ?,"
              " findings = ?, record_id = ?, updated_ms = ?, published_ms = ?, expires_ms = ?,"
              " reviewed_ms = ? WHERE id = ? AND version = ?",
              {control, n.state, n.version + 1, fields, n.public_consent ? 1 : 0,
               JoinRecipients(n.recipients), n.pending_action, pending, n.findings.dump(),
               n.record_id, now_ms, n.published_ms, n.expires_ms, n.reviewed_ms, n.id, n.version}));
  if (changed != 1) {
    return Status::FailedPrecondition("version_conflict", "the notice changed meanwhile");
  }
  ++n.version;
  n.updated_ms = now_ms;
  return Status::Ok();
}

Result<std::optional<Notice>> LoadNotice(store::Transaction& tx, const Keys& keys,
                                         std::string_view id) {
  NCBNET_ASSIGN_OR_RETURN(std::vector<Notice> found,
                          LoadNotices(tx, keys, "id = ?", {id}, 1, Damaged::kRefuse));
  if (found.empty()) return std::optional<Notice>();
  return std::optional<Notice>(std::move(found.front()));
}

Result<std::vector<Notice>> LoadNotices(store::Transaction& tx, const Keys& keys,
                                        const std::string& where,
                                        const std::vector<store::Value>& params, int limit,
                                        Damaged damaged) {
  NCBNET_ASSIGN_OR_RETURN(const std::string key, SealingKey(keys.data_key));
  std::vector<store::Value> all = params;
  all.emplace_back(static_cast<std::int64_t>(limit));
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows,
                          tx.Query("SELECT " + std::string(kColumns) + " FROM notices WHERE " +
                                       where + " ORDER BY updated_ms DESC, id LIMIT ?",
                                   all));
  std::vector<Notice> out;
  for (const store::Row& row : rows) {
    Result<Notice> n = Decode(key, row);
    if (!n.ok() && n.status().code() == StatusCode::kDataLoss && damaged != Damaged::kRefuse) {
      // One damaged row must not silence the others: the caller shows or skips it.
      Notice marked = DecodePlain(row);
      marked.damaged = n.status().reason();
      if (damaged == Damaged::kMark) out.push_back(std::move(marked));
      continue;
    }
    if (!n.ok()) return n.status();
    NCBNET_ASSIGN_OR_RETURN(n->images, LoadImageInfos(tx, n->id));
    out.push_back(std::move(*n));
  }
  return out;
}

bool IsRequester(const Notice& n, const Actor& actor) {
  return !actor.country.empty() && actor.country == n.requesting_country;
}

bool MaySee(const Notice& n, const Actor& actor) {
  // Reading notices is a capability of its own (notice.read), granted to NCBs and delegated
  // like the others; drafting (notice.request) shows the requesting country its own, and
  // reviewing (notice.review) shows the GS what it reviews. Matching a traveller against the
  // NOTICES database in a check is record.check:NOTICES and never comes here.
  if (IsRequester(n, actor) && (actor.may_request || actor.may_read)) return true;
  if (actor.kind == access::AgencyKind::kGs && (actor.may_review || actor.may_read)) {
    return n.state != "draft";
  }
  if (!actor.may_read || !IsLive(n)) return false;
  if (n.channel == "notice" || n.recipients.empty()) return true;
  for (const std::string& c : n.recipients) {
    if (c == actor.country) return true;
  }
  return false;
}

Status NoticeNotFound() { return Status::NotFound("notice_not_found", "no such notice"); }

Result<Notice> LoadVisible(store::Transaction& tx, const Keys& keys, const Actor& actor,
                           std::string_view id) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<Notice> n, LoadNotice(tx, keys, id));
  if (!n || !MaySee(*n, actor)) return NoticeNotFound();
  return std::move(*n);
}

Result<Notice> LoadOwn(store::Transaction& tx, const Keys& keys, const Actor& actor,
                       std::string_view id) {
  NCBNET_ASSIGN_OR_RETURN(Notice n, LoadVisible(tx, keys, actor, id));
  if (!IsRequester(n, actor) || !actor.may_request) {
    return Status::PermissionDenied("not_requesting_country",
                                    "only the requesting country changes this notice");
  }
  return n;
}

Result<Notice> LoadForReview(store::Transaction& tx, const Keys& keys, const Actor& actor,
                             std::string_view id) {
  NCBNET_ASSIGN_OR_RETURN(Notice n, LoadVisible(tx, keys, actor, id));
  if (!actor.may_review) {
    return Status::PermissionDenied("not_reviewer", "only the General Secretariat reviews");
  }
  return n;
}

Status BadTransition(std::string_view action, const Notice& n) {
  return Status::FailedPrecondition(
      "invalid_transition",
      "cannot " + std::string(action) + " a " + n.channel + " in state " + n.state +
          (n.pending_action.empty() ? "" : " with a pending " + n.pending_action));
}

Result<std::int64_t> AppendEvent(store::Transaction& tx, const Notice& n, std::string_view action,
                                 const Actor& actor, std::string_view note, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT COALESCE(MAX(seq), 0) + 1 FROM notice_events WHERE notice_id = ?",
                  {n.id}));
  const std::int64_t seq = row ? (*row)[0].AsInt() : 1;
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO notice_events (notice_id, seq, action, state, agency_id, user_id,"
              " note, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              {n.id, seq, action, n.state, actor.agency_id, actor.user_id, note, now_ms})
          .status());
  return seq;
}

}  // namespace ncbnet::notices::internal
