// The texts of hit notifications and follow-up messages (docs/message-format.md, "Messages
// from the hub"). Every text put in them has been checked clean (single-line UTF-8) before.
#include "hits/internal/notices.h"

#include <cstdio>

#include "access/agencies.h"
#include "core/time_format.h"

namespace ncbnet::hits::internal {
namespace {

std::string KindText(access::AgencyKind kind) {
  switch (kind) {
    case access::AgencyKind::kTerminal:
      return "terminal";
    case access::AgencyKind::kAgency:
      return "agency";
    case access::AgencyKind::kNcb:
      return "NCB";
    case access::AgencyKind::kGs:
      return "GS";
  }
  return "agency";
}

std::string Score(double score) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", score);
  return buf;
}

std::string MatchText(const MatchInfo& m) {
  if (m.kind == MatchKind::kIdentifier) return m.identifier + " " + m.value + " matched";
  std::string out = "name \"" + m.value + "\" matched with score " + Score(m.score);
  if (!m.explanation.empty()) out += " (" + m.explanation + ")";
  return out;
}

void AddContext(std::string& body, const CheckContext& c) {
  const std::pair<const char*, const std::string*> lines[] = {
      {"Location", &c.location}, {"Port", &c.port},           {"Flight", &c.flight},
      {"Reason", &c.reason},     {"Reference", &c.reference},
  };
  for (const auto& [label, value] : lines) {
    if (!value->empty()) body += std::string(label) + ": " + *value + "\n";
  }
}

// An id in an idempotency key, which may not hold '_': "hit_abc" -> "hit.abc".
std::string IdKeyPart(std::string id) {
  for (char& c : id) {
    if (c == '_') c = '.';
  }
  return id;
}

}  // namespace

Result<CheckerInfo> DescribeChecker(store::Transaction& tx, const Checker& checker,
                                    const CheckContext& context, std::int64_t now_ms) {
  CheckerInfo who;
  who.agency_id = checker.agency_id;
  who.kind = KindText(checker.kind);
  who.country = checker.country.empty() ? "none (General Secretariat)" : checker.country;
  NCBNET_ASSIGN_OR_RETURN(std::optional<access::Agency> agency,
                          access::FindAgency(tx, checker.agency_id));
  who.agency_name = agency ? agency->name : checker.agency_id;
  if (checker.user_id.empty()) {
    who.user = "a system (client certificate)";
  } else {
    who.user = (checker.user_name.empty() ? std::string("user") : checker.user_name) + " (" +
               checker.user_id + ")";
  }
  who.checked_ms = now_ms;
  who.context = context;
  return who;
}

messaging::HubMessage HitNotification(const CheckerInfo& who, const std::vector<HitLine>& lines,
                                      std::size_t total) {
  messaging::HubMessage m;
  m.priority = messaging::Priority::kUrgent;
  m.idempotency_key = "hit:" + IdKeyPart(lines.front().hit_id);
  const std::string where = who.country.size() == 3 ? " in " + who.country : "";
  m.subject = total == 1 ? "Hit: " + lines.front().database + " record " + lines.front().record_id +
                               " checked" + where
                         : "Hits: " + std::to_string(total) + " of your records checked" + where;
  std::string& body = m.body;
  body = "Your records matched a check; the officer was shown each record's action.\n\n";
  body += "Checked at: " + FormatIsoMillis(who.checked_ms) + "\n";
  body += "Checked by: " + who.agency_name + " (" + who.agency_id + "), " + who.kind +
          ", country " + who.country + "\n";
  body += "User: " + who.user + "\n";
  AddContext(body, who.context);
  body += "\nHits:\n";
  for (const HitLine& l : lines) {
    body += "- " + l.hit_id + ": " + l.database + " record " + l.record_id;
    if (!l.external_id.empty()) body += " (your reference " + l.external_id + ")";
    body += ": " + MatchText(l.matched) + "\n";
    m.links.push_back(l.hit_id);
    m.links.push_back(l.record_id);
  }
  if (total > lines.size()) {
    body += "- and " + std::to_string(total - lines.size()) +
            " more hits of the same check, not listed here: ncbnet hits list --side owner"
            " (GET /v1/hits?side=owner) shows them all, each naming this message as its"
            " notification.\n";
  }
  body +=
      "\nFollow each hit up: ncbnet hits show <hit id>; ncbnet hits follow-up <hit id> --state"
      " confirmed|not_same_person|action_taken|closed (GET /v1/hits/{id},"
      " POST /v1/hits/{id}/follow-ups).\n";
  return m;
}

messaging::HubMessage FollowUpNotice(const Hit& hit, const FollowUp& f) {
  messaging::HubMessage m;
  m.priority = messaging::Priority::kUrgent;
  m.idempotency_key = "hit-follow-up:" + IdKeyPart(hit.id) + ":" + std::to_string(f.seq);
  const std::string side = f.side == Side::kOwner ? "the record's owner" : "the checking side";
  m.subject = "Hit " + hit.id + ": " + std::string(FollowUpStateName(f.state)) + " by " + side;
  std::string& body = m.body;
  body = "A follow-up was recorded on hit " + hit.id + " (" + hit.database + " record " +
         hit.record_id + ", checked at " + FormatIsoMillis(hit.checked_ms) + ").\n\n";
  body += "By: " + side + ", agency " + f.agency_id;
  if (!f.user_id.empty()) body += ", user " + f.user_id;
  body += "\nAt: " + FormatIsoMillis(f.created_ms) + "\n";
  body += "State: " + std::string(FollowUpStateName(f.state)) + "\n";
  if (!f.note.empty()) body += "Note:\n" + f.note + "\n";
  body += "\nThe hit's history: ncbnet hits show " + hit.id + " (GET /v1/hits/{id}).\n";
  m.links = {hit.id, hit.record_id};
  return m;
}

}  // namespace ncbnet::hits::internal
