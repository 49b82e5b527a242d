// The offline replica (issue 5, item 4), at 1M records by default (NCBNET_BENCH_RECORDS=N for
// another size): a real SQLite store of synthetic SLTD records (9-character document numbers,
// 40 issuing countries, 20 owner actions; 5% shown only to some countries, 3% withheld from
// frontline terminals), as the hub holds them.
//   BM_Snapshot            the hub builds and signs a French terminal's snapshot
//   BM_DayDelta            the hub builds and signs the delta of a day's changes
//   BM_ApplyDayDelta       the terminal verifies it, applies it and saves the replica (fsync)
//   BM_ReplicaCheck*       checks answered from the local replica, in process
// A day's changes: 0.5% of the records, as 50% new records, 30% updates, 20% cancellations
// (each one change-feed row). Counters give the package sizes. docs/BENCHMARKS.md records
// results and the command.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "access/agencies.h"
#include "access/network.h"
#include "core/check.h"
#include "records/catalogue.h"
#include "records/record_fields.h"
#include "records/records.h"
#include "replica/builder.h"
#include "replica/local_replica.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/testutil/splitmix.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet::replica {
namespace {

constexpr std::int64_t kNow = 1'800'000'000'000;   // 2027-01-15
constexpr std::int64_t kDay = 24LL * 3600 * 1000;  // the delta comes a day after the snapshot
constexpr std::int64_t kYear = 365 * kDay;
const char* const kCountries[] = {"FRA", "DEU", "ITA", "ESP", "GBR", "USA", "CAN", "BRA",
                                  "ARG", "MEX", "NGA", "ZAF", "EGY", "KEN", "MAR", "TUR",
                                  "RUS", "UKR", "POL", "NLD", "BEL", "CHE", "AUT", "SWE",
                                  "NOR", "FIN", "DNK", "IRL", "PRT", "GRC", "IND", "CHN",
                                  "JPN", "KOR", "IDN", "AUS", "NZL", "SGP", "THA", "VNM"};
constexpr int kNumCountries = 40;

std::int64_t Records() {
  const char* n = std::getenv("NCBNET_BENCH_RECORDS");
  return n != nullptr ? std::atoll(n) : 1'000'000;
}

std::string Number(testutil::SplitMix64& s) {
  static constexpr char kAlnum[] = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
  std::string out(9, '0');
  for (char& c : out) c = kAlnum[s.Next() % 33];
  return out;
}

struct World {
  ::ncbnet::testutil::TempDir dir;
  std::unique_ptr<store::Store> store;
  std::vector<std::string> numbers;  // by ref - 1
  std::vector<std::string> issuers;
  std::int64_t snapshot_seq = 0;
  std::string hash_key = std::string(32, 'k');
  crypto::SigningKey signer = crypto::SigningKey::Generate();
  ReplicaScope scope;
  records::IndexSecret record_secret =
      std::move(records::DeriveIndexSecret(std::string(32, 's'))).value();
  std::string snapshot_bytes, delta_bytes;
  std::size_t changes = 0;

  Pins pins() const { return {scope.network_id, scope.replica_id, signer.public_key()}; }
};

Status InsertRecord(store::Transaction& tx, std::int64_t ref, const std::string& number,
                    const std::string& issuer, testutil::SplitMix64& s) {
  const std::string owner = kCountries[s.Next() % kNumCountries];
  const std::uint64_t r = s.Next() % 100;
  const std::string visibility = r < 5 ? "only" : "all";
  const std::string countries = r < 5 ? "DEU,ITA" : "";
  const int frontline = r >= 5 && r < 8 ? 0 : 1;
  const nlohmann::json fields = {{"document_type", "passport"},
                                 {"issuing_country", issuer},
                                 {"number", number},
                                 {"status", s.Next() % 3 == 0 ? "lost" : "stolen"}};
  return tx
      .Exec(
          "INSERT INTO records (ref, id, database, owner_agency, owner_country,"
          " external_id, version, status, visibility, countries, frontline, action, fields,"
          " keys, created_ms, updated_ms, review_ms, reminded_ms, changed_by_agency,"
          " changed_by_user, cancel_reason) VALUES (?, ?, 'SLTD', ?, ?, NULL, 1, 'active',"
          " ?, ?, ?, ?, ?, X'', ?, ?, ?, NULL, ?, '', '')",
          {ref, "rec_" + std::to_string(1000000000 + ref), access::NcbIdFor(owner), owner,
           visibility, countries, frontline,
           "Seize the document; call NCB " + std::to_string(s.Next() % 20), fields.dump(),
           kNow - kYear, kNow - kYear, kNow + 5 * kYear, "ncb-fra"})
      .status();
}

Status AddChange(store::Transaction& tx, std::int64_t ref) {
  return tx.Exec("INSERT INTO record_changes (ref, old_keys) VALUES (?, X'')", {ref}).status();
}

// The store with `n` records, and a day's changes after a snapshot position.
World& WorldOf(std::int64_t n) {
  static std::unique_ptr<World> w;
  if (w) return *w;
  w = std::make_unique<World>();
  w->store = std::move(store::OpenSqliteStore(w->dir.File("bench.db"))).value();
  std::vector<Country> countries;
  for (const char* c : kCountries) countries.push_back({c, c});
  access::NetworkSpec spec{countries, "gs.admin", "$argon2id$x"};
  NCBNET_CHECK(
      w->store->Write([&](store::Transaction& tx) { return access::CreateNetwork(tx, spec, kNow); })
          .ok(),
      "network");
  testutil::SplitMix64 s{42};
  for (std::int64_t at = 1; at <= n; at += 100000) {
    NCBNET_CHECK(w->store
                     ->Write([&](store::Transaction& tx) -> Status {
                       for (std::int64_t ref = at; ref < std::min(n + 1, at + 100000); ++ref) {
                         w->numbers.push_back(Number(s));
                         w->issuers.push_back(kCountries[s.Next() % kNumCountries]);
                         NCBNET_RETURN_IF_ERROR(
                             InsertRecord(tx, ref, w->numbers.back(), w->issuers.back(), s));
                         NCBNET_RETURN_IF_ERROR(AddChange(tx, ref));
                       }
                       return Status::Ok();
                     })
                     .ok(),
                 "records");
  }
  w->snapshot_seq = n;
  // A day: 0.5% of the records change.
  const std::int64_t day = n / 200;
  NCBNET_CHECK(
      w->store
          ->Write([&](store::Transaction& tx) -> Status {
            for (std::int64_t i = 0; i < day; ++i) {
              const std::uint64_t kind = i % 10;  // 0-4 new, 5-7 updated, 8-9 cancelled
              if (kind < 5) {
                const std::int64_t ref = n + 1 + i;
                NCBNET_RETURN_IF_ERROR(InsertRecord(tx, ref, Number(s), "FRA", s));
                NCBNET_RETURN_IF_ERROR(AddChange(tx, ref));
                continue;
              }
              const auto ref = static_cast<std::int64_t>(1 + s.Next() % n);
              NCBNET_RETURN_IF_ERROR(
                  tx.Exec(kind < 8 ? "UPDATE records SET version = version + 1, action = 'Call'"
                                     " WHERE ref = ?"
                                   : "UPDATE records SET status = 'cancelled' WHERE ref = ?",
                          {ref})
                      .status());
              NCBNET_RETURN_IF_ERROR(AddChange(tx, ref));
            }
            w->changes = static_cast<std::size_t>(day);
            return Status::Ok();
          })
          .ok(),
      "day");
  // The rows above were written by SQL, as by a store older than record MACs: seal them.
  NCBNET_CHECK(w->store
                   ->Write([&](store::Transaction& tx) {
                     return records::SealUnsealedVersions(tx, w->record_secret).status();
                   })
                   .ok(),
               "seal");
  w->scope = {"net-0123456789abcdef",
              "rpl_0123456789abcdef01234567",
              {"bench-terminal", "FRA", access::AgencyKind::kTerminal},
              {*records::Catalogue::Builtin().Find("SLTD")},
              &w->record_secret};
  return *w;
}

Package Build(World& w, bool delta) {
  const index::IndexKeyer keyer(w.hash_key);
  Package p;
  NCBNET_CHECK(w.store
                   ->Read([&](store::Transaction& tx) -> Status {
                     NCBNET_ASSIGN_OR_RETURN(
                         p,
                         delta ? BuildDelta(tx, w.scope, keyer, w.snapshot_seq, kNow + kDay, 100000)
                               : BuildSnapshot(tx, w.scope, keyer, kNow));
                     return Status::Ok();
                   })
                   .ok(),
               "build");
  return p;
}

void BM_Snapshot(benchmark::State& state) {
  World& w = WorldOf(Records());
  std::size_t entries = 0;
  for (auto _ : state) {
    Package p = Build(w, false);
    p.to_seq = w.snapshot_seq;  // as it stood before the day
    entries = p.upserts.size();
    w.snapshot_bytes = EncodePackage(p, w.signer);
  }
  state.counters["records"] = static_cast<double>(Records());
  state.counters["entries"] = static_cast<double>(entries);
  state.counters["bytes"] = static_cast<double>(w.snapshot_bytes.size());
  state.counters["bytes_per_M_records"] =
      static_cast<double>(w.snapshot_bytes.size()) * 1e6 / static_cast<double>(Records());
}
BENCHMARK(BM_Snapshot)->Unit(benchmark::kMillisecond)->Iterations(2);

void BM_DayDelta(benchmark::State& state) {
  World& w = WorldOf(Records());
  Package p;
  for (auto _ : state) {
    p = Build(w, true);
    w.delta_bytes = EncodePackage(p, w.signer);
  }
  state.counters["changes"] = static_cast<double>(w.changes);
  state.counters["upserts"] = static_cast<double>(p.upserts.size());
  state.counters["removals"] = static_cast<double>(p.removals.size());
  state.counters["bytes"] = static_cast<double>(w.delta_bytes.size());
  state.counters["bytes_per_M_records"] =
      static_cast<double>(w.delta_bytes.size()) * 1e6 / static_cast<double>(Records());
}
BENCHMARK(BM_DayDelta)->Unit(benchmark::kMillisecond)->Iterations(5);

LocalReplica& Synced(World& w) {
  static std::unique_ptr<LocalReplica> r;
  if (!r) {
    if (w.snapshot_bytes.empty()) {
      Package p = Build(w, false);
      p.to_seq = w.snapshot_seq;
      w.snapshot_bytes = EncodePackage(p, w.signer);
    }
    r = std::make_unique<LocalReplica>(w.pins(), w.hash_key);
    NCBNET_CHECK(r->Apply(*DecodePackage(w.snapshot_bytes, w.pins())).ok(), "apply snapshot");
  }
  return *r;
}

void BM_ApplyDayDelta(benchmark::State& state) {
  World& w = WorldOf(Records());
  if (w.delta_bytes.empty()) w.delta_bytes = EncodePackage(Build(w, true), w.signer);
  const std::size_t entries = Synced(w).size();
  const Package snapshot = *DecodePackage(w.snapshot_bytes, w.pins());
  const std::string path = w.dir.File("replica.bin");
  for (auto _ : state) {
    state.PauseTiming();
    auto copy = std::make_unique<LocalReplica>(w.pins(), w.hash_key);
    NCBNET_CHECK(copy->Apply(snapshot).ok(), "apply snapshot");
    state.ResumeTiming();
    auto p = DecodePackage(w.delta_bytes, w.pins());
    NCBNET_CHECK(p.ok() && copy->Apply(*p).ok(), "apply delta");
    NCBNET_CHECK(copy->Save(path).ok(), "save");
  }
  state.counters["entries"] = static_cast<double>(entries);
}
BENCHMARK(BM_ApplyDayDelta)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_LoadReplica(benchmark::State& state) {
  World& w = WorldOf(Records());
  const std::string path = w.dir.File("replica-load.bin");
  NCBNET_CHECK(Synced(w).Save(path).ok(), "save");
  for (auto _ : state) {
    auto r = LocalReplica::Load(path, w.pins(), w.hash_key);
    NCBNET_CHECK(r.ok(), "load");
    benchmark::DoNotOptimize(r->size());
  }
}
BENCHMARK(BM_LoadReplica)->Unit(benchmark::kMillisecond)->Iterations(3);

// Checks of stored documents (`hit`) or of documents the replica does not hold (`miss`),
// normalised from the fields an officer types, as `replica check` does.
void ReplicaCheck(benchmark::State& state, bool hit) {
  World& w = WorldOf(Records());
  const LocalReplica& r = Synced(w);
  const records::DatabaseSchema& sltd = **records::Catalogue::Builtin().Find("SLTD");
  const records::IdentifierSpec& spec = sltd.identifiers.front();
  testutil::SplitMix64 s{7};
  std::vector<std::map<std::string, std::string>> queries;
  for (int i = 0; i < 4096; ++i) {
    const std::size_t k = s.Next() % w.numbers.size();
    const std::string number = hit ? w.numbers[k] : Number(s);
    queries.push_back({{"number", number.substr(0, 3) + " " + number.substr(3)},
                       {"issuing_country", hit ? w.issuers[k] : "FRA"}});
  }
  std::size_t i = 0, found = 0;
  for (auto _ : state) {
    auto id = records::NormaliseIdentifier(spec, queries[i++ & 4095]);
    found += r.Lookup("SLTD", *id, kNow).size();
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["found"] = static_cast<double>(found) / static_cast<double>(state.iterations());
}
void BM_ReplicaCheckHit(benchmark::State& state) { ReplicaCheck(state, true); }
void BM_ReplicaCheckMiss(benchmark::State& state) { ReplicaCheck(state, false); }
BENCHMARK(BM_ReplicaCheckHit);
BENCHMARK(BM_ReplicaCheckMiss);

}  // namespace
}  // namespace ncbnet::replica

BENCHMARK_MAIN();
