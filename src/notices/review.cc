// The General Secretariat's review and the changes of live notices (notices.h).
#include "notices/internal/notice_rows.h"
#include "notices/internal/publication.h"
#include "notices/internal/steps.h"

namespace ncbnet::notices {
namespace {

using internal::Audience;

// The review of a published notice's pending update or extension.
Status ReviewPending(store::Transaction& tx, const Keys& keys, const Kind& kind, Notice& n,
                     const Actor& actor, Decision decision, std::string_view reasons,
                     std::int64_t now_ms) {
  if (decision == Decision::kRequestInfo) return internal::BadTransition("request_info on", n);
  const std::string action = n.pending_action;
  n.pending_action.clear();
  n.reviewed_ms = now_ms;
  if (decision == Decision::kReject) {
    n.pending_fields = nullptr;
    return internal::Commit(
        tx, keys, n, actor,
        {action == "update" ? "reject_update" : "reject_extension",
         action == "update" ? "update rejected" : "extension rejected", Audience::kRequester},
        reasons, now_ms);
  }
  if (action == "update") {
    n.fields = std::move(n.pending_fields);
  } else {
    n.expires_ms = now_ms + kValidityMs;
  }
  n.pending_fields = nullptr;
  NCBNET_RETURN_IF_ERROR(internal::RefreshLive(tx, keys, kind, n, now_ms));
  return internal::Commit(tx, keys, n, actor,
                          {action == "update" ? "update" : "extend",
                           action == "update" ? "updated" : "extended", Audience::kAll},
                          reasons, now_ms);
}

// A change by `actor` from one of `from` states to `to`, the notice no longer live after it.
Result<Notice> StopStep(store::Transaction& tx, const Keys& keys, const Actor& actor, Notice n,
                        std::initializer_list<std::string_view> from, std::string_view to,
                        const internal::Step& step, std::string_view reason, std::int64_t now_ms) {
  bool allowed = false;
  for (std::string_view s : from) allowed = allowed || n.state == s;
  if (!allowed) return internal::BadTransition(step.action, n);
  NCBNET_RETURN_IF_ERROR(internal::CheckNote(reason, false));
  const bool was_live = IsLive(n) || n.state == "suspended";
  n.state = std::string(to);
  n.pending_action.clear();
  n.pending_fields = nullptr;
  NCBNET_RETURN_IF_ERROR(internal::StopLive(tx, keys, n, reason, now_ms));
  internal::Step told = step;
  if (!was_live) told.audience = Audience::kRequester;
  NCBNET_RETURN_IF_ERROR(internal::Commit(tx, keys, n, actor, told, reason, now_ms));
  return n;
}

}  // namespace

bool IsLive(const Notice& n) {
  return (n.channel == "notice" && n.state == "published") ||
         (n.channel == "diffusion" && n.state == "circulated");
}

std::optional<Decision> ParseDecision(std::string_view name) {
  if (name == "approve") return Decision::kApprove;
  if (name == "reject") return Decision::kReject;
  if (name == "request_info") return Decision::kRequestInfo;
  return std::nullopt;
}

Result<Notice> Review(store::Transaction& tx, const Keys& keys, const Actor& actor,
                      std::string_view id, Decision decision, std::string_view reasons,
                      std::int64_t now_ms, std::string_view control_number) {
  NCBNET_ASSIGN_OR_RETURN(Notice n, internal::LoadForReview(tx, keys, actor, id));
  NCBNET_RETURN_IF_ERROR(internal::CheckNote(reasons, decision != Decision::kApprove));
  NCBNET_ASSIGN_OR_RETURN(const Kind* kind, internal::KindOf(n));
  if (n.channel == "notice" && n.state == "published" && !n.pending_action.empty()) {
    NCBNET_RETURN_IF_ERROR(ReviewPending(tx, keys, *kind, n, actor, decision, reasons, now_ms));
    return n;
  }
  if (n.channel != "notice" || n.state != "under_review")
    return internal::BadTransition("review", n);
  n.reviewed_ms = now_ms;
  internal::Step step;
  switch (decision) {
    case Decision::kApprove:
      n.state = "published";
      NCBNET_RETURN_IF_ERROR(internal::GoLive(tx, keys, *kind, n, now_ms, control_number));
      step = {"approve", "published", Audience::kAll};
      break;
    case Decision::kReject:
      n.state = "rejected";
      step = {"reject", "rejected", Audience::kRequester};
      break;
    case Decision::kRequestInfo:
      n.state = "info_requested";
      step = {"request_info", "returned for more information", Audience::kRequester};
      break;
  }
  NCBNET_RETURN_IF_ERROR(internal::Commit(tx, keys, n, actor, step, reasons, now_ms));
  return n;
}

Result<Notice> Cancel(store::Transaction& tx, const Keys& keys, const Actor& actor,
                      std::string_view id, std::string_view reason, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(Notice n, internal::LoadOwn(tx, keys, actor, id));
  if (n.channel == "diffusion") {
    return StopStep(tx, keys, actor, std::move(n), {"draft", "circulated"}, "cancelled",
                    {"cancel", "cancelled", Audience::kRecipients}, reason, now_ms);
  }
  return StopStep(tx, keys, actor, std::move(n),
                  {"draft", "under_review", "info_requested", "published", "suspended"},
                  "cancelled", {"cancel", "cancelled", Audience::kAll}, reason, now_ms);
}

Result<Notice> Suspend(store::Transaction& tx, const Keys& keys, const Actor& actor,
                       std::string_view id, std::string_view reason, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(Notice n, internal::LoadForReview(tx, keys, actor, id));
  if (n.channel != "notice") return internal::BadTransition("suspend", n);
  return StopStep(tx, keys, actor, std::move(n), {"published"}, "suspended",
                  {"suspend", "suspended", Audience::kAll}, reason, now_ms);
}

Result<Notice> Resume(store::Transaction& tx, const Keys& keys, const Actor& actor,
                      std::string_view id, std::string_view reason, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(Notice n, internal::LoadForReview(tx, keys, actor, id));
  if (n.channel != "notice" || n.state != "suspended") return internal::BadTransition("resume", n);
  NCBNET_RETURN_IF_ERROR(internal::CheckNote(reason, false));
  NCBNET_ASSIGN_OR_RETURN(const Kind* kind, internal::KindOf(n));
  n.state = "published";
  NCBNET_RETURN_IF_ERROR(internal::GoLive(tx, keys, *kind, n, now_ms));
  NCBNET_RETURN_IF_ERROR(
      internal::Commit(tx, keys, n, actor, {"resume", "resumed", Audience::kAll}, reason, now_ms));
  return n;
}

Result<Notice> Withdraw(store::Transaction& tx, const Keys& keys, const Actor& actor,
                        std::string_view id, std::string_view reason, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(Notice n, internal::LoadForReview(tx, keys, actor, id));
  if (n.channel != "notice") return internal::BadTransition("withdraw", n);
  return StopStep(tx, keys, actor, std::move(n), {"published", "suspended"}, "withdrawn",
                  {"withdraw", "withdrawn", Audience::kAll}, reason, now_ms);
}

Result<Notice> ReviewDiffusion(store::Transaction& tx, const Keys& keys, const Actor& actor,
                               std::string_view id, bool compliant, std::string_view reasons,
                               std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(Notice n, internal::LoadForReview(tx, keys, actor, id));
  if (n.channel != "diffusion" || n.state != "circulated" || n.reviewed_ms) {
    return internal::BadTransition("review", n);
  }
  NCBNET_RETURN_IF_ERROR(internal::CheckNote(reasons, !compliant));
  n.reviewed_ms = now_ms;
  if (!compliant) {
    return StopStep(tx, keys, actor, std::move(n), {"circulated"}, "withdrawn",
                    {"non_compliant", "withdrawn as non-compliant", Audience::kRecipients}, reasons,
                    now_ms);
  }
  NCBNET_RETURN_IF_ERROR(internal::Commit(
      tx, keys, n, actor, {"compliant", "found compliant", Audience::kRequester}, reasons, now_ms));
  return n;
}

Result<int> ExpireDue(store::Transaction& tx, const Keys& keys, std::int64_t now_ms, int limit) {
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<Notice> due,
      internal::LoadNotices(tx, keys,
                            "channel = 'notice' AND state IN ('published', 'suspended')"
                            " AND expires_ms <= ?",
                            {now_ms}, limit, internal::Damaged::kSkip));
  const Actor hub{"gs", "", "", access::AgencyKind::kGs, false, true};
  for (Notice& n : due) {
    NCBNET_RETURN_IF_ERROR(StopStep(tx, keys, hub, std::move(n), {"published", "suspended"},
                                    "expired", {"expire", "expired", Audience::kRequester}, "",
                                    now_ms)
                               .status());
  }
  return static_cast<int>(due.size());
}

}  // namespace ncbnet::notices
