// How subcommands report: errors to stderr as "ncbnet: <reason>: <message>", results to stdout
// as text or, with --json, one JSON object.
#pragma once

#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace ncbnet::apps {

inline int Fail(const Status& status) {
  std::cerr << "ncbnet: " << status.reason() << ": " << status.message() << "\n";
  return 1;
}

inline void PrintJson(const nlohmann::json& j) { std::cout << j.dump(2) << std::endl; }

}  // namespace ncbnet::apps
