// Drafts, submission and circulation (notices.h): what the requesting country does before the
// General Secretariat's review.
#include <algorithm>
#include <set>

#include "core/countries.h"
#include "crypto/random.h"
#include "notices/internal/checks.h"
#include "notices/internal/notice_rows.h"
#include "notices/internal/publication.h"
#include "notices/internal/steps.h"

namespace ncbnet::notices {
namespace {

using internal::Audience;
using nlohmann::json;

Status BadInput(const std::string& why) { return Status::InvalidArgument("invalid_notice", why); }

Result<std::vector<std::string>> ParseRecipients(const json& v) {
  if (v.is_string() && v.get<std::string>() == "*") return std::vector<std::string>();
  if (!v.is_array() || v.empty() || v.size() > 195) {
    return BadInput("recipients: \"*\" or a list of 1 to 195 country codes");
  }
  std::set<std::string> out;
  for (const json& c : v) {
    if (!c.is_string() || !IsAlpha3(c.get<std::string>())) {
      return BadInput("recipients: each an ISO 3166-1 alpha-3 code in upper case");
    }
    out.insert(c.get<std::string>());
  }
  return std::vector<std::string>(out.begin(), out.end());
}

// Each recipient must be a country of the network (its NCB exists).
Status CheckRecipientsExist(store::Transaction& tx, const std::vector<std::string>& recipients) {
  for (const std::string& c : recipients) {
    NCBNET_ASSIGN_OR_RETURN(std::optional<access::Agency> ncb,
                            access::FindAgency(tx, access::NcbIdFor(c)));
    if (!ncb || ncb->kind != access::AgencyKind::kNcb) {
      return BadInput("recipients: " + c + " is not a country of the network");
    }
  }
  return Status::Ok();
}

Status ApplyInput(store::Transaction& tx, const Kind& kind, Notice& n, const DraftInput& in) {
  NCBNET_ASSIGN_OR_RETURN(n.fields, internal::ValidateDraftFields(kind, in.fields));
  if (in.public_consent) n.public_consent = *in.public_consent;
  if (in.recipients) {
    NCBNET_RETURN_IF_ERROR(CheckRecipientsExist(tx, *in.recipients));
    n.recipients = *in.recipients;
  }
  return Status::Ok();
}

// The checks of a submission or circulation: problems refuse it (listed in *problems).
Status RequireComplete(const Kind& kind, const json& fields, std::vector<Problem>* problems,
                       std::int64_t now_ms) {
  std::vector<Problem> found = internal::CheckComplete(kind, fields, now_ms);
  if (found.empty()) return Status::Ok();
  std::string message = "the notice is incomplete:";
  for (const Problem& p : found) message += " " + p.field + " (" + p.problem + ")";
  if (problems != nullptr) *problems = std::move(found);
  return Status::InvalidArgument("notice_incomplete", message);
}

}  // namespace

Result<DraftInput> ParseDraftInput(const json& body, std::string_view channel, bool kind_required) {
  static const std::set<std::string, std::less<>> kKnown = {"kind", "fields", "public_consent",
                                                            "recipients", "version"};
  if (!body.is_object()) return BadInput("the body is not an object");
  for (const auto& [key, value] : body.items()) {
    if (!kKnown.contains(key)) return BadInput("unknown key '" + key.substr(0, 64) + "'");
  }
  DraftInput in;
  if (const auto it = body.find("kind"); it != body.end()) {
    if (!it->is_string()) return BadInput("kind: not a string");
    if (!kind_required) return BadInput("kind: a draft's kind cannot change");
    in.kind = it->get<std::string>();
    NCBNET_RETURN_IF_ERROR(Kinds::Builtin().Find(in.kind).status());
  } else if (kind_required) {
    return BadInput("kind is required");
  }
  if (const auto it = body.find("fields"); it != body.end()) {
    if (!it->is_object()) return BadInput("fields: not an object");
    in.fields = *it;
  }
  if (const auto it = body.find("public_consent"); it != body.end()) {
    if (!it->is_boolean()) return BadInput("public_consent: not a boolean");
    if (channel == "diffusion") return BadInput("public_consent: diffusions are never public");
    in.public_consent = it->get<bool>();
  }
  if (const auto it = body.find("recipients"); it != body.end()) {
    if (channel != "diffusion") return BadInput("recipients: only diffusions have recipients");
    NCBNET_ASSIGN_OR_RETURN(in.recipients, ParseRecipients(*it));
  } else if (channel == "diffusion" && kind_required) {
    return BadInput("recipients is required: \"*\" or a list of countries");
  }
  return in;
}

json ProblemsJson(const std::vector<Problem>& problems) {
  json out = json::array();
  for (const Problem& p : problems) out.push_back({{"field", p.field}, {"problem", p.problem}});
  return out;
}

Result<Notice> CreateDraft(store::Transaction& tx, const Keys& keys, const Actor& actor,
                           std::string_view channel, const DraftInput& input, std::int64_t now_ms) {
  if (actor.country.empty() || !actor.may_request) {
    return Status::PermissionDenied("not_requesting_country",
                                    "notices are requested by a member country");
  }
  if (channel != "notice" && channel != "diffusion") return BadInput("unknown channel");
  NCBNET_ASSIGN_OR_RETURN(const Kind* kind, Kinds::Builtin().Find(input.kind));
  Notice n;
  n.id = crypto::NewId(channel == "notice" ? "ntc" : "dif");
  n.channel = std::string(channel);
  n.kind = kind->name;
  n.requesting_agency = actor.agency_id;
  n.requesting_country = actor.country;
  n.state = "draft";
  NCBNET_RETURN_IF_ERROR(ApplyInput(tx, *kind, n, input));
  n.created_ms = n.updated_ms = now_ms;
  NCBNET_RETURN_IF_ERROR(internal::InsertNotice(tx, keys, n));
  NCBNET_RETURN_IF_ERROR(internal::AppendEvent(tx, n, "create", actor, "", now_ms).status());
  return n;
}

Result<Notice> EditDraft(store::Transaction& tx, const Keys& keys, const Actor& actor,
                         std::string_view id, const DraftInput& input,
                         std::optional<std::int64_t> expected_version, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(Notice n, internal::LoadOwn(tx, keys, actor, id));
  if (n.state != "draft" && n.state != "info_requested") {
    return internal::BadTransition("edit", n);
  }
  if (expected_version && *expected_version != n.version) {
    return Status::FailedPrecondition("version_conflict", "the notice changed meanwhile");
  }
  NCBNET_ASSIGN_OR_RETURN(const Kind* kind, internal::KindOf(n));
  NCBNET_RETURN_IF_ERROR(ApplyInput(tx, *kind, n, input));
  NCBNET_RETURN_IF_ERROR(internal::SaveNotice(tx, keys, n, now_ms));
  NCBNET_RETURN_IF_ERROR(internal::AppendEvent(tx, n, "edit", actor, "", now_ms).status());
  return n;
}

Result<Notice> Submit(store::Transaction& tx, const Keys& keys, const Actor& actor,
                      std::string_view id, std::vector<Problem>* problems, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(Notice n, internal::LoadOwn(tx, keys, actor, id));
  if (n.channel != "notice" || (n.state != "draft" && n.state != "info_requested")) {
    return internal::BadTransition("submit", n);
  }
  NCBNET_ASSIGN_OR_RETURN(const Kind* kind, internal::KindOf(n));
  NCBNET_RETURN_IF_ERROR(RequireComplete(*kind, n.fields, problems, now_ms));
  NCBNET_ASSIGN_OR_RETURN(n.findings, internal::FindDuplicates(tx, keys, *kind, n));
  n.state = "under_review";
  const std::string note =
      n.findings.empty() ? "" : std::to_string(n.findings.size()) + " possible duplicate(s)";
  NCBNET_RETURN_IF_ERROR(internal::Commit(
      tx, keys, n, actor, {"submit", "submitted for review", Audience::kRequester}, note, now_ms));
  return n;
}

Result<Notice> Circulate(store::Transaction& tx, const Keys& keys, const Actor& actor,
                         std::string_view id, std::vector<Problem>* problems, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(Notice n, internal::LoadOwn(tx, keys, actor, id));
  if (n.channel != "diffusion" || n.state != "draft") {
    return internal::BadTransition("circulate", n);
  }
  NCBNET_ASSIGN_OR_RETURN(const Kind* kind, internal::KindOf(n));
  NCBNET_RETURN_IF_ERROR(RequireComplete(*kind, n.fields, problems, now_ms));
  NCBNET_RETURN_IF_ERROR(CheckRecipientsExist(tx, n.recipients));
  NCBNET_ASSIGN_OR_RETURN(n.findings, internal::FindDuplicates(tx, keys, *kind, n));
  n.state = "circulated";
  NCBNET_RETURN_IF_ERROR(internal::GoLive(tx, keys, *kind, n, now_ms));
  NCBNET_RETURN_IF_ERROR(internal::Commit(
      tx, keys, n, actor, {"circulate", "circulated", Audience::kRecipients}, "", now_ms));
  return n;
}

Result<Notice> ProposeUpdate(store::Transaction& tx, const Keys& keys, const Actor& actor,
                             std::string_view id, const json& fields,
                             std::vector<Problem>* problems, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(Notice n, internal::LoadOwn(tx, keys, actor, id));
  if (n.channel != "notice" || n.state != "published" || !n.pending_action.empty()) {
    return internal::BadTransition("update", n);
  }
  NCBNET_ASSIGN_OR_RETURN(const Kind* kind, internal::KindOf(n));
  NCBNET_ASSIGN_OR_RETURN(json valid, internal::ValidateDraftFields(*kind, fields));
  NCBNET_RETURN_IF_ERROR(RequireComplete(*kind, valid, problems, now_ms));
  n.pending_action = "update";
  n.pending_fields = std::move(valid);
  NCBNET_RETURN_IF_ERROR(internal::Commit(
      tx, keys, n, actor, {"propose_update", "update proposed for review", Audience::kRequester},
      "", now_ms));
  return n;
}

Result<Notice> ProposeExtension(store::Transaction& tx, const Keys& keys, const Actor& actor,
                                std::string_view id, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(Notice n, internal::LoadOwn(tx, keys, actor, id));
  if (n.channel != "notice" || n.state != "published" || !n.pending_action.empty()) {
    return internal::BadTransition("extend", n);
  }
  n.pending_action = "extend";
  NCBNET_RETURN_IF_ERROR(internal::Commit(
      tx, keys, n, actor,
      {"propose_extension", "extension proposed for review", Audience::kRequester}, "", now_ms));
  return n;
}

}  // namespace ncbnet::notices
