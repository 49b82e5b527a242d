// Records of the network's databases (issue 4, item 2): created, updated, cancelled and
// reviewed by the NCB that owns them, every version kept. Plain functions on a caller's store
// transaction, so the API layer appends its audit entry in the same transaction
// (api/request_context.h).
//
// Rules:
// - The owner is the writer's NCB: an NCB writes for itself, a national agency holding
//   record.write:<DB> writes on its NCB's behalf (the caller checks the capability). Only
//   agencies of the owner's country change a record; others get kPermissionDenied
//   "not_record_owner" if they may see it, and kNotFound "record_not_found" if they may not.
// - A record not visible to a viewer (records/visibility.h) is kNotFound "record_not_found",
//   exactly as an id that does not exist.
// - Updates name the version they change (`expected_version`); another is kFailedPrecondition
//   "version_conflict". The superseded version goes to record_history, so every version is
//   kept.
// - Each record has a review date (default: the schema's review_years after the last review or
//   creation). Past it the record stops matching in checks until the owner reviews it.
// - `external_id` (optional) is the owner's own reference, unique per database and owner: a
//   create with one that exists is kAlreadyExists "record_exists" naming the existing record,
//   which makes retries and re-imports safe.
// - Every change appends to the change feed (record_changes) that the in-memory indexes follow
//   (records/record_indexes.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "records/catalogue.h"
#include "records/visibility.h"
#include "store/store.h"

namespace ncbnet::records {

enum class RecordStatus { kActive, kCancelled };
std::string_view RecordStatusName(RecordStatus s);
// The stored name's status, strictly: anything but "active" and "cancelled" is kDataLoss
// "record_undecodable", never read as active.
Result<RecordStatus> RecordStatusFromName(std::string_view name);

struct Record {
  std::string id;        // "rec_" + 22 base32 characters
  std::int64_t ref = 0;  // the indexes' integer handle
  std::string database;
  std::string owner_agency;  // the NCB
  std::string owner_country;
  std::string external_id;  // the owner's reference; may be empty
  std::int64_t version = 1;
  RecordStatus status = RecordStatus::kActive;
  Restrictions restrictions;
  std::string action;  // the owner's instructions to whoever finds a match
  nlohmann::json fields;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  std::int64_t review_ms = 0;
  std::string changed_by_agency;  // of this version
  std::string changed_by_user;
  std::string cancel_reason;
  // Set ("record_tampered") on a record in an export page whose stored version fails its MAC;
  // then only `id` and `ref` are known. Every other read fails with kDataLoss instead.
  std::string damaged;
};

// Who writes: the agency (and user, empty for a system) and the agency's country.
struct Writer {
  std::string agency_id;
  std::string user_id;
  std::string country;
};

struct RecordInput {
  nlohmann::json fields;
  Restrictions restrictions;
  std::string action;                     // at most 1,000 bytes
  std::optional<std::int64_t> review_ms;  // in the future, at most 10 years ahead
  std::string external_id;                // at most 64 of [A-Za-z0-9._:-]
};

// Reads {"fields", "restrictions", "action", "review_date" (YYYY-MM-DD), "external_id"} as the
// API and imports carry it. Errors: kInvalidArgument "invalid_record" naming the key, or
// ParseRestrictions' error. Fields are validated by CreateRecord/UpdateRecord.
Result<RecordInput> ParseRecordInput(const nlohmann::json& json);

// A review date as the API carries it, "YYYY-MM-DD", as midnight UTC in milliseconds. Error:
// kInvalidArgument "invalid_record".
Result<std::int64_t> ParseReviewDate(const nlohmann::json& value);

// The records' keys, both derived from the hub's data key: `bytes` keys the identifier index,
// `mac_key` authenticates every stored version (records/internal/version_mac.h): a version
// edited in the store without it fails every read with kDataLoss "record_tampered".
struct IndexSecret {
  std::string bytes;    // 32 bytes
  std::string mac_key;  // 32 bytes
};
Result<IndexSecret> DeriveIndexSecret(std::string_view data_key);

// Errors beyond those above: ValidateFields' errors, kInvalidArgument "invalid_record" for an
// action, review date or external id out of bounds; kPermissionDenied "no_owner_ncb" for a
// writer without a country (the GS owns no records).
Result<Record> CreateRecord(store::Transaction& tx, const DatabaseSchema& schema,
                            const IndexSecret& secret, const Writer& writer,
                            const RecordInput& input, std::int64_t now_ms);

Result<Record> UpdateRecord(store::Transaction& tx, const DatabaseSchema& schema,
                            const IndexSecret& secret, const Writer& writer, std::string_view id,
                            std::int64_t expected_version, const RecordInput& input,
                            std::int64_t now_ms);

// Cancels: the record stops matching at once and stays readable by its owner. A cancelled
// record cannot be updated (kFailedPrecondition "record_cancelled").
Result<Record> CancelRecord(store::Transaction& tx, const DatabaseSchema& schema,
                            const IndexSecret& secret, const Writer& writer, std::string_view id,
                            std::int64_t expected_version, std::string_view reason,
                            std::int64_t now_ms);

// Confirms the record is still valid and sets its next review date (`review_ms`, or the
// schema's period from now). A new version.
Result<Record> ReviewRecord(store::Transaction& tx, const DatabaseSchema& schema,
                            const IndexSecret& secret, const Writer& writer, std::string_view id,
                            std::int64_t expected_version, std::optional<std::int64_t> review_ms,
                            std::int64_t now_ms);

// Every read below checks each stored version against its MAC: kDataLoss "record_tampered"
// when one fails (or its fields do not parse), unless said otherwise.

// The current version of `id` in `database`, if `viewer` may see it. Only the owner's country
// sees a cancelled record. Error: kNotFound "record_not_found".
Result<Record> GetRecord(store::Transaction& tx, const IndexSecret& secret,
                         std::string_view database, std::string_view id, const Viewer& viewer);

// Records by ref, as the checks load their matches; refs that do not exist are skipped. No
// visibility check: the caller has filtered the refs. A tampered match fails the whole call:
// a check fails closed rather than answer from a record the hub cannot vouch for.
Result<std::vector<Record>> RecordsByRef(store::Transaction& tx, const IndexSecret& secret,
                                         const std::vector<std::int64_t>& refs);

// The id of the record `ref`, with no visibility check and nothing decrypted: for the audit
// entries that tell an owner of an access (audit/accesses.h). Error: kNotFound
// "record_not_found".
Result<std::string> RecordIdOfRef(store::Transaction& tx, std::int64_t ref);

// Every version of `id`, oldest first; the owner's country only (others: kNotFound).
Result<std::vector<Record>> RecordVersions(store::Transaction& tx, const IndexSecret& secret,
                                           std::string_view database, std::string_view id,
                                           const Viewer& viewer);

// The owner's records of `database` with ref > after_ref, in ref order, at most `limit`
// (1..10,000), cancelled ones included: the export pages. A tampered version is listed with
// `damaged` set, so that the rest of the export goes on.
Result<std::vector<Record>> OwnRecords(store::Transaction& tx, const IndexSecret& secret,
                                       std::string_view database, std::string_view owner_country,
                                       std::int64_t after_ref, int limit);

// Active records of `owner_country` whose review date falls before `before_ms`, oldest first,
// at most `limit`. Tampered versions are left out.
Result<std::vector<Record>> DueForReview(store::Transaction& tx, const IndexSecret& secret,
                                         std::string_view owner_country, std::int64_t before_ms,
                                         int limit);

// Computes and stores the MAC of every version stored without one (rows written before
// migration 13 added them): run once, when the hub first starts on a store that has them
// (apps/ncbnet/hub_runner.cc, which records it in the audit log so that it never runs again
// over rows a tamperer emptied). Returns the number of versions sealed.
Result<std::int64_t> SealUnsealedVersions(store::Transaction& tx, const IndexSecret& secret);

// For readers that select a `records` row themselves (the indexes, the replica builder): the
// columns to select (StoredColumnsSql()), their positions in the row, and the check of such a
// row. kDataLoss "record_tampered".
std::string_view StoredColumnsSql();
namespace stored {
enum Column : std::size_t {
  kRef = 0,
  kId,
  kDatabase,
  kOwnerAgency,
  kOwnerCountry,
  kExternalId,
  kVersion,
  kStatus,
  kVisibility,
  kCountries,
  kFrontline,
  kAction,
  kFields,
  kCreatedMs,
  kUpdatedMs,
  kReviewMs,
  kChangedByAgency,
  kChangedByUser,
  kCancelReason,
  kKeys,
  kMac,
  kColumnCount,
};
}  // namespace stored
Status CheckStoredVersion(const store::Row& row, const IndexSecret& secret);

// The JSON a client sees of a record (docs/openapi.yaml, Record).
nlohmann::json RecordJson(const Record& r);

}  // namespace ncbnet::records
