// The texts of the hub's messages about hits: the owner's notification and the follow-up
// messages. Shared by hits.cc and follow_ups.cc. Not part of the module's public surface.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "hits/hits.h"
#include "messaging/hub_messages.h"
#include "store/store.h"

namespace ncbnet::hits::internal {

// Who checked, when and where, as the notification says it.
struct CheckerInfo {
  std::string agency_id;
  std::string agency_name;
  std::string kind;  // "terminal", "agency", "NCB", "GS"
  std::string country;
  std::string user;  // "name (usr_...)", or "a system (client certificate)"
  std::int64_t checked_ms = 0;
  CheckContext context;
};

Result<CheckerInfo> DescribeChecker(store::Transaction& tx, const Checker& checker,
                                    const CheckContext& context, std::int64_t now_ms);

// One hit as a line of a notification.
struct HitLine {
  std::string hit_id;
  std::string record_id;
  std::string database;
  std::string external_id;
  MatchInfo matched;
};

// The notification of one check's `total` hits on records of one owner NCB, of which `lines`
// (at most kHitsPerNotification, the first) are listed and linked; the caller sets the
// recipients.
messaging::HubMessage HitNotification(const CheckerInfo& who, const std::vector<HitLine>& lines,
                                      std::size_t total);

// The message telling the other side of `hit` about `follow_up`; the caller sets recipients.
messaging::HubMessage FollowUpNotice(const Hit& hit, const FollowUp& follow_up);

}  // namespace ncbnet::hits::internal
