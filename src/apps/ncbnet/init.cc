// ncbnet init: creates a data directory holding a new network.
#include <iostream>

#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/network_setup.h"
#include "apps/ncbnet/output.h"

namespace ncbnet::apps {

void RegisterInit(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("init", "Create a data directory with a new network");
  auto options = std::make_shared<InitOptions>();
  auto password_file = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--data-dir", options->data_dir, "Data directory to create")->required();
  cmd->add_option("--store", options->store,
                  "Store of the new network: a postgresql:// URI (default: the data directory's"
                  " SQLite file)");
  cmd->add_option("--countries", options->countries_file, "Member countries file (ISO3<TAB>Name)");
  cmd->add_option("--admin-user", options->admin_user, "Login name of the first GS administrator");
  cmd->add_option("--admin-password-file", *password_file,
                  "File holding the administrator's password (default: generate one)");
  cmd->add_option("--hostname", options->hostname, "Host name in the hub's TLS certificate");
  cmd->add_option("--crl-url", options->crl_url,
                  "URL every certificate names as the network CA's CRL "
                  "(default: https://<hostname>:8443/v1/pki/crl, served by the hub)");
  cmd->add_flag("--json", *json, "Print the result as JSON");
  cmd->callback([options, password_file, json, &exit_code] {
    if (!password_file->empty()) {
      auto text = ReadFile(*password_file);
      if (!text.ok()) {
        exit_code = Fail(text.status());
        return;
      }
      std::string pw = *text;
      while (!pw.empty() && (pw.back() == '\n' || pw.back() == '\r')) pw.pop_back();
      options->admin_password = pw;
    }
    auto result = InitNetwork(*options);
    if (!result.ok()) {
      exit_code = Fail(result.status());
      return;
    }
    if (*json) {
      PrintJson({{"data_dir", options->data_dir},
                 {"countries", result->countries},
                 {"admin_user", result->admin_user},
                 {"admin_password", result->admin_password}});
    } else {
      std::cout << "Initialised a network of " << result->countries << " NCBs in "
                << options->data_dir << "\n"
                << "GS administrator: " << result->admin_user << "\n"
                << "Password (shown once): " << result->admin_password << "\n";
    }
  });
}

}  // namespace ncbnet::apps
