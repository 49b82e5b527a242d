// What the `ncbnet audit ...` subcommands share (audit_command.cc, audit_witness.cc): reading
// hub and witness keys given as hex, and the witness subcommand's registration.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/status.h"

namespace ncbnet::apps::audit_cli {

// The 32-byte keys of `hex_keys` (64 hex characters each). Error: kInvalidArgument
// "invalid_key" naming the bad one.
Result<std::vector<std::string>> KeysFromHex(const std::vector<std::string>& hex_keys);

// `ncbnet audit witness` (audit_witness.cc).
void AddWitness(CLI::App* audit_cmd, int& exit_code);

}  // namespace ncbnet::apps::audit_cli
