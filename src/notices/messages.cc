// The texts of the messages about notices. Every text put in them comes from validated fields
// or notes (single-line UTF-8 without control characters, or multiline for notes).
#include "notices/internal/messages.h"

#include "core/time_format.h"
#include "messaging/hub_messages.h"
#include "notices/kinds.h"

namespace ncbnet::notices::internal {
namespace {

// An id in an idempotency key, which may not hold '_': "ntc_abc" -> "ntc.abc".
std::string KeyPart(std::string id) {
  for (char& c : id) {
    if (c == '_') c = '.';
  }
  return id;
}

std::string Title(const Notice& n) {
  const Result<const Kind*> kind = Kinds::Builtin().Find(n.kind);
  const std::string title = kind.ok() ? (*kind)->title : n.kind;
  return n.channel == "diffusion" ? "Diffusion (" + title + ")" : title;
}

std::string Body(const Notice& n, std::string_view what, std::string_view note) {
  std::string body = Title(n) + " " + std::string(what) + ".\n";
  if (!n.control_number.empty()) body += "Control number: " + n.control_number + "\n";
  body += "Notice: " + n.id + "\n";
  body += "Requesting country: " + n.requesting_country + "\n";
  body += "State: " + n.state + "\n";
  for (const char* key : {"name", "name_latin", "date_of_birth"}) {
    if (n.fields.contains(key) && n.fields[key].is_string()) {
      body += std::string(key) + ": " + n.fields[key].get<std::string>() + "\n";
    }
  }
  if (n.expires_ms) body += "Expires: " + FormatIsoMillis(*n.expires_ms) + "\n";
  if (!note.empty()) body += "Note: " + std::string(note) + "\n";
  return body;
}

}  // namespace

Status Tell(store::Transaction& tx, const Keys& keys, Notice& n, std::int64_t seq,
            std::string_view what, std::string_view note, Audience audience, std::int64_t now_ms) {
  messaging::HubMessage m;
  const std::string ncb = access::NcbIdFor(n.requesting_country);
  if (audience == Audience::kAll || (audience == Audience::kRecipients && n.recipients.empty())) {
    m.all_ncbs = true;
  } else {
    m.to_agencies.push_back(ncb);
    if (audience == Audience::kRecipients) {
      for (const std::string& c : n.recipients) {
        if (c != n.requesting_country) m.to_agencies.push_back(access::NcbIdFor(c));
      }
    }
  }
  if (n.requesting_agency != ncb) m.to_agencies.push_back(n.requesting_agency);
  const std::string label = n.control_number.empty() ? n.id : n.control_number;
  m.subject = Title(n) + " " + label + ": " + std::string(what);
  m.body = Body(n, what, note);
  m.priority = audience == Audience::kRequester ? messaging::Priority::kRoutine
                                                : messaging::Priority::kUrgent;
  m.idempotency_key = "notice:" + KeyPart(n.id) + ":" + std::to_string(seq);
  m.links.push_back(n.id);
  if (!n.record_id.empty()) m.links.push_back(n.record_id);
  NCBNET_ASSIGN_OR_RETURN(messaging::Accepted accepted,
                          messaging::SendHubMessage(tx, keys.data_key, keys.hub_key, m, now_ms));
  n.told.insert(n.told.end(), accepted.recipients.begin(), accepted.recipients.end());
  return Status::Ok();
}

}  // namespace ncbnet::notices::internal
