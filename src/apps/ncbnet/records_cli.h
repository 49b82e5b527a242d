// What the `ncbnet records` and `ncbnet check` subcommands share: the checks that keep a
// database code or record id from becoming more than one part of a request path, the import
// subcommand (records_import.cc), and the hub's schema of a database.
#pragma once

#include <map>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "apps/ncbnet/client_flags.h"
#include "apps/ncbnet/output.h"  // ValueText
#include "core/status.h"

namespace ncbnet::apps {

// A database code: 1-32 of [A-Za-z0-9_-]. Error: kInvalidArgument "invalid_database".
Status CheckDatabaseCode(const std::string& db);

// A record id: 1-64 of [a-z0-9_]. Error: kInvalidArgument "invalid_id".
Status CheckRecordId(const std::string& id);

// GET /v1/databases/{db}: the schema as the hub describes it.
Result<nlohmann::json> FetchSchema(HubClient& hub, const std::string& db);

// The circumstances of a check (--location, --port, --flight, --reason, --reference) that the
// hub records with its hits and tells the owner.
struct CheckContextFlags {
  std::map<std::string, std::string> values;  // by key; empty when not given

  void Add(CLI::App* cmd);
  nlohmann::json Json() const;  // {key: value} of those given; empty if none
};

// `check mrz`, added to the `check` subcommand.
void AddMrzCheck(CLI::App* check, int& exit_code);  // check_mrz_command.cc

// `records import`, added to the `records` subcommand.
void RegisterRecordsImport(CLI::App& records, int& exit_code);  // records_import.cc

}  // namespace ncbnet::apps
