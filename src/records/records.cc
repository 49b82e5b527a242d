#include "records/records.h"

#include <algorithm>

#include "access/agencies.h"
#include "core/json.h"
#include "core/time_format.h"
#include "crypto/kdf.h"
#include "crypto/random.h"
#include "index/identifier_index.h"
#include "records/internal/version_mac.h"
#include "records/record_fields.h"

namespace ncbnet::records {
namespace {

using nlohmann::json;

constexpr std::int64_t kDayMs = std::int64_t{24} * 3600 * 1000;
constexpr std::int64_t kYearMs = kDayMs * 36525 / 100;
constexpr std::size_t kMaxActionBytes = 1000;

// In the order of stored::Column (records.h).
constexpr const char* kColumns =
    "ref, id, database, owner_agency, owner_country, external_id, version, status, visibility,"
    " countries, frontline, action, fields, created_ms, updated_ms, review_ms, changed_by_agency,"
    " changed_by_user, cancel_reason, keys, mac";
// The columns of a record_history row, after `ref`.
constexpr const char* kHistoryColumns =
    "version, status, visibility, countries, frontline, action, fields, updated_ms, review_ms,"
    " changed_by_agency, changed_by_user, cancel_reason, keys, mac";

Status InvalidRecord(const std::string& why) {
  return Status::InvalidArgument("invalid_record", why);
}

Status NotFound() { return Status::NotFound("record_not_found", "no such record"); }

// A stored version that does not match its MAC (or whose fields do not parse): edited in the
// store by someone without the key. Never served; the operator's log names the record.
Status Tampered(std::string_view id) {
  return Status::DataLoss("record_tampered",
                          "record " + std::string(id) + ": a stored version fails its MAC");
}

// A `records` row (kColumns) as the columns its MAC covers.
internal::VersionColumns StoredColumns(const store::Row& row) {
  internal::VersionColumns v;
  v.id = row[stored::kId].AsText();
  v.database = row[stored::kDatabase].AsText();
  v.owner_agency = row[stored::kOwnerAgency].AsText();
  v.owner_country = row[stored::kOwnerCountry].AsText();
  v.external_id = row[stored::kExternalId].is_null()
                      ? std::string_view()
                      : std::string_view(row[stored::kExternalId].AsText());
  v.created_ms = row[stored::kCreatedMs].AsInt();
  v.version = row[stored::kVersion].AsInt();
  v.status = row[stored::kStatus].AsText();
  v.visibility = row[stored::kVisibility].AsText();
  v.countries = row[stored::kCountries].AsText();
  v.frontline = row[stored::kFrontline].AsInt();
  v.action = row[stored::kAction].AsText();
  v.fields = row[stored::kFields].AsText();
  v.updated_ms = row[stored::kUpdatedMs].AsInt();
  v.review_ms = row[stored::kReviewMs].AsInt();
  v.changed_by_agency = row[stored::kChangedByAgency].AsText();
  v.changed_by_user = row[stored::kChangedByUser].AsText();
  v.cancel_reason = row[stored::kCancelReason].AsText();
  v.keys = row[stored::kKeys].AsText();
  return v;
}

// A `record_history` row (kHistoryColumns) of the record whose `records` row is `current`.
internal::VersionColumns HistoryColumns(const store::Row& current, const store::Row& row) {
  internal::VersionColumns v = StoredColumns(current);
  v.version = row[0].AsInt();
  v.status = row[1].AsText();
  v.visibility = row[2].AsText();
  v.countries = row[3].AsText();
  v.frontline = row[4].AsInt();
  v.action = row[5].AsText();
  v.fields = row[6].AsText();
  v.updated_ms = row[7].AsInt();
  v.review_ms = row[8].AsInt();
  v.changed_by_agency = row[9].AsText();
  v.changed_by_user = row[10].AsText();
  v.cancel_reason = row[11].AsText();
  v.keys = row[12].AsText();
  return v;
}

// The MAC of `r` stored with `fields_text` and `keys`, as the row will hold them.
std::string MacOf(std::string_view mac_key, const Record& r, std::string_view status,
                  std::string_view visibility, std::string_view countries,
                  std::string_view fields_text, std::string_view keys) {
  internal::VersionColumns v;
  v.id = r.id;
  v.database = r.database;
  v.owner_agency = r.owner_agency;
  v.owner_country = r.owner_country;
  v.external_id = r.external_id;
  v.created_ms = r.created_ms;
  v.version = r.version;
  v.status = status;
  v.visibility = visibility;
  v.countries = countries;
  v.frontline = r.restrictions.frontline ? 1 : 0;
  v.action = r.action;
  v.fields = fields_text;
  v.updated_ms = r.updated_ms;
  v.review_ms = r.review_ms;
  v.changed_by_agency = r.changed_by_agency;
  v.changed_by_user = r.changed_by_user;
  v.cancel_reason = r.cancel_reason;
  v.keys = keys;
  return internal::VersionMac(mac_key, v);
}

std::string JoinCountries(const std::vector<std::string>& c) {
  std::string out;
  for (const std::string& s : c) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::vector<std::string> SplitCountries(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i + 3 <= s.size(); i += 4) out.push_back(s.substr(i, 3));
  return out;
}

// The record of a `records` row, its MAC checked. kDataLoss "record_tampered" otherwise.
Result<Record> FromRow(const store::Row& row, std::string_view mac_key) {
  if (row.size() != stored::kColumnCount || !row[stored::kMac].is_text() ||
      !internal::VersionMacValid(mac_key, StoredColumns(row), row[stored::kMac].AsText())) {
    return Tampered(row.size() > 1 ? row[1].AsText() : std::string());
  }
  Record r;
  r.ref = row[0].AsInt();
  r.id = row[1].AsText();
  r.database = row[2].AsText();
  r.owner_agency = row[3].AsText();
  r.owner_country = row[4].AsText();
  r.external_id = row[5].is_null() ? "" : row[5].AsText();
  r.version = row[6].AsInt();
  NCBNET_ASSIGN_OR_RETURN(r.status, RecordStatusFromName(row[7].AsText()));
  NCBNET_ASSIGN_OR_RETURN(r.restrictions.visibility, VisibilityFromName(row[8].AsText()));
  r.restrictions.countries = SplitCountries(row[9].AsText());
  r.restrictions.frontline = row[10].AsInt() != 0;
  r.action = row[11].AsText();
  r.fields = ParseJson(row[12].AsText());
  if (!r.fields.is_object()) return Tampered(r.id);
  r.created_ms = row[13].AsInt();
  r.updated_ms = row[14].AsInt();
  r.review_ms = row[15].AsInt();
  r.changed_by_agency = row[16].AsText();
  r.changed_by_user = row[17].AsText();
  r.cancel_reason = row[18].AsText();
  return r;
}

Result<std::optional<store::Row>> LoadRow(store::Transaction& tx, std::string_view database,
                                          std::string_view id) {
  return tx.QueryOne(
      std::string("SELECT ") + kColumns + " FROM records WHERE id = ? AND database = ?",
      {id, database});
}

Result<std::optional<Record>> Load(store::Transaction& tx, std::string_view database,
                                   std::string_view id, std::string_view mac_key) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> row, LoadRow(tx, database, id));
  if (!row) return std::optional<Record>();
  NCBNET_ASSIGN_OR_RETURN(Record r, FromRow(*row, mac_key));
  return std::optional<Record>(std::move(r));
}

bool OwnedBy(const Record& r, std::string_view country) {
  return !country.empty() && r.owner_country == country;
}

bool Readable(const Record& r, const Viewer& viewer) {
  if (OwnedBy(r, viewer.country)) return true;
  return r.status == RecordStatus::kActive && VisibleTo(r.restrictions, r.owner_country, viewer);
}

// The record `writer` may change: it exists, the writer's country owns it, it is at
// `expected_version` and not cancelled.
Result<Record> LoadForChange(store::Transaction& tx, const DatabaseSchema& schema,
                             const IndexSecret& secret, const Writer& writer, std::string_view id,
                             std::int64_t expected_version) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<Record> r, Load(tx, schema.code, id, secret.mac_key));
  if (!r || !Readable(*r, {writer.agency_id, writer.country, access::AgencyKind::kAgency})) {
    return NotFound();
  }
  if (!OwnedBy(*r, writer.country)) {
    return Status::PermissionDenied("not_record_owner",
                                    "only the owner country's agencies change a record");
  }
  if (r->version != expected_version) {
    return Status::FailedPrecondition("version_conflict",
                                      "the record is at version " + std::to_string(r->version));
  }
  if (r->status == RecordStatus::kCancelled) {
    return Status::FailedPrecondition("record_cancelled", "the record is cancelled");
  }
  return std::move(*r);
}

Result<std::string> KeysOf(const DatabaseSchema& schema, const IndexSecret& secret,
                           const json& fields) {
  NCBNET_ASSIGN_OR_RETURN(std::vector<NormalisedIdentifier> ids,
                          ExtractIdentifiers(schema, fields));
  std::string out;
  for (const NormalisedIdentifier& id : ids) {
    const index::IndexKey k = index::KeyFor(secret.bytes, schema.code, id.value);
    for (std::uint64_t w : {k.lo, k.hi}) {
      for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((w >> (8 * i)) & 0xff));
    }
  }
  return out;
}

Status AppendChange(store::Transaction& tx, std::int64_t ref, std::string old_keys) {
  return tx
      .Exec(
          "INSERT INTO record_changes (seq, ref, old_keys)"
          " SELECT COALESCE(MAX(seq), 0) + 1, ?, ? FROM record_changes",
          {ref, store::Blob{std::move(old_keys)}})
      .status();
}

Status SaveHistory(store::Transaction& tx, const Record& old) {
  return tx
      .Exec(std::string("INSERT INTO record_history (ref, ") + kHistoryColumns + ") SELECT ref, " +
                kHistoryColumns + " FROM records WHERE ref = ?",
            {old.ref})
      .status();
}

// Writes `r` (a new version of an existing record) over its row, keeping history and feed.
// `keys` are the new version's index keys; nullopt keeps the old ones.
Status Rewrite(store::Transaction& tx, const IndexSecret& secret, const Record& old,
               const Record& r, std::optional<std::string> keys) {
  NCBNET_RETURN_IF_ERROR(SaveHistory(tx, old));
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> old_keys,
                          tx.QueryOne("SELECT keys FROM records WHERE ref = ?", {old.ref}));
  const std::string previous = old_keys ? (*old_keys)[0].AsText() : "";
  if (!keys) keys = previous;
  const std::string status(RecordStatusName(r.status));
  const std::string visibility(VisibilityName(r.restrictions.visibility));
  const std::string countries = JoinCountries(r.restrictions.countries);
  const std::string fields = r.fields.dump();
  const std::string mac = MacOf(secret.mac_key, r, status, visibility, countries, fields, *keys);
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("UPDATE records SET version = ?, status = ?, visibility = ?, countries = ?,"
              " frontline = ?, action = ?, fields = ?, keys = ?, updated_ms = ?, review_ms = ?,"
              " reminded_ms = NULL, changed_by_agency = ?, changed_by_user = ?,"
              " cancel_reason = ?, mac = ? WHERE ref = ?",
              {r.version, status, visibility, countries, r.restrictions.frontline ? 1 : 0, r.action,
               fields, store::Blob{std::move(*keys)}, r.updated_ms, r.review_ms,
               r.changed_by_agency, r.changed_by_user, r.cancel_reason, mac, r.ref})
          .status());
  return AppendChange(tx, r.ref, previous);
}

Status CheckInputBounds(const RecordInput& in, std::int64_t now_ms) {
  if (in.action.size() > kMaxActionBytes) return InvalidRecord("action: longer than 1000 bytes");
  if (in.review_ms && (*in.review_ms <= now_ms || *in.review_ms > now_ms + 10 * kYearMs)) {
    return InvalidRecord("review_date: must be in the next 10 years");
  }
  const std::string& e = in.external_id;
  const bool ok_chars = std::all_of(e.begin(), e.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' ||
           c == '-';
  });
  if (e.size() > 64 || !ok_chars)
    return InvalidRecord("external_id: at most 64 of [A-Za-z0-9._:-]");
  return Status::Ok();
}

Result<Record> Stamped(Record r, const Writer& writer, std::int64_t now_ms) {
  r.version += 1;
  r.updated_ms = now_ms;
  r.changed_by_agency = writer.agency_id;
  r.changed_by_user = writer.user_id;
  return r;
}

}  // namespace

std::string_view RecordStatusName(RecordStatus s) {
  return s == RecordStatus::kCancelled ? "cancelled" : "active";
}

Result<RecordStatus> RecordStatusFromName(std::string_view name) {
  if (name == "active") return RecordStatus::kActive;
  if (name == "cancelled") return RecordStatus::kCancelled;
  return Status::DataLoss("record_undecodable",
                          "unknown stored status '" + std::string(name.substr(0, 16)) + "'");
}

Result<std::int64_t> ParseReviewDate(const nlohmann::json& value) {
  const std::string d = value.is_string() ? value.get<std::string>() : "";
  auto ms = ParseIsoMillis(d + "T00:00:00Z");
  if (d.size() != 10 || !ms.ok()) return InvalidRecord("review_date: not a date YYYY-MM-DD");
  return *ms;
}

Result<RecordInput> ParseRecordInput(const nlohmann::json& j) {
  if (!j.is_object()) return InvalidRecord("a record is a JSON object");
  RecordInput in;
  for (const auto& [key, value] : j.items()) {
    if (key == "fields") {
      in.fields = value;
    } else if (key == "restrictions") {
      NCBNET_ASSIGN_OR_RETURN(in.restrictions, ParseRestrictions(value));
    } else if (key == "action" || key == "external_id") {
      if (!value.is_string()) return InvalidRecord(key + ": not a string");
      (key == "action" ? in.action : in.external_id) = value.get<std::string>();
    } else if (key == "review_date") {
      NCBNET_ASSIGN_OR_RETURN(in.review_ms, ParseReviewDate(value));
    } else {
      return InvalidRecord("unknown key \"" + key.substr(0, 32) + "\"");
    }
  }
  if (in.fields.is_null()) return InvalidRecord("fields: required");
  return in;
}

Result<IndexSecret> DeriveIndexSecret(std::string_view data_key) {
  NCBNET_ASSIGN_OR_RETURN(std::string bytes, crypto::DeriveSubkey(data_key, "ncbn-idx", 1, 32));
  NCBNET_ASSIGN_OR_RETURN(std::string mac_key, crypto::DeriveSubkey(data_key, "ncbn-rmc", 1, 32));
  return IndexSecret{std::move(bytes), std::move(mac_key)};
}

Result<Record> CreateRecord(store::Transaction& tx, const DatabaseSchema& schema,
                            const IndexSecret& secret, const Writer& writer,
                            const RecordInput& input, std::int64_t now_ms) {
  if (writer.country.empty()) {
    return Status::PermissionDenied("no_owner_ncb", "records belong to a member country's NCB");
  }
  NCBNET_RETURN_IF_ERROR(CheckInputBounds(input, now_ms));
  Record r;
  NCBNET_ASSIGN_OR_RETURN(r.fields, ValidateFields(schema, input.fields));
  NCBNET_ASSIGN_OR_RETURN(std::string keys, KeysOf(schema, secret, r.fields));
  if (!input.external_id.empty()) {
    NCBNET_ASSIGN_OR_RETURN(
        std::optional<store::Row> existing,
        tx.QueryOne("SELECT id FROM records WHERE database = ? AND owner_country = ? AND"
                    " external_id = ?",
                    {schema.code, writer.country, input.external_id}));
    if (existing) {
      return Status::AlreadyExists("record_exists", "external_id " + input.external_id +
                                                        " is record " + (*existing)[0].AsText());
    }
  }
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> max,
                          tx.QueryOne("SELECT COALESCE(MAX(ref), 0) FROM records"));
  r.ref = (*max)[0].AsInt() + 1;
  r.id = crypto::NewId("rec");
  r.database = schema.code;
  r.owner_country = writer.country;
  r.owner_agency = access::NcbIdFor(writer.country);
  r.external_id = input.external_id;
  r.restrictions = input.restrictions;
  r.action = input.action;
  r.created_ms = r.updated_ms = now_ms;
  r.review_ms = input.review_ms.value_or(now_ms + schema.review_years * kYearMs);
  r.changed_by_agency = writer.agency_id;
  r.changed_by_user = writer.user_id;
  const std::string status(RecordStatusName(r.status));
  const std::string visibility(VisibilityName(r.restrictions.visibility));
  const std::string countries = JoinCountries(r.restrictions.countries);
  const std::string fields = r.fields.dump();
  std::string mac = MacOf(secret.mac_key, r, status, visibility, countries, fields, keys);
  NCBNET_RETURN_IF_ERROR(
      tx.Exec(std::string("INSERT INTO records (") + kColumns +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {r.ref,
               r.id,
               r.database,
               r.owner_agency,
               r.owner_country,
               r.external_id.empty() ? store::Value() : store::Value(r.external_id),
               r.version,
               status,
               visibility,
               countries,
               r.restrictions.frontline ? 1 : 0,
               r.action,
               fields,
               r.created_ms,
               r.updated_ms,
               r.review_ms,
               r.changed_by_agency,
               r.changed_by_user,
               r.cancel_reason,
               store::Blob{std::move(keys)},
               std::move(mac)})
          .status());
  NCBNET_RETURN_IF_ERROR(AppendChange(tx, r.ref, ""));
  return r;
}

Result<Record> UpdateRecord(store::Transaction& tx, const DatabaseSchema& schema,
                            const IndexSecret& secret, const Writer& writer, std::string_view id,
                            std::int64_t expected_version, const RecordInput& input,
                            std::int64_t now_ms) {
  NCBNET_RETURN_IF_ERROR(CheckInputBounds(input, now_ms));
  NCBNET_ASSIGN_OR_RETURN(Record old,
                          LoadForChange(tx, schema, secret, writer, id, expected_version));
  if (!input.external_id.empty() && input.external_id != old.external_id) {
    return InvalidRecord("external_id: cannot change");
  }
  NCBNET_ASSIGN_OR_RETURN(Record r, Stamped(old, writer, now_ms));
  NCBNET_ASSIGN_OR_RETURN(r.fields, ValidateFields(schema, input.fields));
  NCBNET_ASSIGN_OR_RETURN(std::string keys, KeysOf(schema, secret, r.fields));
  r.restrictions = input.restrictions;
  r.action = input.action;
  if (input.review_ms) r.review_ms = *input.review_ms;
  NCBNET_RETURN_IF_ERROR(Rewrite(tx, secret, old, r, std::move(keys)));
  return r;
}

Result<Record> CancelRecord(store::Transaction& tx, const DatabaseSchema& schema,
                            const IndexSecret& secret, const Writer& writer, std::string_view id,
                            std::int64_t expected_version, std::string_view reason,
                            std::int64_t now_ms) {
  if (reason.empty() || reason.size() > kMaxActionBytes) {
    return InvalidRecord("reason: 1 to 1000 bytes");
  }
  NCBNET_ASSIGN_OR_RETURN(Record old,
                          LoadForChange(tx, schema, secret, writer, id, expected_version));
  NCBNET_ASSIGN_OR_RETURN(Record r, Stamped(old, writer, now_ms));
  r.status = RecordStatus::kCancelled;
  r.cancel_reason = std::string(reason);
  // A cancelled record has no keys: it leaves the identifier index.
  NCBNET_RETURN_IF_ERROR(Rewrite(tx, secret, old, r, ""));
  return r;
}

Result<Record> ReviewRecord(store::Transaction& tx, const DatabaseSchema& schema,
                            const IndexSecret& secret, const Writer& writer, std::string_view id,
                            std::int64_t expected_version, std::optional<std::int64_t> review_ms,
                            std::int64_t now_ms) {
  RecordInput bounds;
  bounds.review_ms = review_ms;
  NCBNET_RETURN_IF_ERROR(CheckInputBounds(bounds, now_ms));
  NCBNET_ASSIGN_OR_RETURN(Record old,
                          LoadForChange(tx, schema, secret, writer, id, expected_version));
  NCBNET_ASSIGN_OR_RETURN(Record r, Stamped(old, writer, now_ms));
  r.review_ms = review_ms.value_or(now_ms + schema.review_years * kYearMs);
  NCBNET_RETURN_IF_ERROR(
      Rewrite(tx, secret, old, r, std::nullopt));  // a review keeps the identifiers
  return r;
}

Result<Record> GetRecord(store::Transaction& tx, const IndexSecret& secret,
                         std::string_view database, std::string_view id, const Viewer& viewer) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<Record> r, Load(tx, database, id, secret.mac_key));
  if (!r || !Readable(*r, viewer)) return NotFound();
  return std::move(*r);
}

Result<std::vector<Record>> RecordsByRef(store::Transaction& tx, const IndexSecret& secret,
                                         const std::vector<std::int64_t>& refs) {
  std::vector<Record> out;
  out.reserve(refs.size());
  for (std::int64_t ref : refs) {
    NCBNET_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne(std::string("SELECT ") + kColumns + " FROM records WHERE ref = ?", {ref}));
    if (!row) continue;
    NCBNET_ASSIGN_OR_RETURN(Record r, FromRow(*row, secret.mac_key));
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::string> RecordIdOfRef(store::Transaction& tx, std::int64_t ref) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne("SELECT id FROM records WHERE ref = ?", {ref}));
  if (!row || !(*row)[0].is_text()) {
    return Status::NotFound("record_not_found", "no record has ref " + std::to_string(ref));
  }
  return (*row)[0].AsText();
}

Result<std::vector<Record>> RecordVersions(store::Transaction& tx, const IndexSecret& secret,
                                           std::string_view database, std::string_view id,
                                           const Viewer& viewer) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> current_row, LoadRow(tx, database, id));
  if (!current_row) return NotFound();
  NCBNET_ASSIGN_OR_RETURN(Record current, FromRow(*current_row, secret.mac_key));
  if (!OwnedBy(current, viewer.country)) return NotFound();
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows,
                          tx.Query(std::string("SELECT ") + kHistoryColumns +
                                       " FROM record_history WHERE ref = ? ORDER BY version",
                                   {current.ref}));
  std::vector<Record> out;
  for (const store::Row& row : rows) {
    if (row.size() != 14 || !row[13].is_text() ||
        !internal::VersionMacValid(secret.mac_key, HistoryColumns(*current_row, row),
                                   row[13].AsText())) {
      return Tampered(current.id);
    }
    Record r = current;
    r.version = row[0].AsInt();
    NCBNET_ASSIGN_OR_RETURN(r.status, RecordStatusFromName(row[1].AsText()));
    NCBNET_ASSIGN_OR_RETURN(r.restrictions.visibility, VisibilityFromName(row[2].AsText()));
    r.restrictions.countries = SplitCountries(row[3].AsText());
    r.restrictions.frontline = row[4].AsInt() != 0;
    r.action = row[5].AsText();
    r.fields = ParseJson(row[6].AsText());
    if (!r.fields.is_object()) return Tampered(current.id);
    r.updated_ms = row[7].AsInt();
    r.review_ms = row[8].AsInt();
    r.changed_by_agency = row[9].AsText();
    r.changed_by_user = row[10].AsText();
    r.cancel_reason = row[11].AsText();
    out.push_back(std::move(r));
  }
  out.push_back(std::move(current));
  return out;
}

Result<std::vector<Record>> OwnRecords(store::Transaction& tx, const IndexSecret& secret,
                                       std::string_view database, std::string_view owner_country,
                                       std::int64_t after_ref, int limit) {
  if (limit < 1 || limit > 10000 || after_ref < 0) {
    return Status::InvalidArgument("invalid_request", "limit is 1..10000, after >= 0");
  }
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<store::Row> rows,
      tx.Query(std::string("SELECT ") + kColumns +
                   " FROM records WHERE owner_country = ? AND database = ? AND ref > ?"
                   " ORDER BY ref LIMIT ?",
               {owner_country, database, after_ref, limit}));
  std::vector<Record> out;
  out.reserve(rows.size());
  for (const store::Row& row : rows) {
    Result<Record> r = FromRow(row, secret.mac_key);
    if (!r.ok()) {
      // One tampered version must not stop the owner's export: it is listed as damaged.
      Record damaged;
      damaged.ref = row[0].AsInt();
      damaged.id = row[1].AsText();
      damaged.damaged = r.status().reason();
      out.push_back(std::move(damaged));
      continue;
    }
    out.push_back(std::move(*r));
  }
  return out;
}

Result<std::vector<Record>> DueForReview(store::Transaction& tx, const IndexSecret& secret,
                                         std::string_view owner_country, std::int64_t before_ms,
                                         int limit) {
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<store::Row> rows,
      tx.Query(std::string("SELECT ") + kColumns +
                   " FROM records WHERE status = 'active' AND review_ms < ? AND owner_country = ?"
                   " ORDER BY review_ms LIMIT ?",
               {before_ms, owner_country, limit}));
  std::vector<Record> out;
  for (const store::Row& row : rows) {
    Result<Record> r = FromRow(row, secret.mac_key);
    if (r.ok()) out.push_back(std::move(*r));  // a tampered one is no reminder's business
  }
  return out;
}

Result<std::int64_t> SealUnsealedVersions(store::Transaction& tx, const IndexSecret& secret) {
  std::int64_t sealed = 0;
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows, tx.Query(std::string("SELECT ") + kColumns +
                                                                 " FROM records WHERE mac = ''"));
  for (const store::Row& row : rows) {
    NCBNET_RETURN_IF_ERROR(
        tx.Exec("UPDATE records SET mac = ? WHERE ref = ?",
                {internal::VersionMac(secret.mac_key, StoredColumns(row)), row[0].AsInt()})
            .status());
    ++sealed;
  }
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> history,
                          tx.Query(std::string("SELECT ref, ") + kHistoryColumns +
                                   " FROM record_history WHERE mac = ''"));
  for (const store::Row& h : history) {
    NCBNET_ASSIGN_OR_RETURN(
        std::optional<store::Row> current,
        tx.QueryOne(std::string("SELECT ") + kColumns + " FROM records WHERE ref = ?", {h[0]}));
    if (!current) continue;
    const store::Row version(h.begin() + 1, h.end());
    NCBNET_RETURN_IF_ERROR(
        tx.Exec("UPDATE record_history SET mac = ? WHERE ref = ? AND version = ?",
                {internal::VersionMac(secret.mac_key, HistoryColumns(*current, version)),
                 h[0].AsInt(), version[0].AsInt()})
            .status());
    ++sealed;
  }
  return sealed;
}

Status CheckStoredVersion(const store::Row& row, const IndexSecret& secret) {
  if (row.size() != stored::kColumnCount || !row[stored::kMac].is_text() ||
      !internal::VersionMacValid(secret.mac_key, StoredColumns(row), row[stored::kMac].AsText())) {
    return Tampered(row.size() > 1 ? row[1].AsText() : std::string());
  }
  return Status::Ok();
}

std::string_view StoredColumnsSql() { return kColumns; }

nlohmann::json RecordJson(const Record& r) {
  if (!r.damaged.empty()) return {{"id", r.id}, {"damaged", r.damaged}};
  json j = {{"id", r.id},
            {"database", r.database},
            {"owner", r.owner_agency},
            {"owner_country", r.owner_country},
            {"version", r.version},
            {"status", RecordStatusName(r.status)},
            {"restrictions", RestrictionsJson(r.restrictions)},
            {"fields", r.fields},
            {"created", FormatIsoMillis(r.created_ms)},
            {"updated", FormatIsoMillis(r.updated_ms)},
            {"review_date", FormatIsoDate(r.review_ms)},
            {"changed_by", r.changed_by_agency}};
  if (!r.action.empty()) j["action"] = r.action;
  if (!r.external_id.empty()) j["external_id"] = r.external_id;
  if (!r.cancel_reason.empty()) j["cancel_reason"] = r.cancel_reason;
  return j;
}

}  // namespace ncbnet::records
