// The cost of what every authenticated request pays on the hub: resolving a bearer token to a
// principal with its live capabilities, and appending the request's audit entry (a durable
// SQLite commit with synchronous=FULL, the hash link and the signed head). Real SQLite file,
// in-process; docs/BENCHMARKS.md records results and the command.
#include <benchmark/benchmark.h>

#include "access/network.h"
#include "access/sessions.h"
#include "access/users.h"
#include "audit/audit_log.h"
#include "core/check.h"
#include "crypto/sign.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet {
namespace {

struct Fixture {
  Fixture() {
    auto s = store::OpenSqliteStore(dir.File("bench.db"));
    NCBNET_CHECK(s.ok(), "open store");
    db = std::move(s).value();
    access::NetworkSpec spec{{{"FRA", "France"}, {"DEU", "Germany"}}, "gs.admin", "$argon2id$x"};
    NCBNET_CHECK(
        db->Write([&](store::Transaction& tx) -> Status {
            NCBNET_RETURN_IF_ERROR(access::CreateNetwork(tx, spec, 0));
            NCBNET_RETURN_IF_ERROR(audit::Anchor(tx, key));
            NCBNET_ASSIGN_OR_RETURN(access::User u, access::InsertUser(tx, "ncb-fra", "fra.admin",
                                                                       "Admin", "$argon2id$x", 0));
            NCBNET_ASSIGN_OR_RETURN(access::NewSession session,
                                    access::OpenSession(tx, u.id, "ncb-fra", 0, 1LL << 50));
            token = session.token;
            return Status::Ok();
          }).ok(),
        "seed");
  }
  testutil::TempDir dir;
  std::unique_ptr<store::Store> db;
  crypto::SigningKey key = crypto::SigningKey::Generate();
  std::string token;
};

void BM_ResolveSession(benchmark::State& state) {
  Fixture f;
  for (auto _ : state) {
    Status s = f.db->Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(access::Principal p,
                              access::ResolveSession(tx, f.token, 1, 3600'000));
      benchmark::DoNotOptimize(p);
      return Status::Ok();
    });
    NCBNET_CHECK(s.ok(), "resolve");
  }
}
BENCHMARK(BM_ResolveSession);

void BM_AuditAppendDurable(benchmark::State& state) {
  Fixture f;
  audit::AuditEntry e;
  e.request_id = "req_bench";
  e.user_id = "usr_bench";
  e.agency_id = "ncb-fra";
  e.source = "127.0.0.1";
  e.action = "GET /v1/me";
  e.outcome = "ok";
  for (auto _ : state) {
    Status s =
        f.db->Write([&](store::Transaction& tx) { return audit::Append(tx, f.key, e).status(); });
    NCBNET_CHECK(s.ok(), "append");
  }
}
BENCHMARK(BM_AuditAppendDurable)->UseRealTime();

}  // namespace
}  // namespace ncbnet

BENCHMARK_MAIN();
