// Mutual legal assistance and extradition requests (issue 6, item 5; docs/mla.md): a structured
// request from one country's central authority (its NCB, or a national agency under it holding
// mla.request, such as a ministry of justice) to another country, delivered to that country's
// NCB, with attachments, tracked through states with a deadline:
//
//   sent -> received -> in_progress -> executed
//                   \              \-> refused
//                    \-> refused
//   sent | received | in_progress -> withdrawn (by the requesting side)
//
// The requested NCB acknowledges (received), starts work (in_progress, optionally assigning
// the request to one of its own agencies), and executes it (with the result and files) or
// refuses it (with reasons); the requesting side may withdraw it before it is executed or
// refused. Every state change writes a history row and a hub message to the parties
// (messaging/hub_messages.h), in the caller's transaction, where the API layer also appends its
// audit entry (api/request_context.h).
//
// Who sees a request (decided here, for every read and change): its parties, that is the
// requesting agency, the requesting country's NCB, the requested country's NCB and the agency
// the request is assigned to. Nobody else, the GS included: to anyone else a request does not
// exist (kNotFound "mla_request_not_found", exactly as an unknown id).
//
// Text (references, facts, measures, persons, notes, file names) is sealed at rest with
// XChaCha20-Poly1305 under a subkey of the data key (context "ncbn-mla"), bound to the request.
// Files are messaging attachments (messaging/attachments.h): the acting agency must possess
// them, and they travel on the hub message of the step that adds them, through which the
// parties read them; the blobs are kept as long as that message is.
//
// Thread safety: plain functions; a Transaction belongs to its callback.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "crypto/sign.h"
#include "messaging/message.h"
#include "messaging/message_service.h"
#include "store/store.h"

namespace ncbnet::mla {

enum class RequestType { kMla, kExtradition };
enum class State { kSent, kReceived, kInProgress, kExecuted, kRefused, kWithdrawn };
enum class Urgency { kRoutine, kUrgent };

// Wire names: "mla", "extradition"; "sent", "received", "in_progress", "executed", "refused",
// "withdrawn"; "routine", "urgent".
std::string_view RequestTypeName(RequestType t);
std::optional<RequestType> ParseRequestType(std::string_view name);
std::string_view StateName(State s);
std::optional<State> ParseState(std::string_view name);
std::string_view UrgencyName(Urgency u);
std::optional<Urgency> ParseUrgency(std::string_view name);

// Limits, in bytes of UTF-8. Single-line texts allow no control characters; multi-line ones
// (facts, notes) allow tab and newlines.
inline constexpr std::size_t kMaxReferenceBytes = 100;  // case_reference
inline constexpr std::size_t kMaxLineBytes = 500;       // legal_basis, summary, each person
inline constexpr std::size_t kMaxFactsBytes = 20'000;   // facts
inline constexpr std::size_t kMaxMeasureBytes = 1'000;  // each measure
inline constexpr std::size_t kMaxNoteBytes = 4'000;     // a transition's note
inline constexpr std::size_t kMaxItems = 20;            // measures, persons
inline constexpr std::int64_t kMaxDeadlineMs = std::int64_t{3} * 366 * 24 * 3600 * 1000;

// The request's text, as the requesting authority wrote it.
struct RequestText {
  std::string case_reference;         // the requesting authority's own reference, required
  std::string legal_basis;            // treaty or law relied on, required
  std::string summary;                // one line: what and why, required
  std::string facts;                  // the facts of the case, required, multi-line
  std::vector<std::string> measures;  // what is asked (1..20): "bank records of ...", ...
  std::vector<std::string> persons;   // persons concerned (0..20), one line each
};

// Who acts or reads: the caller's agency, its country (empty for the GS) and user.
struct Actor {
  std::string agency_id;
  std::string country;
  std::string user_id;  // empty for a system (client certificate)
};

struct NewRequest {
  RequestType type = RequestType::kMla;
  std::string requested_country;  // ISO 3166-1 alpha-3
  Urgency urgency = Urgency::kRoutine;
  std::int64_t deadline_ms = 0;  // when the answer is due
  RequestText text;
  std::vector<messaging::AttachmentRef> attachments;  // possessed by the requesting agency
};

struct Event {
  std::int64_t seq = 0;  // 1, 2, ... per request; 1 is "sent"
  State state = State::kSent;
  std::string agency_id;
  std::string user_id;
  std::string assigned_agency;  // in_progress with an assignment; else empty
  std::string note;
  std::vector<messaging::AttachmentRef> attachments;
  std::string message_id;  // the hub message that told the parties (and carries the files)
  std::int64_t created_ms = 0;
};

struct Request {
  std::string id;  // "mla_" + 26 base32 characters
  RequestType type = RequestType::kMla;
  std::string requesting_agency;
  std::string requesting_country;
  std::string requested_country;
  std::string assigned_agency;  // empty if none
  State state = State::kSent;
  Urgency urgency = Urgency::kRoutine;
  RequestText text;
  std::vector<messaging::AttachmentRef> attachments;
  std::string message_id;  // the message that transmitted it, with its attachments
  std::int64_t deadline_ms = 0;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  bool overdue = false;        // still open (sent, received, in_progress) past its deadline
  std::vector<Event> history;  // oldest first; filled by GetRequest and the changes only
  // Set ("mla_text_damaged") on a request in a list whose stored row no longer opens; then
  // only `id` is known. GetRequest and every change fail with kDataLoss instead.
  std::string damaged;
};

// The hub's keys: the data key seals text at rest, the hub key signs the hub's messages.
struct Keys {
  const messaging::DataKey& data_key;
  const crypto::SigningKey& hub_key;
};

// Checks and stores a request from `actor` and sends it to the parties (state sent). Errors:
// kPermissionDenied "no_requesting_country" (the GS, which has no country);
// kInvalidArgument "unknown_country" (requested country not a member with an enabled NCB),
// "own_country" (the actor's own), "deadline_in_past", "text_too_long" (naming the field),
// "invalid_mla_request" (a missing or malformed field, naming it), "unknown_attachment" (a
// file the actor's agency does not possess); SendHubMessage's errors. Needs a write transaction;
// on an error the caller must not commit.
Result<Request> CreateRequest(store::Transaction& tx, const Keys& keys, const Actor& actor,
                              const NewRequest& request, std::int64_t now_ms);

// The request with its history, for a party; else kNotFound "mla_request_not_found".
// kDataLoss "mla_text_damaged" when sealed text does not open.
Result<Request> GetRequest(store::Transaction& tx, const messaging::DataKey& data_key,
                           std::string_view id, const Actor& viewer, std::int64_t now_ms);

enum class Direction { kOutgoing, kIncoming };  // the viewer requests / is requested

struct Filter {
  std::optional<Direction> direction = std::nullopt;
  std::optional<State> state = std::nullopt;
  bool overdue_only = false;
  std::string before = {};  // a request id from the previous page: newer ones are skipped
  int limit = 100;          // 1..500
};

// Requests the viewer is party to, newest first, without history. Errors: kInvalidArgument
// "invalid_request" for a limit outside 1..500; kNotFound "mla_request_not_found" for a
// `before` the viewer cannot see.
Result<std::vector<Request>> ListRequests(store::Transaction& tx,
                                          const messaging::DataKey& data_key, const Actor& viewer,
                                          const Filter& filter, std::int64_t now_ms);

struct Transition {
  State to = State::kReceived;
  std::string note;       // refused: the reasons (required); executed: the result
  std::string assign_to;  // in_progress only: an agency of the requested NCB's branch
  std::vector<messaging::AttachmentRef> attachments;  // executed or refused; the actor's files
};

// Moves the request to `t.to` and tells the parties. Only the requested side (its NCB, or the
// assigned agency once there is one) moves it forward; only the requesting side (the
// requesting agency or its NCB) withdraws it. Errors: kNotFound "mla_request_not_found" (not a
// party); kPermissionDenied "not_requested_side" / "not_requesting_side"; kFailedPrecondition
// "invalid_transition" (not allowed from the current state); kInvalidArgument
// "invalid_mla_request" (note missing for refused, assign_to or attachments where not
// allowed), "text_too_long", "invalid_assignee" (not an enabled agency below the requested NCB
// holding mla.request), "unknown_attachment". Returns the request as it is now, with history.
Result<Request> ApplyTransition(store::Transaction& tx, const Keys& keys, std::string_view id,
                                const Actor& actor, const Transition& t, std::int64_t now_ms);

// The JSON a client sees of a request (docs/openapi.yaml, MlaRequest); with "history" when
// the request carries it.
nlohmann::json RequestJson(const Request& r);

}  // namespace ncbnet::mla
