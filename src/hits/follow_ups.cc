// AddFollowUp: each side's conclusion on a hit, told to the other side.
#include <algorithm>

#include "access/agencies.h"
#include "hits/hits.h"
#include "hits/internal/hit_rows.h"
#include "hits/internal/notices.h"
#include "messaging/hub_messages.h"
#include "messaging/message.h"

namespace ncbnet::hits {
namespace {

constexpr std::size_t kMaxNoteBytes = 4000;

Status BadFollowUp(std::string_view why) {
  return Status::InvalidArgument("invalid_follow_up", std::string(why));
}

// The agencies of the side opposite `side`, without the viewer's own.
std::vector<std::string> OtherSide(const Hit& h, Side side, std::string_view me) {
  std::vector<std::string> to;
  if (side == Side::kOwner) {
    to.push_back(h.checker_agency);
    if (!h.checker_country.empty()) to.push_back(access::NcbIdFor(h.checker_country));
  } else {
    to.push_back(h.owner_agency);
  }
  std::sort(to.begin(), to.end());
  to.erase(std::unique(to.begin(), to.end()), to.end());
  std::erase(to, std::string(me));
  return to;
}

}  // namespace

Result<Hit> AddFollowUp(store::Transaction& tx, const messaging::DataKey& data_key,
                        const crypto::SigningKey& hub_key, std::string_view hit_id,
                        const HitViewer& viewer, std::string_view user_id, FollowUpState state,
                        std::string_view note, std::int64_t now_ms) {
  Side side = Side::kChecker;
  NCBNET_ASSIGN_OR_RETURN(Hit hit, internal::LoadVisibleHit(tx, hit_id, viewer, side));
  if (state == FollowUpState::kOpen) return BadFollowUp("state must not be open");
  if (note.size() > kMaxNoteBytes) return BadFollowUp("note must be at most 4000 bytes");
  if (!messaging::IsCleanText(note, /*multiline=*/true)) {
    return BadFollowUp("note must be UTF-8 without control characters but tab and newlines");
  }
  const FollowUpState current = side == Side::kOwner ? hit.owner_state : hit.checker_state;
  if (current == FollowUpState::kClosed) {
    return Status::FailedPrecondition("hit_closed", "this side has closed the hit");
  }
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> last,
      tx.QueryOne("SELECT COALESCE(MAX(seq), 0) FROM hit_follow_ups WHERE hit_id = ?", {hit.id}));
  const FollowUp f{(last ? last->front().AsInt() : 0) + 1,
                   side,
                   state,
                   viewer.agency_id,
                   std::string(user_id),
                   std::string(note),
                   now_ms};
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO hit_follow_ups (hit_id, seq, side, state, agency_id, user_id, note,"
              " created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              {hit.id, f.seq, SideName(side), FollowUpStateName(state), f.agency_id, f.user_id,
               f.note, now_ms})
          .status());
  // Column names come from the two fixed strings below, never from input.
  const std::string sql = side == Side::kOwner
                              ? "UPDATE hits SET owner_state = ?, owner_state_ms = ? WHERE id = ?"
                              : "UPDATE hits SET checker_state = ?, checker_state_ms = ?"
                                " WHERE id = ?";
  NCBNET_RETURN_IF_ERROR(tx.Exec(sql, {FollowUpStateName(state), now_ms, hit.id}).status());

  messaging::HubMessage notice = internal::FollowUpNotice(hit, f);
  NCBNET_ASSIGN_OR_RETURN(notice.to_agencies,
                          access::EnabledAgencies(tx, OtherSide(hit, side, viewer.agency_id)));
  if (!notice.to_agencies.empty()) {
    NCBNET_RETURN_IF_ERROR(
        messaging::SendHubMessage(tx, data_key, hub_key, notice, now_ms).status());
  }
  return GetHit(tx, hit.id, viewer);
}

}  // namespace ncbnet::hits
