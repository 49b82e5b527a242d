// The names, texts and JSON of hits: the check context's parsing, enum names, HitJson.
#include <array>

#include "core/time_format.h"
#include "hits/hits.h"
#include "hits/internal/hit_rows.h"
#include "messaging/message.h"

namespace ncbnet::hits {
namespace {

constexpr std::size_t kMaxContextBytes = 200;

// The context's keys, in wire order, with the field each fills.
struct ContextKey {
  const char* name;
  std::string CheckContext::*field;
};
constexpr std::array<ContextKey, 5> kContextKeys = {{
    {"location", &CheckContext::location},
    {"port", &CheckContext::port},
    {"flight", &CheckContext::flight},
    {"reason", &CheckContext::reason},
    {"reference", &CheckContext::reference},
}};

Status BadContext(std::string_view why) {
  return Status::InvalidArgument("invalid_context", "context: " + std::string(why));
}

}  // namespace

Status internal::ValidateContext(const CheckContext& c) {
  for (const ContextKey& k : kContextKeys) {
    const std::string& v = c.*k.field;
    if (v.size() > kMaxContextBytes) {
      return BadContext(std::string(k.name) + " must be at most 200 bytes");
    }
    if (!messaging::IsCleanText(v, false)) {
      return BadContext(std::string(k.name) + " must be UTF-8 without control characters");
    }
  }
  return Status::Ok();
}

Result<CheckContext> ParseCheckContext(const nlohmann::json& json) {
  CheckContext c;
  if (json.is_null()) return c;
  if (!json.is_object()) return BadContext("must be an object");
  for (const auto& [key, value] : json.items()) {
    const ContextKey* found = nullptr;
    for (const ContextKey& k : kContextKeys) {
      if (key == k.name) found = &k;
    }
    if (found == nullptr) return BadContext("unknown key " + key.substr(0, 64));
    if (value.is_null()) continue;
    if (!value.is_string()) return BadContext(key + " must be a string");
    c.*found->field = value.get<std::string>();
  }
  NCBNET_RETURN_IF_ERROR(internal::ValidateContext(c));
  return c;
}

nlohmann::json CheckContextJson(const CheckContext& c) {
  nlohmann::json out = nlohmann::json::object();
  for (const ContextKey& k : kContextKeys) {
    if (!(c.*k.field).empty()) out[k.name] = c.*k.field;
  }
  return out;
}

std::string_view MatchKindName(MatchKind k) {
  return k == MatchKind::kName ? "name" : "identifier";
}

std::string_view SideName(Side s) { return s == Side::kOwner ? "owner" : "checker"; }

std::string_view FollowUpStateName(FollowUpState s) {
  switch (s) {
    case FollowUpState::kOpen:
      return "open";
    case FollowUpState::kConfirmed:
      return "confirmed";
    case FollowUpState::kNotSamePerson:
      return "not_same_person";
    case FollowUpState::kActionTaken:
      return "action_taken";
    case FollowUpState::kClosed:
      return "closed";
  }
  return "open";
}

std::optional<FollowUpState> ParseFollowUpState(std::string_view name) {
  for (FollowUpState s :
       {FollowUpState::kOpen, FollowUpState::kConfirmed, FollowUpState::kNotSamePerson,
        FollowUpState::kActionTaken, FollowUpState::kClosed}) {
    if (name == FollowUpStateName(s)) return s;
  }
  return std::nullopt;
}

namespace {

nlohmann::json SideJson(FollowUpState state, const std::optional<std::int64_t>& at_ms) {
  nlohmann::json out = {{"state", FollowUpStateName(state)}};
  out["updated_at"] = at_ms ? nlohmann::json(FormatIsoMillis(*at_ms)) : nlohmann::json();
  return out;
}

}  // namespace

nlohmann::json HitJson(const Hit& h) {
  nlohmann::json matched = {{"kind", MatchKindName(h.matched.kind)},
                            {"value", h.matched.value},
                            {"score", h.matched.score}};
  if (!h.matched.identifier.empty()) matched["identifier"] = h.matched.identifier;
  if (!h.matched.explanation.empty()) matched["explanation"] = h.matched.explanation;
  nlohmann::json out = {
      {"id", h.id},
      {"record", {{"id", h.record_id}, {"database", h.database}, {"version", h.record_version}}},
      {"owner", {{"agency", h.owner_agency}, {"country", h.owner_country}}},
      {"checker",
       {{"agency", h.checker_agency},
        {"user", h.checker_user},
        {"user_name", h.checker_user_name},
        {"country", h.checker_country},
        {"terminal", h.terminal}}},
      {"checked_at", FormatIsoMillis(h.checked_ms)},
      {"matched", std::move(matched)},
      {"context", CheckContextJson(h.context)},
      {"checker_side", SideJson(h.checker_state, h.checker_state_ms)},
      {"owner_side", SideJson(h.owner_state, h.owner_state_ms)},
  };
  if (!h.notification_id.empty()) out["notification_id"] = h.notification_id;
  nlohmann::json follow_ups = nlohmann::json::array();
  for (const FollowUp& f : h.follow_ups) {
    follow_ups.push_back({{"seq", f.seq},
                          {"side", SideName(f.side)},
                          {"state", FollowUpStateName(f.state)},
                          {"agency", f.agency_id},
                          {"user", f.user_id},
                          {"note", f.note},
                          {"at", FormatIsoMillis(f.created_ms)}});
  }
  if (!follow_ups.empty()) out["follow_ups"] = std::move(follow_ups);
  return out;
}

}  // namespace ncbnet::hits
