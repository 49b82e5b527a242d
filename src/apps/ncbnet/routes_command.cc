// ncbnet routes: the hub's route table with each route's whole rule (api/router.h): access,
// capability, kind of caller and scope. What the authorisation matrix test tries, and what
// docs/authorization.md explains; an operator or a reviewer reads who may call what from it.
#include "api/routes.h"
#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/output.h"

namespace ncbnet::apps {
namespace {

nlohmann::json RouteJson(const api::Route& r) {
  return {{"method", r.method},
          {"path", r.pattern},
          {"access", api::ToString(r.access)},
          {"capability", r.capability},
          {"caller", api::ToString(r.caller)},
          {"scope", api::ToString(r.scope)},
          {"json_body", r.json_body}};
}

}  // namespace

void RegisterRoutes(CLI::App& app, int& exit_code) {
  auto json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("routes", "Print the hub's routes and who may call each");
  cmd->add_flag("--json", *json, "One JSON object: {\"routes\": [...]}");
  cmd->callback([json, &exit_code] {
    const api::Router router = api::BuildRouter(/*public_metrics=*/false);
    nlohmann::json list = nlohmann::json::array();
    for (const api::Route& r : router.routes()) list.push_back(RouteJson(r));
    if (*json) {
      PrintJson({{"routes", list}});
    } else {
      for (const nlohmann::json& r : list) {
        std::cout << r["method"].get<std::string>() << " " << r["path"].get<std::string>() << "  "
                  << r["access"].get<std::string>()
                  << (r["capability"].get<std::string>().empty()
                          ? ""
                          : " " + r["capability"].get<std::string>())
                  << "  caller=" << r["caller"].get<std::string>()
                  << "  scope=" << r["scope"].get<std::string>() << "\n";
      }
    }
    exit_code = 0;
  });
}

}  // namespace ncbnet::apps
