// ncbnet msg search | purge: listing and searching the agency's own mailbox on a running hub
// (GET /v1/messages, messaging/mailbox_search.h), and purging expired messages offline from a
// data directory (messaging/retention.h), audited as the hub's own timer does.
#include <iostream>
#include <memory>

#include "apps/ncbnet/client_flags.h"
#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/output.h"
#include "apps/ncbnet/purge.h"
#include "core/clock.h"

namespace ncbnet::apps {
namespace {

using nlohmann::json;

struct SearchFlags {
  ClientFlags client;
  std::string q, correspondent, from, to, priority, classification, thread, before;
  int limit = 50;
  bool unread = false;
  bool json = false;
};

std::string SearchTarget(const SearchFlags& f) {
  std::string target = "/v1/messages?limit=" + std::to_string(f.limit);
  const std::pair<const char*, const std::string*> params[] = {
      {"q", &f.q},
      {"correspondent", &f.correspondent},
      {"from", &f.from},
      {"to", &f.to},
      {"priority", &f.priority},
      {"classification", &f.classification},
      {"thread", &f.thread},
      {"before", &f.before}};
  for (const auto& [name, value] : params) {
    if (!value->empty()) target += std::string("&") + name + "=" + QueryEscape(*value);
  }
  if (f.unread) target += "&unread=true";
  return target;
}

Status Search(const SearchFlags& f) {
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(f.client));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply reply, hub.CallOk("GET", SearchTarget(f)));
  if (f.json) {
    PrintJson(reply.body);
    return Status::Ok();
  }
  const json messages = reply.body.value("messages", json::array());
  for (const json& m : messages) {
    if (!m.is_object()) continue;
    const std::string state = m["state"].is_string() ? m["state"].get<std::string>() : "sent";
    std::cout << Printable(m.value("accepted_at", "")) << "  " << Printable(m.value("id", ""))
              << "  from " << Printable(m.value("sender_agency", "")) << " to "
              << m.value("recipient_count", 0) << "  [" << Printable(m.value("priority", ""))
              << ", " << Printable(m.value("classification", "")) << ", " << Printable(state)
              << "]  " << Printable(m.value("subject", "")) << "\n";
  }
  std::cout << messages.size() << " message(s)";
  if (reply.body.contains("next_before") && reply.body["next_before"].is_string()) {
    std::cout << "; more: --before " << Printable(reply.body["next_before"].get<std::string>());
  }
  std::cout << "\n";
  return Status::Ok();
}

Status Purge(const std::string& data_dir, bool as_json) {
  const DataDir dir(data_dir);
  if (!dir.Initialised()) {
    return Status::FailedPrecondition("not_initialised", data_dir + " holds no network");
  }
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, dir.OpenStore());
  NCBNET_ASSIGN_OR_RETURN(crypto::SigningKey key, dir.LoadSigningKey());
  NCBNET_ASSIGN_OR_RETURN(const int purged, PurgeAllExpired(*store, key, SystemClock()));
  if (as_json) {
    PrintJson({{"purged", purged}});
  } else {
    std::cout << "purged " << purged << " expired message(s)\n";
  }
  return Status::Ok();
}

}  // namespace

void RegisterMsgSearch(CLI::App& msg, int& exit_code) {
  auto f = std::make_shared<SearchFlags>();
  auto* search = msg.add_subcommand("search", "List and search the agency's own mailbox");
  search->add_option("--q", f->q, "Words that must all appear in the subject or body");
  search->add_option("--correspondent,--from-agency", f->correspondent,
                     "Agency id: the sender of a received message or a recipient of a sent one");
  search->add_option("--from", f->from, "Accepted at or after (ISO 8601 UTC)");
  search->add_option("--to", f->to, "Accepted before (ISO 8601 UTC)");
  search->add_option("--priority", f->priority, "routine, urgent or flash");
  search->add_option("--classification", f->classification,
                     "unclassified, interpol_fouo, interpol_restricted, interpol_confidential");
  search->add_option("--thread", f->thread, "The thread's first message id");
  search->add_option("--before", f->before, "Only messages older than this id (paging)");
  search->add_option("--limit", f->limit, "At most this many")->check(CLI::Range(1, 200));
  search->add_flag("--unread", f->unread, "Only received messages not yet read");
  search->add_flag("--json", f->json);
  AddClientFlags(search, f->client);
  search->callback([f, &exit_code] {
    if (Status s = Search(*f); !s.ok()) exit_code = Fail(s);
  });

  auto data_dir = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);
  auto* purge = msg.add_subcommand("purge", "Purge expired messages now (offline), audited");
  purge->add_option("--data-dir", *data_dir)->required();
  purge->add_flag("--json", *as_json);
  purge->callback([data_dir, as_json, &exit_code] {
    if (Status s = Purge(*data_dir, *as_json); !s.ok()) exit_code = Fail(s);
  });
}

}  // namespace ncbnet::apps
