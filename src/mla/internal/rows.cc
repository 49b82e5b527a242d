// Rows, sealing and parties of MLA requests (mla/internal/rows.h).
#include "mla/internal/rows.h"

#include <algorithm>

#include "access/agencies.h"
#include "core/json.h"
#include "crypto/aead.h"
#include "crypto/kdf.h"
#include "messaging/hub_messages.h"
#include "mla/internal/texts.h"

namespace ncbnet::mla::internal {
namespace {

Status Damaged(std::string_view id) {
  return Status::DataLoss("mla_text_damaged",
                          "MLA request " + std::string(id) + ": sealed text does not open");
}

Result<std::string> MlaKey(const messaging::DataKey& key) {
  return crypto::DeriveSubkey(key.bytes, "ncbn-mla", 1, crypto::kAeadKeyBytes);
}

// Associated data: the request and the step, so sealed text moved to another row fails.
std::string Ad(std::string_view id, std::int64_t seq) {
  return "mla\n" + std::string(id) + "\n" + std::to_string(seq);
}

Result<nlohmann::json> OpenJson(const messaging::DataKey& key, std::string_view id,
                                std::int64_t seq, const std::string& sealed) {
  NCBNET_ASSIGN_OR_RETURN(const std::string subkey, MlaKey(key));
  Result<std::string> plain = crypto::Open(subkey, sealed, Ad(id, seq));
  if (!plain.ok()) return Damaged(id);
  nlohmann::json json = ParseJson(*plain);
  if (!json.is_object()) return Damaged(id);
  return json;
}

// Reads what SealJson sealed; a member of the wrong type is damage, not a crash.
std::vector<std::string> Strings(const nlohmann::json& j, const char* field) {
  std::vector<std::string> out;
  const auto it = j.find(field);
  if (it == j.end() || !it->is_array()) return out;
  for (const nlohmann::json& s : *it) {
    if (s.is_string()) out.push_back(s.get<std::string>());
  }
  return out;
}

std::string String(const nlohmann::json& j, const char* field) {
  const auto it = j.find(field);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<messaging::AttachmentRef> Attachments(const nlohmann::json& j) {
  std::vector<messaging::AttachmentRef> out;
  const auto it = j.find("attachments");
  if (it == j.end() || !it->is_array()) return out;
  for (const nlohmann::json& a : *it) {
    if (!a.is_object() || !a.value("size", nlohmann::json()).is_number_integer()) continue;
    out.push_back({String(a, "sha256"), a["size"].get<std::int64_t>(), String(a, "name"),
                   String(a, "media_type")});
  }
  return out;
}

}  // namespace

Status NotFound() { return Status::NotFound("mla_request_not_found", "no such MLA request"); }

const std::string_view kRequestColumns =
    "r.id, r.type, r.requesting_agency, r.requesting_country, r.requested_country,"
    " r.assigned_agency, r.state, r.urgency, r.content, r.message_id, r.deadline_ms,"
    " r.created_ms, r.updated_ms";

Result<std::string> SealJson(const messaging::DataKey& key, std::string_view id, std::int64_t seq,
                             const nlohmann::json& json) {
  NCBNET_ASSIGN_OR_RETURN(const std::string subkey, MlaKey(key));
  return crypto::Seal(subkey, json.dump(), Ad(id, seq));
}

nlohmann::json TextJson(const RequestText& t) {
  return {{"case_reference", t.case_reference},
          {"legal_basis", t.legal_basis},
          {"summary", t.summary},
          {"facts", t.facts},
          {"measures", t.measures},
          {"persons", t.persons}};
}

nlohmann::json AttachmentsJson(const std::vector<messaging::AttachmentRef>& refs) {
  nlohmann::json out = nlohmann::json::array();
  for (const messaging::AttachmentRef& a : refs) {
    out.push_back(
        {{"sha256", a.sha256}, {"size", a.size}, {"name", a.name}, {"media_type", a.media_type}});
  }
  return out;
}

bool IsOverdue(State state, std::int64_t deadline_ms, std::int64_t now_ms) {
  const bool open =
      state == State::kSent || state == State::kReceived || state == State::kInProgress;
  return open && deadline_ms < now_ms;
}

Result<Request> DecodeRequest(const messaging::DataKey& key, const store::Row& row,
                              std::int64_t now_ms) {
  Request r;
  r.id = row[0].AsText();
  const std::optional<RequestType> type = ParseRequestType(row[1].AsText());
  const std::optional<State> state = ParseState(row[6].AsText());
  const std::optional<Urgency> urgency = ParseUrgency(row[7].AsText());
  if (!type || !state || !urgency) return Damaged(r.id);
  r.type = *type;
  r.requesting_agency = row[2].AsText();
  r.requesting_country = row[3].AsText();
  r.requested_country = row[4].AsText();
  r.assigned_agency = row[5].AsText();
  r.state = *state;
  r.urgency = *urgency;
  NCBNET_ASSIGN_OR_RETURN(const nlohmann::json content, OpenJson(key, r.id, 0, row[8].AsText()));
  r.text.case_reference = String(content, "case_reference");
  r.text.legal_basis = String(content, "legal_basis");
  r.text.summary = String(content, "summary");
  r.text.facts = String(content, "facts");
  r.text.measures = Strings(content, "measures");
  r.text.persons = Strings(content, "persons");
  r.attachments = Attachments(content);
  r.message_id = row[9].AsText();
  r.deadline_ms = row[10].AsInt();
  r.created_ms = row[11].AsInt();
  r.updated_ms = row[12].AsInt();
  r.overdue = IsOverdue(r.state, r.deadline_ms, now_ms);
  return r;
}

bool IsRequestingSide(const Request& r, const Actor& viewer) {
  return viewer.agency_id == r.requesting_agency ||
         viewer.agency_id == access::NcbIdFor(r.requesting_country);
}

bool IsRequestedSide(const Request& r, const Actor& viewer) {
  return viewer.agency_id == access::NcbIdFor(r.requested_country) ||
         (!r.assigned_agency.empty() && viewer.agency_id == r.assigned_agency);
}

Result<store::Row> LoadVisibleRow(store::Transaction& tx, std::string_view id,
                                  const Actor& viewer) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT " + std::string(kRequestColumns) + " FROM mla_requests r WHERE r.id = ?",
                  {id}));
  if (!row || viewer.agency_id.empty()) return NotFound();
  // Decided on the plain columns before any text is opened.
  Request probe;
  probe.requesting_agency = (*row)[2].AsText();
  probe.requesting_country = (*row)[3].AsText();
  probe.requested_country = (*row)[4].AsText();
  probe.assigned_agency = (*row)[5].AsText();
  if (!IsRequestingSide(probe, viewer) && !IsRequestedSide(probe, viewer)) return NotFound();
  return std::move(*row);
}

Result<Request> LoadVisible(store::Transaction& tx, const messaging::DataKey& key,
                            std::string_view id, const Actor& viewer, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(const store::Row row, LoadVisibleRow(tx, id, viewer));
  return DecodeRequest(key, row, now_ms);
}

Result<std::vector<Event>> LoadHistory(store::Transaction& tx, const messaging::DataKey& key,
                                       std::string_view id) {
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<store::Row> rows,
      tx.Query("SELECT seq, state, agency_id, user_id, assigned_agency, sealed, message_id,"
               " created_ms FROM mla_events WHERE request_id = ? ORDER BY seq",
               {id}));
  std::vector<Event> out;
  out.reserve(rows.size());
  for (const store::Row& row : rows) {
    Event e;
    e.seq = row[0].AsInt();
    const std::optional<State> state = ParseState(row[1].AsText());
    if (!state) return Damaged(id);
    e.state = *state;
    e.agency_id = row[2].AsText();
    e.user_id = row[3].AsText();
    e.assigned_agency = row[4].AsText();
    NCBNET_ASSIGN_OR_RETURN(const nlohmann::json sealed, OpenJson(key, id, e.seq, row[5].AsText()));
    e.note = String(sealed, "note");
    e.attachments = Attachments(sealed);
    e.message_id = row[6].AsText();
    e.created_ms = row[7].AsInt();
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<std::string>> Parties(store::Transaction& tx, const Request& r) {
  std::vector<std::string> all = {r.requesting_agency, access::NcbIdFor(r.requesting_country),
                                  access::NcbIdFor(r.requested_country)};
  if (!r.assigned_agency.empty()) all.push_back(r.assigned_agency);
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  // A message to a disabled agency would be refused and fail the step that sends it.
  return access::EnabledAgencies(tx, all);
}

Status RecordStep(store::Transaction& tx, const Keys& keys, const Request& r, Event& e,
                  const std::vector<messaging::AttachmentRef>& files, std::string_view files_of,
                  std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> last,
      tx.QueryOne("SELECT COALESCE(MAX(seq), 0) FROM mla_events WHERE request_id = ?", {r.id}));
  e.seq = (last ? last->front().AsInt() : 0) + 1;
  e.created_ms = now_ms;
  messaging::HubMessage m = StepMessage(r, e);
  NCBNET_ASSIGN_OR_RETURN(m.to_agencies, Parties(tx, r));
  if (!files.empty()) {
    m.body += "\nFiles attached to this message: " + std::to_string(files.size()) +
              " (ncbnet msg attachment <message id> <index>).\n";
  }
  m.attachments = files;
  m.attachments_of = std::string(files_of);
  NCBNET_ASSIGN_OR_RETURN(const messaging::Accepted sent,
                          messaging::SendHubMessage(tx, keys.data_key, keys.hub_key, m, now_ms));
  e.message_id = sent.message_id;
  NCBNET_ASSIGN_OR_RETURN(
      const std::string sealed,
      SealJson(keys.data_key, r.id, e.seq,
               {{"note", e.note}, {"attachments", AttachmentsJson(e.attachments)}}));
  return tx
      .Exec(
          "INSERT INTO mla_events (request_id, seq, state, agency_id, user_id,"
          " assigned_agency, sealed, message_id, created_ms)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {r.id, e.seq, StateName(e.state), e.agency_id, e.user_id, e.assigned_agency,
           store::Blob{sealed}, e.message_id, now_ms})
      .status();
}

}  // namespace ncbnet::mla::internal
