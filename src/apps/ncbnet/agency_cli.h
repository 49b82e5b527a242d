// What the `ncbnet agency ...` subcommands share (agency_command.cc, agency_members_command.cc):
// their flags, one call to the hub, and how a reply is printed. Every subcommand talks to a
// running hub over HTTPS with the client flags (client_flags.h), prints text for a terminal or,
// with --json, the hub's JSON as it came, and exits 1 with `ncbnet: <code>: <message>` on
// a refusal.
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "apps/ncbnet/client_flags.h"
#include "core/status.h"

namespace ncbnet::apps::agency_cli {

struct Flags {
  ClientFlags client;
  std::string id;      // the agency, user, grant or serial acted on
  std::string second;  // a capability (agency grant)
  std::string parent, kind, name, display_name, until, out;
  int days = 365;
  bool password_stdin = false;
  bool json = false;
};

// An id that goes into a request path: 1-128 of [A-Za-z0-9._:-] (the hub's router rule), so
// it can never become more than one path segment. Error: kInvalidArgument "invalid_id".
Status CheckPathId(const std::string& id, const char* what);

// A string member of a hub object, made safe for a terminal; "" if absent.
std::string Str(const nlohmann::json& j, const char* key);

// Prints a hub object: its JSON with --json, else line(body) and a newline.
using LineFn = std::function<std::string(const nlohmann::json&)>;
void PrintOne(const Flags& flags, const nlohmann::json& body, const LineFn& line);

// Prints a hub list: its JSON with --json, else line(item) for each object of body[key].
void PrintEach(const Flags& flags, const nlohmann::json& body, const char* key, const LineFn& line);

// Runs a subcommand: `run` does the work with a connected client; errors become exit code 1.
using Runner = std::function<Status(HubClient& hub, const Flags& flags)>;

// Adds subcommand `name` to `parent` with the client flags and --json; returns it so the caller
// can add its own options into `flags`.
CLI::App* AddCommand(CLI::App* parent, const std::string& name, const std::string& help,
                     const std::shared_ptr<Flags>& flags, Runner run, int& exit_code);

// `agency user add|list|disable` and `agency cert issue|list|revoke`.
void RegisterUserCommands(CLI::App* agency, int& exit_code);
void RegisterCertCommands(CLI::App* agency, int& exit_code);

}  // namespace ncbnet::apps::agency_cli
