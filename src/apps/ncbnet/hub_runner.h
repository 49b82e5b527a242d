// Runs the hub on a data directory until SIGTERM or SIGINT: shared by `serve` and `demo`.
#pragma once

#include <functional>
#include <string>

#include "core/config.h"

namespace ncbnet::apps {

// Prints "ncbnet listening on https://ADDR:PORT" once the port is open, then calls
// `on_listening` (may be empty). Returns the process exit status.
int RunHub(const HubConfig& config,
           const std::function<void(const std::string& url)>& on_listening);

// Logs go to stderr as JSON lines.
void SetUpLogging(const std::string& level);

}  // namespace ncbnet::apps
