// Message texts for MLA requests. Every text put in them was checked clean before it was stored.
#include "mla/internal/texts.h"

#include "core/time_format.h"

namespace ncbnet::mla::internal {
namespace {

// An id in an idempotency key, which may not hold '_': "mla_abc" -> "mla.abc".
std::string IdKeyPart(std::string id) {
  for (char& c : id) {
    if (c == '_') c = '.';
  }
  return id;
}

std::string Title(const Request& r) {
  const std::string kind =
      r.type == RequestType::kExtradition ? "Extradition request" : "MLA request";
  return kind + " " + r.id + " (" + r.requesting_country + " to " + r.requested_country + ")";
}

void AddList(std::string& body, const char* label, const std::vector<std::string>& items) {
  if (items.empty()) return;
  body += std::string(label) + ":\n";
  for (const std::string& item : items) body += "- " + item + "\n";
}

void AddRequestText(std::string& body, const Request& r) {
  body += "Case reference: " + r.text.case_reference + "\n";
  body += "Legal basis: " + r.text.legal_basis + "\n";
  body += "Urgency: " + std::string(UrgencyName(r.urgency)) + "\n";
  body += "Answer due by: " + FormatIsoMillis(r.deadline_ms) + "\n";
  body += "Summary: " + r.text.summary + "\n\nFacts:\n" + r.text.facts + "\n\n";
  AddList(body, "Measures requested", r.text.measures);
  AddList(body, "Persons concerned", r.text.persons);
}

std::string StepLine(const Request& r, const Event& e) {
  switch (e.state) {
    case State::kSent:
      return "was sent by " + r.requesting_agency + " to the NCB of " + r.requested_country;
    case State::kReceived:
      return "was received by the NCB of " + r.requested_country;
    case State::kInProgress:
      return e.assigned_agency.empty() ? "is in progress in " + r.requested_country
                                       : "is in progress, assigned to " + e.assigned_agency;
    case State::kExecuted:
      return "was executed by " + e.agency_id;
    case State::kRefused:
      return "was refused by " + e.agency_id;
    case State::kWithdrawn:
      return "was withdrawn by " + e.agency_id;
  }
  return "changed";
}

}  // namespace

messaging::HubMessage StepMessage(const Request& r, const Event& e) {
  messaging::HubMessage m;
  m.priority =
      r.urgency == Urgency::kUrgent ? messaging::Priority::kUrgent : messaging::Priority::kRoutine;
  m.classification = messaging::Classification::kConfidential;
  m.idempotency_key = "mla:" + IdKeyPart(r.id) + ":" + std::to_string(e.seq);
  m.subject = Title(r) + ": " + std::string(StateName(e.state));
  std::string& body = m.body;
  body = Title(r) + " " + StepLine(r, e) + ".\n\n";
  body += "At: " + FormatIsoMillis(e.created_ms) + "\nBy: agency " + e.agency_id;
  if (!e.user_id.empty()) body += ", user " + e.user_id;
  body += "\nState: " + std::string(StateName(e.state)) + "\n";
  if (!e.note.empty()) body += "Note:\n" + e.note + "\n";
  // The agency a request is assigned to hears of it here first: it gets the whole text.
  if (e.state == State::kSent || !e.assigned_agency.empty()) {
    body += "\n";
    AddRequestText(body, r);
  } else {
    body += "Case reference: " + r.text.case_reference + "\n";
  }
  body += "\nThe request and its history: ncbnet mla show " + r.id + " (GET /v1/mla-requests/" +
          r.id + ").\n";
  m.links = {r.id};
  return m;
}

messaging::HubMessage ReminderMessage(const Request& r, ReminderKind kind, std::int64_t now_ms) {
  messaging::HubMessage m;
  m.priority = messaging::Priority::kUrgent;
  m.classification = messaging::Classification::kConfidential;
  const bool overdue = kind == ReminderKind::kOverdue;
  m.idempotency_key = "mla-" + std::string(overdue ? "overdue" : "due") + ":" + IdKeyPart(r.id);
  m.subject =
      Title(r) + (overdue ? ": overdue since " : ": answer due by ") + FormatIsoDate(r.deadline_ms);
  m.body = Title(r) + (overdue ? " is past its deadline, " : " is due soon, by ") +
           FormatIsoMillis(r.deadline_ms) + ", and is " + std::string(StateName(r.state)) +
           " (as of " + FormatIsoMillis(now_ms) + ").\n\nCase reference: " + r.text.case_reference +
           "\nSummary: " + r.text.summary + "\n\nAnswer it: ncbnet mla execute|refuse " + r.id +
           " (POST /v1/mla-requests/{id}/transitions).\n";
  m.links = {r.id};
  return m;
}

}  // namespace ncbnet::mla::internal
