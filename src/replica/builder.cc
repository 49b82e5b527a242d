#include "replica/builder.h"

#include <algorithm>
#include <optional>

#include "core/json.h"
#include "records/record_fields.h"

namespace ncbnet::replica {
namespace {

constexpr std::int64_t kPage = 20000;

// A record's whole stored version (records::StoredColumnsSql()), so that its MAC is checked
// before it goes to a terminal.
namespace stored = records::stored;

std::string SelectRecords() {
  return "SELECT " + std::string(records::StoredColumnsSql()) + " FROM records";
}

// A tampered version fails the whole package: the terminal keeps its last good copy rather
// than hold (or lose) an entry the hub cannot vouch for.
Status Checked(const ReplicaScope& scope, const store::Row& row) {
  if (scope.record_secret == nullptr) {
    return Status::Internal("replica_scope", "a replica scope needs the records' keys");
  }
  return records::CheckStoredVersion(row, *scope.record_secret);
}

records::Restrictions RestrictionsOf(const store::Row& row) {
  records::Restrictions r;
  const std::string& v = row[stored::kVisibility].AsText();
  r.visibility = v == "only"     ? records::Visibility::kOnly
                 : v == "except" ? records::Visibility::kExcept
                                 : records::Visibility::kAll;
  const std::string& list = row[stored::kCountries].AsText();  // "DEU,FRA"
  for (std::size_t i = 0; i + 3 <= list.size(); i += 4) r.countries.push_back(list.substr(i, 3));
  r.frontline = row[stored::kFrontline].AsInt() != 0;
  return r;
}

const records::DatabaseSchema* SchemaIn(const ReplicaScope& scope, const std::string& code) {
  for (const records::DatabaseSchema* s : scope.databases) {
    if (s->code == code) return s;
  }
  return nullptr;
}

// The entry of a record row, if the scope may hold it at `now_ms`.
std::optional<Entry> EntryOf(const records::DatabaseSchema& schema, const store::Row& row,
                             const ReplicaScope& scope, const index::IndexKeyer& keyer,
                             std::int64_t now_ms) {
  if (row[stored::kStatus].AsText() != "active" || row[stored::kReviewMs].AsInt() <= now_ms)
    return std::nullopt;
  const records::Restrictions r = RestrictionsOf(row);
  // Frontline-off records never leave the hub, whoever's they are.
  if (!r.frontline || !records::VisibleTo(r, row[stored::kOwnerCountry].AsText(), scope.viewer))
    return std::nullopt;
  const auto fields = ParseJson(row[stored::kFields].AsText());
  if (!fields.is_object()) return std::nullopt;
  auto ids = records::ExtractIdentifiers(schema, fields);
  if (!ids.ok()) return std::nullopt;
  Entry e;
  for (const records::NormalisedIdentifier& id : *ids) {
    const records::IdentifierSpec* spec = schema.Identifier(id.name);
    if (spec == nullptr || spec->kind == records::IdentifierKind::kSeries) continue;
    if (e.keys.size() == kMaxKeysPerEntry) break;
    e.keys.push_back(keyer.For(schema.code, id.value));
  }
  if (e.keys.empty()) return std::nullopt;
  e.ref = row[stored::kRef].AsInt();
  e.record_id = row[stored::kId].AsText();
  e.database = schema.code;
  e.owner_country = row[stored::kOwnerCountry].AsText();
  const auto status = fields.find("status");
  if (status != fields.end() && status->is_string()) e.status = status->get<std::string>();
  e.action = row[stored::kAction].AsText();
  e.review_ms = row[stored::kReviewMs].AsInt();
  return e;
}

std::vector<std::string> CodesOf(const ReplicaScope& scope) {
  std::vector<std::string> codes;
  for (const records::DatabaseSchema* s : scope.databases) codes.push_back(s->code);
  std::sort(codes.begin(), codes.end());
  return codes;
}

Package Start(const ReplicaScope& scope, PackageKind kind, std::int64_t now_ms) {
  Package p;
  p.kind = kind;
  p.network_id = scope.network_id;
  p.replica_id = scope.replica_id;
  p.issued_ms = now_ms;
  p.databases = CodesOf(scope);
  return p;
}

}  // namespace

Result<std::int64_t> FeedPosition(store::Transaction& tx) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne("SELECT COALESCE(MAX(seq), 0) FROM record_changes"));
  return (*row)[0].AsInt();
}

Result<Package> BuildSnapshot(store::Transaction& tx, const ReplicaScope& scope,
                              const index::IndexKeyer& keyer, std::int64_t now_ms) {
  Package p = Start(scope, PackageKind::kSnapshot, now_ms);
  NCBNET_ASSIGN_OR_RETURN(p.to_seq, FeedPosition(tx));
  for (const records::DatabaseSchema* schema : scope.databases) {
    for (std::int64_t after = 0;;) {
      NCBNET_ASSIGN_OR_RETURN(
          std::vector<store::Row> rows,
          tx.Query(SelectRecords() + " WHERE database = ? AND ref > ? ORDER BY ref LIMIT ?",
                   {schema->code, after, kPage}));
      for (const store::Row& row : rows) {
        NCBNET_RETURN_IF_ERROR(Checked(scope, row));
        if (auto e = EntryOf(*schema, row, scope, keyer, now_ms)) p.upserts.push_back(*e);
      }
      if (rows.size() < static_cast<std::size_t>(kPage)) break;
      after = rows.back()[stored::kRef].AsInt();
    }
  }
  return p;
}

Result<Package> BuildDelta(store::Transaction& tx, const ReplicaScope& scope,
                           const index::IndexKeyer& keyer, std::int64_t from_seq,
                           std::int64_t now_ms, std::int64_t max_changes) {
  if (from_seq < 0 || max_changes < 1) {
    return Status::InvalidArgument("invalid_request", "a delta starts at a position >= 0");
  }
  Package p = Start(scope, PackageKind::kDelta, now_ms);
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t feed, FeedPosition(tx));
  if (from_seq > feed) {
    return Status::FailedPrecondition("replica_ahead",
                                      "the replica is ahead of this hub's change feed");
  }
  p.from_seq = from_seq;
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<store::Row> changes,
      tx.Query("SELECT seq FROM record_changes WHERE seq > ? ORDER BY seq LIMIT ?",
               {from_seq, max_changes}));
  p.to_seq =
      changes.size() == static_cast<std::size_t>(max_changes) ? changes.back()[0].AsInt() : feed;
  if (p.to_seq == from_seq) return p;
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<store::Row> rows,
      tx.Query(SelectRecords() +
                   " WHERE ref IN (SELECT ref FROM record_changes WHERE seq > ? AND seq <= ?)"
                   " ORDER BY ref",
               {from_seq, p.to_seq}));
  for (const store::Row& row : rows) {
    const records::DatabaseSchema* schema = SchemaIn(scope, row[stored::kDatabase].AsText());
    if (schema == nullptr) continue;  // a database the replica does not hold
    NCBNET_RETURN_IF_ERROR(Checked(scope, row));
    if (auto e = EntryOf(*schema, row, scope, keyer, now_ms)) {
      p.upserts.push_back(std::move(*e));
    } else {
      p.removals.push_back(row[stored::kRef].AsInt());
    }
  }
  return p;
}

}  // namespace ncbnet::replica
