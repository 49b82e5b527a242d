// ncbnet store copy: moves a network from its data directory's SQLite file to a PostgreSQL
// database (docs/deployment.md). Run with the hub stopped. Every row is copied in one
// transaction of the target; then the data directory's ncbnet.toml names the new store, and
// ncbnet.db stays where it was, untouched, as a backup. Exit status 0 copied, 1 error.
#include <iostream>

#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/output.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/store_copy.h"

namespace ncbnet::apps {
namespace {

struct CopyFlags {
  std::string from;
  std::string to;
  bool json = false;
};

Result<store::CopyReport> Copy(const CopyFlags& flags) {
  const DataDir dir(flags.from);
  if (!dir.Initialised()) {
    return Status::FailedPrecondition("not_initialised", flags.from + " holds no network");
  }
  NCBNET_ASSIGN_OR_RETURN(const std::string location, dir.StoreLocation());
  if (store::IsPostgresUri(location)) {
    return Status::FailedPrecondition("already_moved",
                                      flags.from + " already keeps its store in PostgreSQL");
  }
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> from, dir.OpenStore());
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> to, store::OpenPostgresStore(flags.to));
  NCBNET_ASSIGN_OR_RETURN(store::CopyReport report, store::CopySqliteStore(*from, *to));
  NCBNET_RETURN_IF_ERROR(dir.SetStore(flags.to));
  return report;
}

}  // namespace

void RegisterStore(CLI::App& app, int& exit_code) {
  auto* store_cmd = app.add_subcommand("store", "The network's store");
  store_cmd->require_subcommand(1);
  auto flags = std::make_shared<CopyFlags>();
  auto* copy = store_cmd->add_subcommand(
      "copy", "Move a network's store from its SQLite file to PostgreSQL (hub stopped)");
  copy->add_option("--from", flags->from, "Data directory of the network")->required();
  copy->add_option("--to", flags->to, "postgresql:// URI of an empty database")->required();
  copy->add_flag("--json", flags->json, "Print the result as JSON");
  copy->callback([flags, &exit_code] {
    const Result<store::CopyReport> report = Copy(*flags);
    if (!report.ok()) {
      exit_code = Fail(report.status());
      return;
    }
    if (flags->json) {
      PrintJson({{"tables", report->rows}, {"rows", report->total}});
    } else {
      std::cout << "copied " << report->total << " rows of " << report->rows.size() << " tables; "
                << flags->from << " now uses the PostgreSQL store (ncbnet.db is kept as it was)\n";
    }
    exit_code = 0;
  });
}

}  // namespace ncbnet::apps
