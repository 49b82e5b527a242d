#include "records/record_indexes.h"

#include <algorithm>
#include <cstring>
#include <mutex>

#include <spdlog/spdlog.h>

#include "core/json.h"
#include "records/internal/record_indexes_state.h"
#include "records/record_fields.h"
#include "records/records.h"
#include "records/visibility.h"

namespace ncbnet::records {
namespace {

constexpr int kPage = 20000;

// The indexes read a record's whole stored version (records::StoredColumnsSql()), so that its
// MAC is checked too.

std::string IndexColumns() { return std::string(StoredColumnsSql()); }

std::vector<index::IndexKey> ParseKeys(const std::string& bytes) {
  std::vector<index::IndexKey> out;
  for (std::size_t i = 0; i + 16 <= bytes.size(); i += 16) {
    std::uint64_t w[2] = {0, 0};
    for (int j = 0; j < 2; ++j) {
      for (int b = 7; b >= 0; --b) {
        w[j] = (w[j] << 8) | static_cast<unsigned char>(bytes[i + 8 * j + b]);
      }
    }
    out.push_back({w[0], w[1]});
  }
  return out;
}

// Whether indexing a record of `schema` needs its fields: series ranges and person names.
bool NeedsFields(const DatabaseSchema& schema) {
  return !schema.name_fields.empty() ||
         std::any_of(schema.identifiers.begin(), schema.identifiers.end(),
                     [](const IdentifierSpec& i) { return i.kind == IdentifierKind::kSeries; });
}

std::string TextField(const nlohmann::json& fields, const std::string& name) {
  auto it = name.empty() ? fields.end() : fields.find(name);
  return it != fields.end() && it->is_string() ? it->get<std::string>() : "";
}

index::NamePerson PersonOf(const DatabaseSchema& schema, std::int64_t ref,
                           const nlohmann::json& fields) {
  index::NamePerson p;
  p.ref = static_cast<std::uint64_t>(ref);
  p.names = ExtractNames(schema, fields);
  if (p.names.size() > index::NameIndex::kMaxNames) p.names.resize(index::NameIndex::kMaxNames);
  p.date_of_birth = TextField(fields, schema.dob_field);
  const std::string sex = TextField(fields, schema.sex_field);
  p.sex = sex.size() == 1 ? sex[0] : 'U';
  auto nat =
      schema.nationality_field.empty() ? fields.end() : fields.find(schema.nationality_field);
  if (nat != fields.end() && nat->is_array()) {
    for (const auto& c : *nat) {
      if (c.is_string() && p.nationalities.size() < index::NameIndex::kMaxNationalities) {
        p.nationalities.push_back(c.get<std::string>());
      }
    }
  }
  return p;
}

// A stored status or visibility the code does not know is indexed as active and visible to
// all: a check then meets the record and fails closed when it reads the row, which records.cc
// decodes strictly (kDataLoss "record_undecodable"). Never a silent miss, never a wider view.
bool IndexedAsActive(std::string_view stored_status) {
  const Result<RecordStatus> status = RecordStatusFromName(stored_status);
  return !status.ok() || *status == RecordStatus::kActive;
}

Visibility IndexedVisibility(std::string_view stored_visibility) {
  const Result<Visibility> v = VisibilityFromName(stored_visibility);
  return v.ok() ? *v : Visibility::kAll;
}

}  // namespace

std::uint32_t RecordIndexes::State::Intern(const std::string& countries) {
  auto [it, added] = interned.emplace(countries, static_cast<std::uint32_t>(country_lists.size()));
  if (added) {
    std::vector<std::string> list;
    for (std::size_t i = 0; i + 3 <= countries.size(); i += 4)
      list.push_back(countries.substr(i, 3));
    country_lists.push_back(std::move(list));
  }
  return it->second;
}

bool RecordIndexes::State::Matchable(std::int64_t ref, std::int64_t now_ms) const {
  if (ref < 0 || static_cast<std::size_t>(ref) >= meta.size()) return false;
  const RefMeta& m = meta[static_cast<std::size_t>(ref)];
  return (m.flags & RefMeta::kActive) != 0 && m.review_ms > now_ms;
}

bool RecordIndexes::State::Visible(std::int64_t ref, const Viewer& v, std::int64_t now_ms) const {
  if (!Matchable(ref, now_ms)) return false;
  const RefMeta& m = meta[static_cast<std::size_t>(ref)];
  if (v.country.size() == 3 && std::memcmp(v.country.data(), m.owner, 3) == 0) return true;
  if (v.kind == access::AgencyKind::kTerminal && (m.flags & RefMeta::kFrontline) == 0) return false;
  if (m.visibility() == Visibility::kAll) return true;
  const auto& list = country_lists[m.countries];
  const bool listed = !v.country.empty() && std::binary_search(list.begin(), list.end(), v.country);
  return m.visibility() == Visibility::kOnly ? listed : !listed;
}

Status RecordIndexes::State::Apply(const Catalogue& catalogue, const store::Row& row) {
  const std::int64_t ref = row[stored::kRef].AsInt();
  if (ref <= 0 || static_cast<std::uint64_t>(ref) > index::IdentifierIndex::kMaxRef) {
    return Status::DataLoss("index_corrupt", "record ref out of range");
  }
  const auto pos = static_cast<std::size_t>(ref);
  if (pos >= meta.size()) meta.resize(std::max(pos + 1, meta.size() + meta.size() / 2));
  RefMeta& m = meta[pos];
  if ((m.flags & RefMeta::kKnown) == 0) ++records;
  const std::string& owner = row[stored::kOwnerCountry].AsText();
  std::memcpy(m.owner, owner.data(), std::min<std::size_t>(3, owner.size()));
  m.flags = RefMeta::kKnown;
  if (IndexedAsActive(row[stored::kStatus].AsText())) m.flags |= RefMeta::kActive;
  if (row[stored::kFrontline].AsInt() != 0) m.flags |= RefMeta::kFrontline;
  m.flags |= static_cast<std::uint8_t>(
      static_cast<std::uint8_t>(IndexedVisibility(row[stored::kVisibility].AsText())) << 4);
  m.countries = Intern(row[stored::kCountries].AsText());
  m.review_ms = row[stored::kReviewMs].AsInt();
  for (const index::IndexKey& k : ParseKeys(row[stored::kKeys].AsText())) {
    NCBNET_RETURN_IF_ERROR(ids.Insert(k, static_cast<std::uint64_t>(ref)));
  }
  auto schema = catalogue.Find(row[stored::kDatabase].AsText());
  if (!schema.ok() || !NeedsFields(**schema)) return Status::Ok();
  const auto fields = ParseJson(row[stored::kFields].AsText());
  if (!fields.is_object()) return Status::Ok();
  for (const IdentifierSpec& spec : (*schema)->identifiers) {
    if (spec.kind != IdentifierKind::kSeries) continue;
    if (fields.contains(spec.range_from) && fields.contains(spec.range_to)) {
      ranges[ref] = {fields[spec.range_from].get<std::int64_t>(),
                     fields[spec.range_to].get<std::int64_t>()};
    }
  }
  ApplyNames(**schema, ref, (m.flags & RefMeta::kActive) != 0, fields);
  return Status::Ok();
}

void RecordIndexes::State::ApplyNames(const DatabaseSchema& schema, std::int64_t ref, bool active,
                                      const nlohmann::json& fields) {
  if (schema.name_fields.empty()) return;
  index::NameIndex& idx = names[schema.code];
  idx.Remove(static_cast<std::uint64_t>(ref));
  if (!active) return;  // a cancelled record leaves the name index as it leaves the other
  index::NamePerson person = PersonOf(schema, ref, fields);
  if (person.names.empty()) return;
  if (Status s = idx.Add(person); !s.ok()) {
    // Names are checked when records are written; one that still fails is left out, loudly.
    spdlog::error("record ref {} not in the name index: {}", ref, s.ToString());
  }
}

RecordIndexes::RecordIndexes(const Catalogue& catalogue, IndexSecret secret)
    : catalogue_(catalogue),
      secret_(std::move(secret)),
      keyer_(secret_.bytes),
      state_(std::make_unique<State>()) {}

RecordIndexes::~RecordIndexes() = default;

Status RecordIndexes::Build(store::Store& store) {
  auto fresh = std::make_unique<State>();
  NCBNET_RETURN_IF_ERROR(store.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> feed,
                            tx.QueryOne("SELECT COALESCE(MAX(seq), 0) FROM record_changes"));
    fresh->feed = (*feed)[0].AsInt();
    return Status::Ok();
  }));
  // Pages in separate snapshots: changes after `feed` are replayed by CatchUp, which makes the
  // result exact whatever the pages saw.
  for (std::int64_t after = 0;;) {
    std::vector<store::Row> rows;
    NCBNET_RETURN_IF_ERROR(store.Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(rows, tx.Query("SELECT " + IndexColumns() +
                                                 " FROM records WHERE ref > ? ORDER BY ref LIMIT ?",
                                             {after, kPage}));
      return Status::Ok();
    }));
    for (const store::Row& row : rows) {
      NoteTampered(*fresh, row);
      NCBNET_RETURN_IF_ERROR(fresh->Apply(catalogue_, row));
    }
    if (rows.size() < static_cast<std::size_t>(kPage)) break;
    after = rows.back()[0].AsInt();
  }
  {
    std::unique_lock lock(mu_);
    state_ = std::move(fresh);
  }
  return CatchUp(store);
}

Status RecordIndexes::LoadNames(store::Store& store) {
  std::unique_lock lock(mu_);
  state_->names.clear();
  for (const DatabaseSchema& schema : catalogue_.databases()) {
    if (schema.name_fields.empty()) continue;
    for (std::int64_t after = 0;;) {
      std::vector<store::Row> rows;
      NCBNET_RETURN_IF_ERROR(store.Read([&](store::Transaction& tx) -> Status {
        NCBNET_ASSIGN_OR_RETURN(
            rows, tx.Query("SELECT ref, status, fields FROM records WHERE database = ? AND ref > ?"
                           " ORDER BY ref LIMIT ?",
                           {schema.code, after, kPage}));
        return Status::Ok();
      }));
      for (const store::Row& row : rows) {
        const auto fields = ParseJson(row[2].AsText());
        if (fields.is_object()) {
          state_->ApplyNames(schema, row[0].AsInt(), IndexedAsActive(row[1].AsText()), fields);
        }
      }
      if (rows.size() < static_cast<std::size_t>(kPage)) break;
      after = rows.back()[0].AsInt();
    }
  }
  return Status::Ok();
}

Status RecordIndexes::CatchUp(store::Store& store) {
  std::unique_lock lock(mu_);
  for (;;) {
    std::vector<store::Row> changes, rows;
    NCBNET_RETURN_IF_ERROR(store.Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(changes,
                              tx.Query("SELECT seq, ref, old_keys FROM record_changes WHERE seq > ?"
                                       " ORDER BY seq LIMIT ?",
                                       {state_->feed, kPage}));
      if (changes.empty()) return Status::Ok();
      NCBNET_ASSIGN_OR_RETURN(
          rows, tx.Query("SELECT " + IndexColumns() +
                             " FROM records WHERE ref IN (SELECT ref FROM record_changes"
                             " WHERE seq > ? AND seq <= ?)",
                         {state_->feed, changes.back()[0].AsInt()}));
      return Status::Ok();
    }));
    if (changes.empty()) return Status::Ok();
    for (const store::Row& c : changes) {
      for (const index::IndexKey& k : ParseKeys(c[2].AsText())) {
        state_->ids.Erase(k, static_cast<std::uint64_t>(c[1].AsInt()));
      }
    }
    // The rows are the changed records as they are now: their keys and meta go in last.
    for (const store::Row& row : rows) {
      NoteTampered(*state_, row);
      NCBNET_RETURN_IF_ERROR(state_->Apply(catalogue_, row));
    }
    state_->feed = changes.back()[0].AsInt();
  }
}

std::vector<std::int64_t> RecordIndexes::Match(const IdentifierQuery& q, const Viewer& viewer,
                                               std::int64_t now_ms) const {
  return MatchBatch(std::span<const IdentifierQuery>(&q, 1), viewer, now_ms).front();
}

std::vector<std::vector<std::int64_t>> RecordIndexes::MatchBatch(
    std::span<const IdentifierQuery> queries, const Viewer& viewer, std::int64_t now_ms,
    std::vector<HiddenMatch>* hidden) const {
  std::vector<index::IndexKey> keys;
  keys.reserve(queries.size());
  for (const IdentifierQuery& q : queries) keys.push_back(keyer_.For(q.database, q.identifier));
  std::vector<std::vector<std::int64_t>> out(queries.size());
  std::vector<std::span<const std::uint64_t>> found(keys.size());
  std::shared_lock lock(mu_);
  const State& s = *state_;
  s.ids.LookupBatch(keys, found);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    for (std::uint64_t ref : found[i]) {
      const auto r = static_cast<std::int64_t>(ref);
      if (!s.Matchable(r, now_ms)) continue;
      if (queries[i].number) {
        auto range = s.ranges.find(r);
        if (range == s.ranges.end() || *queries[i].number < range->second.first ||
            *queries[i].number > range->second.second) {
          continue;
        }
      }
      if (s.Visible(r, viewer, now_ms)) {
        out[i].push_back(r);
      } else if (hidden != nullptr) {
        hidden->push_back({i, r, s.OwnerOf(r)});
      }
    }
    std::sort(out[i].begin(), out[i].end());
  }
  return out;
}

Result<std::vector<index::NameHit>> RecordIndexes::SearchNames(
    const DatabaseSchema& schema, const index::NameQuery& query, const Viewer& viewer,
    std::int64_t now_ms, std::vector<HiddenMatch>* hidden) const {
  if (schema.name_fields.empty()) {
    return Status::InvalidArgument("no_name_search", schema.code + " holds no person names");
  }
  std::shared_lock lock(mu_);
  const State& s = *state_;
  const auto idx = s.names.find(schema.code);
  if (idx == s.names.end())
    return index::NameIndex().Search(query, [](std::uint64_t) { return false; });
  NCBNET_ASSIGN_OR_RETURN(std::vector<index::NameHit> found,
                          idx->second.Search(query, [&](std::uint64_t ref) {
                            return s.Visible(static_cast<std::int64_t>(ref), viewer, now_ms);
                          }));
  if (hidden == nullptr) return found;
  // The records the same search finds when restrictions are set aside, less those shown: the
  // matches the viewer is answered "absent" for. Always run, so that the time taken does not
  // tell whether there were any.
  NCBNET_ASSIGN_OR_RETURN(std::vector<index::NameHit> all,
                          idx->second.Search(query, [&](std::uint64_t ref) {
                            return s.Matchable(static_cast<std::int64_t>(ref), now_ms);
                          }));
  for (const index::NameHit& h : all) {
    const auto r = static_cast<std::int64_t>(h.ref);
    if (!s.Visible(r, viewer, now_ms)) hidden->push_back({0, r, s.OwnerOf(r)});
  }
  return found;
}

std::int64_t RecordIndexes::records() const {
  std::shared_lock lock(mu_);
  return state_->records;
}

void RecordIndexes::NoteTampered(State& state, const store::Row& row) const {
  if (Status s = CheckStoredVersion(row, secret_); !s.ok()) {
    ++state.tampered;
    spdlog::error("record ref {}: {}; indexed as stored, checks that meet it fail closed",
                  row.empty() ? 0 : row[stored::kRef].AsInt(), s.message());
  }
}

std::int64_t RecordIndexes::tampered_versions() const {
  std::shared_lock lock(mu_);
  return state_->tampered;
}

std::int64_t RecordIndexes::feed_position() const {
  std::shared_lock lock(mu_);
  return state_->feed;
}

}  // namespace ncbnet::records
