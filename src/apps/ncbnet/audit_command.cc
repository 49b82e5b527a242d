// ncbnet audit verify: walks the audit chain and names the first entry that was edited,
// removed or reordered (docs/audit-log-format.md). Exit status 0 intact, 1 broken, 2 error.
#include <iostream>

#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/output.h"
#include "audit/audit_log.h"

namespace ncbnet::apps {
namespace {

int Verify(const std::string& data_dir, bool json) {
  const DataDir dir(data_dir);
  auto store = dir.OpenStore();
  if (!store.ok()) return Fail(store.status()) + 1;
  auto key = dir.LoadSigningKey();
  if (!key.ok()) return Fail(key.status()) + 1;
  auto report = audit::Verify(**store, key->public_key());
  if (!report.ok()) return Fail(report.status()) + 1;
  if (json) {
    PrintJson({{"intact", report->intact},
               {"entries", report->entries},
               {"first_bad_seq", report->first_bad_seq},
               {"problem", report->problem},
               {"detail", report->detail}});
  } else if (report->intact) {
    std::cout << "audit chain intact: " << report->entries << " entries\n";
  } else {
    std::cout << "audit chain broken at entry " << report->first_bad_seq << ": " << report->problem
              << " (" << report->detail << ")\n";
  }
  return report->intact ? 0 : 1;
}

}  // namespace

void RegisterAudit(CLI::App& app, int& exit_code) {
  auto* audit_cmd = app.add_subcommand("audit", "The audit trail");
  audit_cmd->require_subcommand(1);
  auto data_dir = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* verify = audit_cmd->add_subcommand("verify", "Check the audit chain for tampering");
  verify->add_option("--data-dir", *data_dir)->required();
  verify->add_flag("--json", *json);
  verify->callback([data_dir, json, &exit_code] { exit_code = Verify(*data_dir, *json); });
}

}  // namespace ncbnet::apps
