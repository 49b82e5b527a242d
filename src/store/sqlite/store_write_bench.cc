// Durable writes per second through SqliteStore::Write() with 1, 8 and 32 writer threads: one
// small insert per Write(), each returning only after its commit is on disk (WAL,
// synchronous=FULL). With one thread every write pays its own fsync; with more, concurrent
// writes share commits (group commit). Real SQLite file, in-process; docs/BENCHMARKS.md records
// results and the command.
#include <cstdint>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "core/check.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet {
namespace {

struct Fixture {
  Fixture() {
    auto s = store::OpenSqliteStore(dir.File("bench.db"));
    NCBNET_CHECK(s.ok(), "open store");
    db = std::move(s).value();
    NCBNET_CHECK(db->Write([](store::Transaction& tx) {
                     return tx
                         .Exec(
                             "CREATE TABLE bench (id INTEGER PRIMARY KEY, hub TEXT NOT NULL,"
                             " body BLOB NOT NULL)")
                         .status();
                   }).ok(),
                 "create table");
    before = db->Stats();
  }
  testutil::TempDir dir;
  std::unique_ptr<store::Store> db;
  store::StoreStats before;
};

// Shared by the threads of one run: thread 0 creates it before the timed loop and destroys it
// after; Google Benchmark holds every thread at a barrier on entering and leaving the loop.
std::unique_ptr<Fixture> shared;

void BM_DurableWrite(benchmark::State& state) {
  if (state.thread_index() == 0) shared = std::make_unique<Fixture>();
  const std::string hub = "t" + std::to_string(state.thread_index());
  const store::Blob body{std::string(200, 'x')};
  for (auto _ : state) {
    Status s = shared->db->Write([&](store::Transaction& tx) {
      return tx.Exec("INSERT INTO bench (hub, body) VALUES (?, ?)", {hub, body}).status();
    });
    NCBNET_CHECK(s.ok(), "write");
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    const store::StoreStats after = shared->db->Stats();
    const auto commits = static_cast<double>(after.commits - shared->before.commits);
    const auto grouped = static_cast<double>(after.grouped_writes - shared->before.grouped_writes);
    state.counters["commits"] = commits;
    state.counters["grouped"] = grouped;
    shared.reset();
  }
}
BENCHMARK(BM_DurableWrite)->Threads(1)->Threads(8)->Threads(32)->UseRealTime();

}  // namespace
}  // namespace ncbnet

BENCHMARK_MAIN();
