// The contents of records::RecordIndexes, shared by its check path (record_indexes.cc) and its
// snapshot files (record_indexes_file.cc).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "index/identifier_index.h"
#include "index/name_index.h"
#include "records/catalogue.h"
#include "records/record_indexes.h"
#include "store/store.h"

namespace ncbnet::records {

// What a check needs to know of a record, in memory, to decide visibility without the store.
// Written to snapshots as it lies in memory: 16 bytes, no padding.
struct RefMeta {
  static constexpr std::uint8_t kKnown = 1, kActive = 2, kFrontline = 4;
  std::int64_t review_ms = 0;
  std::uint32_t countries = 0;  // index into State::country_lists
  char owner[3] = {0, 0, 0};
  std::uint8_t flags = 0;  // kKnown | kActive | kFrontline | visibility << 4
  Visibility visibility() const { return static_cast<Visibility>(flags >> 4); }
};
static_assert(sizeof(RefMeta) == 16);

struct RecordIndexes::State {
  index::IdentifierIndex ids;
  std::vector<RefMeta> meta;  // by ref
  // Country lists of restrictions, interned: "FRA,DEU" -> index; index 0 is the empty list.
  std::vector<std::vector<std::string>> country_lists{{}};
  std::map<std::string, std::uint32_t> interned{{"", 0}};
  std::unordered_map<std::int64_t, std::pair<std::int64_t, std::int64_t>> ranges;  // series
  // The name index of each database with name fields (NOMINAL), by code. Not in snapshots:
  // rebuilt from the store when one is loaded.
  std::map<std::string, index::NameIndex, std::less<>> names;
  std::int64_t feed = 0;
  std::int64_t records = 0;
  std::int64_t tampered = 0;  // versions read that failed their MAC (still indexed: see Apply)

  std::uint32_t Intern(const std::string& countries);
  bool Visible(std::int64_t ref, const Viewer& v, std::int64_t now_ms) const;
  // Whether the record would match anyone: known, active, not past its review date.
  bool Matchable(std::int64_t ref, std::int64_t now_ms) const;
  // The owner's country (ISO alpha-3) of a known ref.
  std::string OwnerOf(std::int64_t ref) const {
    return std::string(meta[static_cast<std::size_t>(ref)].owner, 3);
  }
  // Sets the keys and meta of the record in `row` (the columns of record_indexes.cc).
  Status Apply(const Catalogue& catalogue, const store::Row& row);
  // The name-index part of Apply, alone (used when a snapshot is loaded).
  void ApplyNames(const DatabaseSchema& schema, std::int64_t ref, bool active,
                  const nlohmann::json& fields);
};

}  // namespace ncbnet::records
