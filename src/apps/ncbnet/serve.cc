// ncbnet serve: runs the hub. Configuration: defaults, then the TOML file (--config, or
// <data-dir>/ncbnet.toml if present), then flags.
#include <filesystem>
#include <optional>

#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/hub_runner.h"
#include "apps/ncbnet/output.h"
#include "core/config.h"

namespace ncbnet::apps {

void RegisterServe(CLI::App& app, int& exit_code) {
  struct Flags {
    std::string data_dir;
    std::string config_file;
    std::optional<std::string> listen;
    std::optional<int> port;
    std::optional<int> threads;
    std::optional<std::string> console_dir;
    std::optional<std::string> public_dir;
  };
  auto flags = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand("serve", "Run the hub over HTTPS");
  cmd->add_option("--data-dir", flags->data_dir, "Data directory made by ncbnet init")->required();
  cmd->add_option("--config", flags->config_file, "TOML configuration file");
  cmd->add_option("--listen", flags->listen, "Address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", flags->port, "Port (0: any free port)")->check(CLI::Range(0, 65535));
  cmd->add_option("--threads", flags->threads, "Worker threads (0: one per core)")
      ->check(CLI::Range(0, 256));
  cmd->add_option("--console-dir", flags->console_dir,
                  "The web console's built files (console/dist), served at /");
  cmd->add_option("--public-dir", flags->public_dir,
                  "The public notices page's built files (console/dist-public), served at /public");
  cmd->callback([flags, &exit_code] {
    HubConfig config;
    std::string file = flags->config_file;
    std::error_code ec;
    if (file.empty() && std::filesystem::exists(flags->data_dir + "/ncbnet.toml", ec)) {
      file = flags->data_dir + "/ncbnet.toml";
    }
    if (!file.empty()) {
      if (Status s = LoadConfigFile(file, config); !s.ok()) {
        exit_code = Fail(s);
        return;
      }
    }
    config.data_dir = flags->data_dir;
    if (flags->listen) config.listen_address = *flags->listen;
    if (flags->port) config.port = static_cast<std::uint16_t>(*flags->port);
    if (flags->threads) config.threads = *flags->threads;
    if (flags->console_dir) config.console_dir = *flags->console_dir;
    if (flags->public_dir) config.public_dir = *flags->public_dir;
    exit_code = RunHub(config, {});
  });
}

}  // namespace ncbnet::apps
