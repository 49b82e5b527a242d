// RequestJson: an MLA request as clients see it (docs/openapi.yaml, MlaRequest).
#include "core/time_format.h"
#include "mla/internal/rows.h"
#include "mla/mla.h"

namespace ncbnet::mla {
namespace {

nlohmann::json OrNull(const std::string& s) {
  return s.empty() ? nlohmann::json() : nlohmann::json(s);
}

// Files with where to read them: GET /v1/messages/{message_id}/attachments/{index}.
nlohmann::json Files(const std::vector<messaging::AttachmentRef>& refs,
                     const std::string& message_id) {
  nlohmann::json out = internal::AttachmentsJson(refs);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i]["message_id"] = message_id;
    out[i]["index"] = i;
  }
  return out;
}

nlohmann::json EventJson(const Event& e) {
  return {{"seq", e.seq},
          {"state", StateName(e.state)},
          {"at", FormatIsoMillis(e.created_ms)},
          {"agency_id", e.agency_id},
          {"user_id", OrNull(e.user_id)},
          {"assigned_agency", OrNull(e.assigned_agency)},
          {"note", e.note},
          {"attachments", Files(e.attachments, e.message_id)},
          {"message_id", e.message_id}};
}

}  // namespace

nlohmann::json RequestJson(const Request& r) {
  if (!r.damaged.empty()) return {{"id", r.id}, {"damaged", r.damaged}};
  nlohmann::json j = {{"id", r.id},
                      {"type", RequestTypeName(r.type)},
                      {"state", StateName(r.state)},
                      {"urgency", UrgencyName(r.urgency)},
                      {"requesting_agency", r.requesting_agency},
                      {"requesting_country", r.requesting_country},
                      {"requested_country", r.requested_country},
                      {"assigned_agency", OrNull(r.assigned_agency)},
                      {"deadline", FormatIsoMillis(r.deadline_ms)},
                      {"overdue", r.overdue},
                      {"created_at", FormatIsoMillis(r.created_ms)},
                      {"updated_at", FormatIsoMillis(r.updated_ms)},
                      {"message_id", r.message_id},
                      {"attachments", Files(r.attachments, r.message_id)}};
  j.update(internal::TextJson(r.text));
  if (!r.history.empty()) {
    nlohmann::json history = nlohmann::json::array();
    for (const Event& e : r.history) history.push_back(EventJson(e));
    j["history"] = std::move(history);
  }
  return j;
}

}  // namespace ncbnet::mla
