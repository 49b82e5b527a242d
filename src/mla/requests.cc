// Sending and reading MLA requests: names, CreateRequest, GetRequest, ListRequests.
#include <array>
#include <utility>

#include "access/agencies.h"
#include "core/countries.h"
#include "crypto/random.h"
#include "mla/internal/checks.h"
#include "mla/internal/rows.h"
#include "mla/mla.h"

namespace ncbnet::mla {
namespace {

constexpr std::array<std::pair<RequestType, std::string_view>, 2> kTypes = {
    {{RequestType::kMla, "mla"}, {RequestType::kExtradition, "extradition"}}};
constexpr std::array<std::pair<State, std::string_view>, 6> kStates = {
    {{State::kSent, "sent"},
     {State::kReceived, "received"},
     {State::kInProgress, "in_progress"},
     {State::kExecuted, "executed"},
     {State::kRefused, "refused"},
     {State::kWithdrawn, "withdrawn"}}};
constexpr std::array<std::pair<Urgency, std::string_view>, 2> kUrgencies = {
    {{Urgency::kRoutine, "routine"}, {Urgency::kUrgent, "urgent"}}};

template <typename E, std::size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [value, name] : table) {
    if (value == e) return name;
  }
  return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table,
                       std::string_view name) {
  for (const auto& [value, n] : table) {
    if (n == name) return value;
  }
  return std::nullopt;
}

Status CheckText(const RequestText& t) {
  using internal::CheckLines;
  using internal::CheckText;
  NCBNET_RETURN_IF_ERROR(CheckText("case_reference", t.case_reference, kMaxReferenceBytes, true));
  NCBNET_RETURN_IF_ERROR(CheckText("legal_basis", t.legal_basis, kMaxLineBytes, true));
  NCBNET_RETURN_IF_ERROR(CheckText("summary", t.summary, kMaxLineBytes, true));
  NCBNET_RETURN_IF_ERROR(CheckText("facts", t.facts, kMaxFactsBytes, true, /*multiline=*/true));
  NCBNET_RETURN_IF_ERROR(CheckLines("measures", t.measures, kMaxMeasureBytes, 1));
  return CheckLines("persons", t.persons, kMaxLineBytes, 0);
}

// The requested country must be another member with an enabled NCB, to which it is delivered.
Status CheckRequestedCountry(store::Transaction& tx, const Actor& actor, std::string_view country) {
  if (!IsAlpha3(country)) {
    return Status::InvalidArgument("unknown_country",
                                   "requested_country must be an ISO 3166-1 alpha-3 code");
  }
  if (country == actor.country) {
    return Status::InvalidArgument("own_country",
                                   "a request goes to another country than the requester's");
  }
  NCBNET_ASSIGN_OR_RETURN(std::optional<access::Agency> ncb,
                          access::FindAgency(tx, access::NcbIdFor(country)));
  if (!ncb || ncb->disabled_ms) {
    return Status::InvalidArgument("unknown_country", "requested_country " + std::string(country) +
                                                          " has no NCB on this network");
  }
  return Status::Ok();
}

Status CheckNewRequest(store::Transaction& tx, const Actor& actor, const NewRequest& r,
                       std::int64_t now_ms) {
  if (actor.country.empty()) {
    return Status::PermissionDenied("no_requesting_country",
                                    "only an NCB or a national agency may send an MLA request");
  }
  NCBNET_RETURN_IF_ERROR(CheckRequestedCountry(tx, actor, r.requested_country));
  if (r.deadline_ms <= now_ms) {
    return Status::InvalidArgument("deadline_in_past", "deadline must be in the future");
  }
  if (r.deadline_ms > now_ms + kMaxDeadlineMs) {
    return internal::Invalid("deadline", "must be within three years");
  }
  NCBNET_RETURN_IF_ERROR(CheckText(r.text));
  return internal::CheckFiles(r.attachments);
}

}  // namespace

std::string_view RequestTypeName(RequestType t) { return NameOf(kTypes, t); }
std::optional<RequestType> ParseRequestType(std::string_view n) { return Parse(kTypes, n); }
std::string_view StateName(State s) { return NameOf(kStates, s); }
std::optional<State> ParseState(std::string_view n) { return Parse(kStates, n); }
std::string_view UrgencyName(Urgency u) { return NameOf(kUrgencies, u); }
std::optional<Urgency> ParseUrgency(std::string_view n) { return Parse(kUrgencies, n); }

Result<Request> CreateRequest(store::Transaction& tx, const Keys& keys, const Actor& actor,
                              const NewRequest& in, std::int64_t now_ms) {
  NCBNET_RETURN_IF_ERROR(CheckNewRequest(tx, actor, in, now_ms));
  Request r;
  r.id = crypto::NewId("mla");
  r.type = in.type;
  r.requesting_agency = actor.agency_id;
  r.requesting_country = actor.country;
  r.requested_country = in.requested_country;
  r.urgency = in.urgency;
  r.text = in.text;
  r.attachments = in.attachments;
  r.deadline_ms = in.deadline_ms;
  r.created_ms = r.updated_ms = now_ms;
  nlohmann::json content = internal::TextJson(r.text);
  content["attachments"] = internal::AttachmentsJson(r.attachments);
  NCBNET_ASSIGN_OR_RETURN(const std::string sealed,
                          internal::SealJson(keys.data_key, r.id, 0, content));
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO mla_requests (id, type, requesting_agency, requesting_country,"
              " requested_country, assigned_agency, state, urgency, content, message_id,"
              " deadline_ms, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, '', ?, ?, "
              "?)",
              {r.id, RequestTypeName(r.type), r.requesting_agency, r.requesting_country,
               r.requested_country, StateName(r.state), UrgencyName(r.urgency), store::Blob{sealed},
               r.deadline_ms, now_ms, now_ms})
          .status());
  Event sent;
  sent.state = State::kSent;
  sent.agency_id = actor.agency_id;
  sent.user_id = actor.user_id;
  sent.attachments = r.attachments;
  // The request's files travel on the message that carries it, kept with it (mla.h).
  NCBNET_RETURN_IF_ERROR(
      internal::RecordStep(tx, keys, r, sent, r.attachments, actor.agency_id, now_ms));
  r.message_id = sent.message_id;
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("UPDATE mla_requests SET message_id = ? WHERE id = ?", {r.message_id, r.id})
          .status());
  r.history = {sent};
  return r;
}

Result<Request> GetRequest(store::Transaction& tx, const messaging::DataKey& data_key,
                           std::string_view id, const Actor& viewer, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(Request r, internal::LoadVisible(tx, data_key, id, viewer, now_ms));
  NCBNET_ASSIGN_OR_RETURN(r.history, internal::LoadHistory(tx, data_key, r.id));
  return r;
}

Result<std::vector<Request>> ListRequests(store::Transaction& tx,
                                          const messaging::DataKey& data_key, const Actor& viewer,
                                          const Filter& filter, std::int64_t now_ms) {
  if (filter.limit < 1 || filter.limit > 500) {
    return Status::InvalidArgument("invalid_request", "limit must be 1 to 500");
  }
  // An NCB is party to its country's requests both ways; another agency only to those it sent
  // or was assigned. "" matches no country.
  const bool ncb = !viewer.country.empty() && viewer.agency_id == access::NcbIdFor(viewer.country);
  const std::string country = ncb ? viewer.country : std::string();
  const std::string out = "(r.requesting_agency = ? OR r.requesting_country = ?)";
  const std::string in = "(r.requested_country = ? OR r.assigned_agency = ?)";
  std::string sql =
      "SELECT " + std::string(internal::kRequestColumns) + " FROM mla_requests r WHERE ";
  std::vector<store::Value> params;
  if (filter.direction == Direction::kOutgoing) {
    sql += out;
    params = {viewer.agency_id, country};
  } else if (filter.direction == Direction::kIncoming) {
    sql += in;
    params = {country, viewer.agency_id};
  } else {
    sql += "(" + out + " OR " + in + ")";
    params = {viewer.agency_id, country, country, viewer.agency_id};
  }
  if (filter.state) {
    sql += " AND r.state = ?";
    params.emplace_back(StateName(*filter.state));
  }
  if (filter.overdue_only) {
    sql += " AND r.state IN ('sent', 'received', 'in_progress') AND r.deadline_ms < ?";
    params.emplace_back(now_ms);
  }
  if (!filter.before.empty()) {
    // Only its place in the order: a damaged request still ends a page (ListRequests marks it).
    NCBNET_ASSIGN_OR_RETURN(const store::Row before,
                            internal::LoadVisibleRow(tx, filter.before, viewer));
    const std::int64_t before_ms = before[11].AsInt();
    sql += " AND (r.created_ms < ? OR (r.created_ms = ? AND r.id < ?))";
    params.insert(params.end(), {before_ms, before_ms, before[0].AsText()});
  }
  sql += " ORDER BY r.created_ms DESC, r.id DESC LIMIT ?";
  params.emplace_back(filter.limit);
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows, tx.Query(sql, params));
  std::vector<Request> found;
  found.reserve(rows.size());
  for (const store::Row& row : rows) {
    Result<Request> r = internal::DecodeRequest(data_key, row, now_ms);
    if (!r.ok() && r.status().code() == StatusCode::kDataLoss) {
      // One damaged request must not hide the caller's others: listed as damaged, id only.
      Request marked;
      marked.id = row[0].AsText();
      marked.damaged = r.status().reason();
      found.push_back(std::move(marked));
      continue;
    }
    if (!r.ok()) return r.status();
    found.push_back(std::move(*r));
  }
  return found;
}

}  // namespace ncbnet::mla
