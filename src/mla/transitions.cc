// ApplyTransition: the requested side moves a request forward, the requesting side withdraws it.
#include "access/agencies.h"
#include "access/capabilities.h"
#include "access/grants.h"
#include "mla/internal/checks.h"
#include "mla/internal/rows.h"
#include "mla/mla.h"

namespace ncbnet::mla {
namespace {

bool AllowedFrom(State from, State to) {
  switch (to) {
    case State::kReceived:
      return from == State::kSent;
    case State::kInProgress:
      return from == State::kReceived;
    case State::kExecuted:
      return from == State::kInProgress;
    case State::kRefused:
      return from == State::kReceived || from == State::kInProgress;
    case State::kWithdrawn:
      return from == State::kSent || from == State::kReceived || from == State::kInProgress;
    case State::kSent:
      return false;
  }
  return false;
}

// Who may take the step: the requesting side withdraws, the requested side does the rest.
Status CheckSide(const Request& r, const Actor& actor, State to) {
  if (to == State::kWithdrawn) {
    if (internal::IsRequestingSide(r, actor)) return Status::Ok();
    return Status::PermissionDenied("not_requesting_side",
                                    "only the requesting side may withdraw a request");
  }
  if (internal::IsRequestedSide(r, actor)) return Status::Ok();
  return Status::PermissionDenied("not_requested_side",
                                  "only the requested side may move a request forward");
}

Status CheckStep(const Request& r, const Transition& t) {
  if (!AllowedFrom(r.state, t.to)) {
    return Status::FailedPrecondition(
        "invalid_transition", "a request " + std::string(StateName(r.state)) + " cannot become " +
                                  std::string(StateName(t.to)));
  }
  NCBNET_RETURN_IF_ERROR(internal::CheckText("note", t.note, kMaxNoteBytes, t.to == State::kRefused,
                                             /*multiline=*/true));
  if (!t.assign_to.empty() && t.to != State::kInProgress) {
    return internal::Invalid("assign_to", "is allowed only with to = in_progress");
  }
  if (!t.attachments.empty() && t.to != State::kExecuted && t.to != State::kRefused) {
    return internal::Invalid("attachments", "are allowed only with to = executed or refused");
  }
  return internal::CheckFiles(t.attachments);
}

// An enabled national agency below the requested NCB that may handle MLA requests.
Status CheckAssignee(store::Transaction& tx, const Request& r, const std::string& assignee,
                     std::int64_t now_ms) {
  const Status invalid = Status::InvalidArgument(
      "invalid_assignee", "assign_to must be an enabled agency under the requested NCB holding " +
                              std::string(access::kMlaRequest));
  const std::string ncb = access::NcbIdFor(r.requested_country);
  NCBNET_ASSIGN_OR_RETURN(std::optional<access::Agency> agency, access::FindAgency(tx, assignee));
  if (!agency || agency->disabled_ms || agency->kind != access::AgencyKind::kAgency) return invalid;
  NCBNET_ASSIGN_OR_RETURN(const bool below, access::IsInBranch(tx, ncb, assignee));
  if (!below) return invalid;
  NCBNET_ASSIGN_OR_RETURN(auto capabilities, access::LiveCapabilities(tx, assignee, now_ms));
  if (!capabilities.contains(access::kMlaRequest)) return invalid;
  return Status::Ok();
}

}  // namespace

Result<Request> ApplyTransition(store::Transaction& tx, const Keys& keys, std::string_view id,
                                const Actor& actor, const Transition& t, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(Request r, internal::LoadVisible(tx, keys.data_key, id, actor, now_ms));
  NCBNET_RETURN_IF_ERROR(CheckSide(r, actor, t.to));
  NCBNET_RETURN_IF_ERROR(CheckStep(r, t));
  if (!t.assign_to.empty()) {
    NCBNET_RETURN_IF_ERROR(CheckAssignee(tx, r, t.assign_to, now_ms));
    r.assigned_agency = t.assign_to;
  }
  r.state = t.to;
  r.updated_ms = now_ms;
  r.overdue = false;
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("UPDATE mla_requests SET state = ?, assigned_agency = ?, updated_ms = ? WHERE id = ?",
              {StateName(r.state), r.assigned_agency, now_ms, r.id})
          .status());
  Event e;
  e.state = t.to;
  e.agency_id = actor.agency_id;
  e.user_id = actor.user_id;
  e.assigned_agency = t.assign_to;
  e.note = t.note;
  e.attachments = t.attachments;
  // An assigned agency was not told of the request when it was sent: the step that assigns it
  // carries the request's files again, from the requesting agency that possesses them.
  const bool forward = !t.assign_to.empty() && !r.attachments.empty();
  NCBNET_RETURN_IF_ERROR(
      internal::RecordStep(tx, keys, r, e, forward ? r.attachments : t.attachments,
                           forward ? r.requesting_agency : actor.agency_id, now_ms));
  NCBNET_ASSIGN_OR_RETURN(r.history, internal::LoadHistory(tx, keys.data_key, r.id));
  r.overdue = internal::IsOverdue(r.state, r.deadline_ms, now_ms);
  return r;
}

}  // namespace ncbnet::mla
