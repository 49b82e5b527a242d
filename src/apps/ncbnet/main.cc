// ncbnet: the hub (`serve`) and the operator's and integrator's tools, in one binary.
#include <iostream>

#include <CLI/CLI.hpp>

#include "apps/ncbnet/commands.h"

int main(int argc, char** argv) {
  CLI::App app("ncbnet: secure police-cooperation network hub", "ncbnet");
  app.require_subcommand(1);
  int exit_code = 0;
  ncbnet::apps::RegisterInit(app, exit_code);
  ncbnet::apps::RegisterServe(app, exit_code);
  ncbnet::apps::RegisterDemo(app, exit_code);
  ncbnet::apps::RegisterCert(app, exit_code);
  ncbnet::apps::RegisterAudit(app, exit_code);
  ncbnet::apps::RegisterKey(app, exit_code);
  ncbnet::apps::RegisterMsg(app, exit_code);
  ncbnet::apps::RegisterGroup(app, exit_code);
  ncbnet::apps::RegisterHits(app, exit_code);
  ncbnet::apps::RegisterNotice(app, exit_code);
  ncbnet::apps::RegisterRecords(app, exit_code);
  ncbnet::apps::RegisterCheck(app, exit_code);
  ncbnet::apps::RegisterMrz(app, exit_code);
  // Delegation (issue 5, item 1).
  ncbnet::apps::RegisterAgency(app, exit_code);
  ncbnet::apps::RegisterReplica(app, exit_code);
  ncbnet::apps::RegisterMla(app, exit_code);
  ncbnet::apps::RegisterRoutes(app, exit_code);
  ncbnet::apps::RegisterStore(app, exit_code);
  // CLI11 reports usage errors by exception; they stop here.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
