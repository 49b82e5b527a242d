// The demo banner's lines for the offline replica (issue 5, item 4): the demo's CDG
// passport-control terminal gets a client certificate and syncs a replica, then checks with
// no network. Called by demo.cc's PrintWelcome once the hub listens.
#include <iostream>

#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/replica_cli.h"

namespace ncbnet::apps {

void PrintReplicaDemo(const std::string& self, const std::string& url,
                      const std::string& data_dir) {
  // A second connection to the running hub's store, for one read: SQLite (WAL) allows it.
  auto store = DataDir(data_dir).OpenStore();
  if (!store.ok()) return;
  std::string id;
  (void)(*store)->Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("SELECT id FROM agencies WHERE kind = 'terminal' AND name = ?",
                    {std::string("CDG Terminal 2E passport control")}));
    if (row) id = (*row)[0].AsText();
    return Status::Ok();
  });
  if (id.empty()) return;
  const std::string cert = data_dir + "/cdg-gate";
  const std::string replica = data_dir + "/cdg-replica";
  std::cout << "  Offline replica of the CDG passport-control terminal (" << id
            << "): give it a certificate, sync, then check\n"
            << "  with no network (docs/replica-format.md):\n"
            << "    " << self << " cert issue --agency " << id << " --out " << cert
            << " --data-dir " << data_dir << "\n"
            << "    " << self << " replica sync --url " << url << " --ca " << data_dir
            << "/ca.crt --cert " << cert << ".crt --cert-key " << cert << ".key --dir " << replica
            << "\n"
            << "    " << self << " replica check document --number 21FV83104 --country FRA --dir "
            << replica << "\n";
}

}  // namespace ncbnet::apps
