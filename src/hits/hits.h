// Hits (issue 4, item 7): every match of a check is a hit, recorded with who checked, from
// which agency or terminal, when, what matched and with what score. The owner NCB is told at
// once by a hub message in its mailbox (messaging/hub_messages.h), and both sides record their
// follow-up (confirmed, not the same person, action taken, closed) with times; each follow-up
// is messaged to the other side. Plain functions on a caller's store transaction, so the API
// layer appends its audit entry in the same transaction (api/request_context.h).
//
// Who sees a hit (decided here, for every read and follow-up):
// - the checking side: the agency that checked, and the NCB of its country;
// - the owner side: the NCB that owns the record.
// Nobody else, the GS included (unless it checked itself): to anyone else a hit does not exist
// (kNotFound "hit_not_found", exactly as an unknown id). A national agency of the owner's
// country that did not check does not see hits on its NCB's records.
// An agency that checked is on the checking side, even on its own record; otherwise the owner
// NCB is on the owner side, even when one of its own agencies checked (a domestic hit).
//
// Thread safety: plain functions; a Transaction belongs to its callback.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "access/agencies.h"
#include "core/status.h"
#include "crypto/sign.h"
#include "messaging/message_service.h"
#include "records/records.h"
#include "store/store.h"

namespace ncbnet::hits {

// Who ran the check. The API layer fills it from the principal and its agency.
struct Checker {
  std::string agency_id;
  std::string user_id;    // empty for a system (client certificate)
  std::string user_name;  // shown to the owner in the notification; may be empty
  std::string country;    // the agency's country (empty for the GS)
  access::AgencyKind kind = access::AgencyKind::kAgency;  // kTerminal: a frontline terminal
};

// What the caller says about the circumstances of the check: all optional, each at most 200
// bytes of UTF-8 without control characters. Copied into the hit and the owner's notification.
struct CheckContext {
  std::string location;   // "Paris CDG, terminal 2E, gate K41"
  std::string port;       // a port, airport or crossing code ("FRCDG", "CDG")
  std::string flight;     // flight, voyage or vehicle ("AF1234")
  std::string reason;     // why the check was made ("border control", "traffic stop")
  std::string reference;  // the checker's own case or request reference
};

// Reads {"location", "port", "flight", "reason", "reference"} (every key optional; a missing
// or null "context" is an empty context). Errors: kInvalidArgument "invalid_context" naming
// the key (unknown key, not a string, too long, control characters).
Result<CheckContext> ParseCheckContext(const nlohmann::json& json);
nlohmann::json CheckContextJson(const CheckContext& c);

enum class MatchKind { kIdentifier, kName };
std::string_view MatchKindName(MatchKind k);

// What matched in one record.
struct MatchInfo {
  MatchKind kind = MatchKind::kIdentifier;
  // kIdentifier: the schema's identifier name ("document", "vin") and the normalised value
  // checked ("FRA:AB1234567"). kName: the name as the checker typed it (at most 200 bytes),
  // and `identifier` empty.
  std::string identifier;
  std::string value;
  double score = 1.0;       // 1 for identifiers; the name search's score in [0, 1]
  std::string explanation;  // name search: which parts matched (at most 1,000 bytes)
};

// One recorded hit, as RecordHits returns it to the check that made it.
struct RecordedHit {
  std::string hit_id;  // "hit_" + 26 base32 characters
  std::string record_id;
  std::string action;  // the owner's instructions to the officer (records::Record::action)
};

// A notification lists and links (a message links at most 100 ids) this many hits, each with
// its record; it counts the rest of the check's hits on the same owner's records.
inline constexpr std::size_t kHitsPerNotification = 50;

// Records one hit per match (`records[i]` matched as `matched[i]`; the sizes must be equal,
// else kInvalidArgument "invalid_request") and sends, through messaging, one notification per
// owner NCB with the check's context: who checked, from which agency or terminal and country,
// when, what matched, the record ids and the hit ids (the first kHitsPerNotification hits; the
// message counts the others). Every hit names its owner's notification (notification_id). No
// message goes to an owner NCB that is itself the checker. Returns out[i] for records[i]. The
// caller has already decided the checker may see each record; RecordHits does not check visibility
// again. Needs a write transaction; the caller counts the hits in /metrics after it commits
// (api::Metrics::AddHits). Errors: kInvalidArgument "invalid_context" for a context beyond
// ParseCheckContext's limits, "invalid_request" for a MatchInfo out of bounds; SendHubMessage's
// errors (then nothing of the call may be committed: the caller fails its transaction).
Result<std::vector<RecordedHit>> RecordHits(
    store::Transaction& tx, const messaging::DataKey& data_key, const crypto::SigningKey& hub_key,
    const Checker& checker, const CheckContext& context, std::span<const records::Record> records,
    std::span<const MatchInfo> matched, std::int64_t now_ms);

enum class Side { kChecker, kOwner };
std::string_view SideName(Side s);

enum class FollowUpState { kOpen, kConfirmed, kNotSamePerson, kActionTaken, kClosed };
// Wire names: "open" (no follow-up yet; not accepted by AddFollowUp), "confirmed",
// "not_same_person", "action_taken", "closed".
std::string_view FollowUpStateName(FollowUpState s);
std::optional<FollowUpState> ParseFollowUpState(std::string_view name);

struct FollowUp {
  std::int64_t seq = 0;  // 1, 2, ... per hit
  Side side = Side::kChecker;
  FollowUpState state = FollowUpState::kConfirmed;
  std::string agency_id;
  std::string user_id;
  std::string note;  // at most 4,000 bytes
  std::int64_t created_ms = 0;
};

struct Hit {
  std::string id;
  std::string record_id;
  std::int64_t record_ref = 0;
  std::int64_t record_version = 0;
  std::string database;
  std::string owner_country;
  std::string owner_agency;
  std::string checker_agency;
  std::string checker_user;
  std::string checker_user_name;
  std::string checker_country;
  bool terminal = false;
  std::int64_t checked_ms = 0;
  MatchInfo matched;
  CheckContext context;
  FollowUpState checker_state = FollowUpState::kOpen;
  std::optional<std::int64_t> checker_state_ms;
  FollowUpState owner_state = FollowUpState::kOpen;
  std::optional<std::int64_t> owner_state_ms;
  std::string notification_id;       // the message sent to the owner NCB; empty if none
  std::vector<FollowUp> follow_ups;  // oldest first; filled by GetHit only
};

// Who asks, as hits decide sides: the agency, its kind and country.
struct HitViewer {
  std::string agency_id;
  std::string country;  // empty for the GS
  access::AgencyKind kind = access::AgencyKind::kAgency;
};

// The hit with its follow-ups, for a viewer on either side; else kNotFound "hit_not_found".
Result<Hit> GetHit(store::Transaction& tx, std::string_view hit_id, const HitViewer& viewer);

struct HitFilter {
  std::optional<Side> side;            // only hits where the viewer is on this side
  std::string database;                // empty: any
  std::string record_id;               // empty: any
  std::optional<FollowUpState> state;  // the viewer's side's state
  std::optional<std::int64_t> since_ms;
  std::string before;  // a hit id from the previous page: newer ones are skipped
  int limit = 100;     // 1..500
};

// Hits the viewer sees, newest first (checked_ms, then id), without follow-ups. Errors:
// kInvalidArgument "invalid_request" for a limit outside 1..500; kNotFound "hit_not_found" for
// a `before` the viewer cannot see.
Result<std::vector<Hit>> ListHits(store::Transaction& tx, const HitViewer& viewer,
                                  const HitFilter& filter);

// How many hits the viewer sees on `side` (as ListHits decides sides) per database, since
// `since_ms`: the console's dashboard. Sorted by database code.
struct DatabaseCount {
  std::string database;
  std::int64_t count = 0;
};
Result<std::vector<DatabaseCount>> HitsPerDatabase(store::Transaction& tx, const HitViewer& viewer,
                                                   Side side, std::int64_t since_ms);

// Adds a follow-up on the viewer's side (inferred as described above) and messages it to the
// other side (owner side: the owner NCB; checking side: the checking agency and its NCB).
// Errors: kNotFound "hit_not_found"; kInvalidArgument "invalid_follow_up" (state "open", a note
// too long or with control characters other than newlines and tabs); kFailedPrecondition
// "hit_closed" after that side closed it. Returns the hit as it is now, with follow-ups.
Result<Hit> AddFollowUp(store::Transaction& tx, const messaging::DataKey& data_key,
                        const crypto::SigningKey& hub_key, std::string_view hit_id,
                        const HitViewer& viewer, std::string_view user_id, FollowUpState state,
                        std::string_view note, std::int64_t now_ms);

// The JSON a client sees of a hit (docs/openapi.yaml, Hit); follow-ups included when present.
nlohmann::json HitJson(const Hit& h);

}  // namespace ncbnet::hits
