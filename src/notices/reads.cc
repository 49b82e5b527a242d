// Reads of notices (notices.h): one, lists, history, and their JSON.
#include "core/time_format.h"
#include "notices/internal/notice_rows.h"

namespace ncbnet::notices {
namespace {

using nlohmann::json;

json OptionalTime(const std::optional<std::int64_t>& ms) {
  return ms ? json(FormatIsoMillis(*ms)) : json(nullptr);
}

// The WHERE clause of a list for `actor`.
Result<std::string> ScopeClause(const Actor& actor, const NoticeFilter& f,
                                std::vector<store::Value>& params) {
  if (f.scope == "own") {
    if (actor.country.empty()) {
      return Status::InvalidArgument("invalid_request", "the GS has no notices of its own");
    }
    params.emplace_back(actor.country);
    return std::string("requesting_country = ?");
  }
  if (f.scope == "live") {
    return std::string(
        "((channel = 'notice' AND state = 'published') OR"
        " (channel = 'diffusion' AND state = 'circulated'))");
  }
  if (f.scope == "review") {
    if (!actor.may_review) {
      return Status::PermissionDenied("not_reviewer", "only the General Secretariat reviews");
    }
    return std::string(
        "((channel = 'notice' AND (state = 'under_review' OR (state = 'published' AND"
        " pending_action != ''))) OR (channel = 'diffusion' AND state = 'circulated' AND"
        " reviewed_ms IS NULL))");
  }
  return Status::InvalidArgument("invalid_request", "scope must be own, live or review");
}

}  // namespace

Result<Notice> GetNotice(store::Transaction& tx, const Keys& keys, const Actor& actor,
                         std::string_view id) {
  return internal::LoadVisible(tx, keys, actor, id);
}

Result<std::vector<Notice>> ListNotices(store::Transaction& tx, const Keys& keys,
                                        const Actor& actor, const NoticeFilter& f) {
  if (f.limit < 1 || f.limit > 500) {
    return Status::InvalidArgument("invalid_request", "limit must be in [1, 500]");
  }
  std::vector<store::Value> params;
  NCBNET_ASSIGN_OR_RETURN(std::string where, ScopeClause(actor, f, params));
  const std::pair<const char*, const std::string*> filters[] = {
      {"channel", &f.channel}, {"state", &f.state}, {"kind", &f.kind}};
  for (const auto& [column, value] : filters) {
    if (value->empty()) continue;
    where += std::string(" AND ") + column + " = ?";
    params.emplace_back(*value);
  }
  // Visibility is decided on each row as for a single read, so a list never shows more.
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<Notice> found,
      internal::LoadNotices(tx, keys, where, params, f.limit, internal::Damaged::kMark));
  std::vector<Notice> out;
  for (Notice& n : found) {
    if (internal::MaySee(n, actor)) out.push_back(std::move(n));
  }
  return out;
}

Result<std::vector<Event>> History(store::Transaction& tx, const Keys& keys, const Actor& actor,
                                   std::string_view id) {
  NCBNET_ASSIGN_OR_RETURN(const Notice n, internal::LoadVisible(tx, keys, actor, id));
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<store::Row> rows,
      tx.Query("SELECT seq, action, state, agency_id, user_id, note, created_ms FROM"
               " notice_events WHERE notice_id = ? ORDER BY seq",
               {n.id}));
  std::vector<Event> out;
  for (const store::Row& r : rows) {
    out.push_back({r[0].AsInt(), r[1].AsText(), r[2].AsText(), r[3].AsText(), r[4].AsText(),
                   r[5].AsText(), r[6].AsInt()});
  }
  return out;
}

json NoticeJson(const Notice& n, const Actor& viewer) {
  json images = json::array();
  for (const ImageInfo& i : n.images) {
    images.push_back(
        {{"seq", i.seq}, {"media_type", i.media_type}, {"sha256", i.sha256}, {"size", i.size}});
  }
  json recipients = n.recipients.empty() ? json("*") : json(n.recipients);
  json j = {{"id", n.id},
            {"channel", n.channel},
            {"kind", n.kind},
            {"control_number", n.control_number.empty() ? json(nullptr) : json(n.control_number)},
            {"requesting_country", n.requesting_country},
            {"requesting_agency", n.requesting_agency},
            {"state", n.state},
            {"live", IsLive(n)},
            {"version", n.version},
            {"fields", n.fields},
            {"public_consent", n.public_consent},
            {"recipients", recipients},
            {"images", images},
            {"created", FormatIsoMillis(n.created_ms)},
            {"updated", FormatIsoMillis(n.updated_ms)},
            {"published", OptionalTime(n.published_ms)},
            {"expires", OptionalTime(n.expires_ms)},
            {"reviewed", OptionalTime(n.reviewed_ms)}};
  if (n.channel == "notice") j.erase("recipients");
  if (internal::IsRequester(n, viewer) || viewer.may_review) {
    j["pending_action"] = n.pending_action.empty() ? json(nullptr) : json(n.pending_action);
    if (!n.pending_fields.is_null()) j["pending_fields"] = n.pending_fields;
    j["record_id"] = n.record_id.empty() ? json(nullptr) : json(n.record_id);
  }
  if (viewer.may_review) j["findings"] = n.findings;
  if (!n.damaged.empty()) {
    // What is sealed could not be read: say so rather than show empty fields as the notice's.
    j["damaged"] = n.damaged;
    j.erase("fields");
    j.erase("pending_fields");
  }
  return j;
}

json EventJson(const Event& e) {
  return {{"seq", e.seq},
          {"action", e.action},
          {"state", e.state},
          {"agency_id", e.agency_id},
          {"user_id", e.user_id},
          {"note", e.note},
          {"time", FormatIsoMillis(e.created_ms)}};
}

}  // namespace ncbnet::notices
