// The subcommands of the `ncbnet` binary, one file each. Each Register* adds its subcommand
// to `app`; when it runs, it stores its exit status in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

namespace ncbnet::apps {

void RegisterInit(CLI::App& app, int& exit_code);     // init.cc
void RegisterServe(CLI::App& app, int& exit_code);    // serve.cc
void RegisterDemo(CLI::App& app, int& exit_code);     // demo.cc
void RegisterCert(CLI::App& app, int& exit_code);     // cert.cc
void RegisterAudit(CLI::App& app, int& exit_code);    // audit_command.cc
void RegisterKey(CLI::App& app, int& exit_code);      // key_command.cc
void RegisterMsg(CLI::App& app, int& exit_code);      // msg_command.cc
void RegisterGroup(CLI::App& app, int& exit_code);    // group_command.cc
void RegisterHits(CLI::App& app, int& exit_code);     // hits_command.cc
void RegisterRecords(CLI::App& app, int& exit_code);  // records_command.cc, records_import.cc
void RegisterCheck(CLI::App& app, int& exit_code);    // check_command.cc
void RegisterMrz(CLI::App& app, int& exit_code);      // mrz_command.cc
// Delegation (issue 5, item 1).
void RegisterAgency(CLI::App& app, int& exit_code);  // agency_command.cc, agency_members_command.cc
void RegisterReplica(CLI::App& app, int& exit_code);  // replica_command.cc, replica_check.cc
// Notices and diffusions (issue 6).
void RegisterNotice(CLI::App& app, int& exit_code);  // notice_command.cc
// Mutual legal assistance and extradition requests (issue 6, item 5).
void RegisterMla(CLI::App& app, int& exit_code);  // mla_command.cc
// The route table and its rules (issue 14): routes_command.cc.
void RegisterRoutes(CLI::App& app, int& exit_code);
// Moving a network to PostgreSQL: store_command.cc.
void RegisterStore(CLI::App& app, int& exit_code);
// `msg search` and `msg purge`, added to the `msg` subcommand by RegisterMsg().
void RegisterMsgSearch(CLI::App& msg, int& exit_code);  // msg_search_command.cc
// `msg watch`, added to the `msg` subcommand by RegisterMsg().
void RegisterMsgWatch(CLI::App& msg, int& exit_code);  // msg_watch_command.cc

}  // namespace ncbnet::apps
