// Notices and diffusions (issue 6, items 1-3): an NCB drafts a request of one of the kinds of
// notices/kinds.h; submitted, it passes automatic checks (required fields, data quality,
// possible duplicates) and the General Secretariat's review before it is published to every
// NCB; updates and extensions of a published notice go through the same review; the requesting
// NCB cancels at once; the GS suspends, resumes and withdraws. A diffusion goes from an NCB
// straight to chosen countries (or all) and is reviewed after circulation; one found
// non-compliant is withdrawn. docs/notices.md has the states and transitions as a table.
//
// A live notice (published, or a circulated diffusion for its recipients) with a person
// subject has one record in the NOTICES database (records/records.h), owned by the requesting
// NCB, so its subject matches in checks and hits reach the requesting NCB; it is cancelled as
// soon as the notice stops being live. The caller catches the record indexes up after commit.
//
// Who sees what (decided here, for every read and change):
// - the requesting country's agencies: their country's notices in every state;
// - the GS: every notice but drafts;
// - other agencies: live notices only; diffusions only if their country is a recipient.
// To anyone else a notice does not exist (kNotFound "notice_not_found", as an unknown id).
// Fields and images are sealed at rest under a subkey of the hub's data key.
//
// Every change appends a notice_events row and sends a hub message to the parties concerned
// (messaging/hub_messages.h); the API layer appends the audit entry in the same transaction.
//
// Thread safety: plain functions on a caller's store transaction.
#pragma once

#include <cstdint>
#include <optional>
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

namespace ncbnet::notices {

inline constexpr std::string_view kNoticesDatabase = "NOTICES";
inline constexpr std::int64_t kValidityMs = std::int64_t{1826} * 24 * 3600 * 1000;  // 5 years
inline constexpr std::size_t kMaxImages = 6;
inline constexpr std::size_t kMaxImageBytes = std::size_t{2} << 20;  // 2 MiB

// The keys the service works with, borrowed from the hub.
struct Keys {
  const messaging::DataKey& data_key;        // seals fields and images (a subkey of it)
  const crypto::SigningKey& hub_key;         // signs the hub's messages
  const records::IndexSecret& index_secret;  // for the NOTICES records
};

// Who acts or reads: the agency, its kind and country (empty for the GS), the user (empty for
// a system), and whether the principal holds notice.request and notice.review.
struct Actor {
  std::string agency_id;
  std::string user_id;
  std::string country;
  access::AgencyKind kind = access::AgencyKind::kAgency;
  bool may_request = false;  // notice.request
  bool may_review = false;   // notice.review
  bool may_read = false;     // notice.read
};

struct ImageInfo {
  std::int64_t seq = 0;
  std::string media_type;  // image/jpeg or image/png
  std::string sha256;      // hex
  std::int64_t size = 0;
};

struct Notice {
  std::string id;       // "ntc_..." or "dif_..."
  std::string channel;  // notice | diffusion
  std::string kind;
  std::string control_number;  // empty before publication or circulation
  std::string requesting_agency;
  std::string requesting_country;
  std::string state;
  std::int64_t version = 1;
  nlohmann::json fields = nlohmann::json::object();
  bool public_consent = false;
  std::vector<std::string> recipients;  // empty: all NCBs
  std::string pending_action;           // update | extend | "" (a published notice)
  nlohmann::json pending_fields;        // the proposed fields of an update; null otherwise
  nlohmann::json findings = nlohmann::json::array();  // possible duplicates found at submission
  std::string record_id;                              // the NOTICES record, if any
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  std::optional<std::int64_t> published_ms;
  std::optional<std::int64_t> expires_ms;
  std::optional<std::int64_t> reviewed_ms;
  std::vector<ImageInfo> images;
  // Set (e.g. "decrypt_failed") on a notice in a list whose sealed fields no longer open; then
  // fields, pending_fields and images are empty and only the plaintext columns are known. A
  // single read or any change of such a notice fails with kDataLoss instead.
  std::string damaged;
  // Not stored: the agencies the message of the change just made went to (their feeds wake).
  std::vector<std::string> told;
};

// True when (notice, published) or (diffusion, circulated).
bool IsLive(const Notice& n);

// A draft as the API carries it: {"kind", "fields", "public_consent", "recipients"}
// (recipients, diffusions only: "*" or a list of ISO 3166 alpha-3 codes).
struct DraftInput {
  std::string kind;
  nlohmann::json fields = nlohmann::json::object();
  std::optional<bool> public_consent;
  std::optional<std::vector<std::string>> recipients;  // empty list: all
};

// Errors: kInvalidArgument "invalid_notice" naming the key, "unknown_notice_kind".
// `kind_required`: false for an edit (the kind cannot change).
Result<DraftInput> ParseDraftInput(const nlohmann::json& body, std::string_view channel,
                                   bool kind_required);

// One thing wrong with a notice's fields, as the 422 notice_incomplete answer lists them.
struct Problem {
  std::string field;
  std::string problem;
};
nlohmann::json ProblemsJson(const std::vector<Problem>& problems);

// Creates a draft of the actor's country (notice.request). Errors: ParseDraftInput's,
// kInvalidArgument "invalid_notice" for fields that are not of the kind's types (message
// naming the field), kPermissionDenied "not_requesting_country" for an actor without a country.
Result<Notice> CreateDraft(store::Transaction& tx, const Keys& keys, const Actor& actor,
                           std::string_view channel, const DraftInput& input, std::int64_t now_ms);

// Replaces the fields (and consent, recipients) of a draft or info_requested notice.
// Errors: notice_not_found, not_requesting_country, invalid_transition, invalid_notice,
// kFailedPrecondition "version_conflict" when `expected_version` is given and differs.
Result<Notice> EditDraft(store::Transaction& tx, const Keys& keys, const Actor& actor,
                         std::string_view id, const DraftInput& input,
                         std::optional<std::int64_t> expected_version, std::int64_t now_ms);

// Submits a notice (draft or info_requested) for review. Runs the checks: problems make it
// kInvalidArgument "notice_incomplete" (listed in *problems, the notice unchanged); possible
// duplicates are recorded in `findings` for the GS and do not block.
Result<Notice> Submit(store::Transaction& tx, const Keys& keys, const Actor& actor,
                      std::string_view id, std::vector<Problem>* problems, std::int64_t now_ms);

enum class Decision { kApprove, kReject, kRequestInfo };
std::optional<Decision> ParseDecision(std::string_view name);

// The GS's review (notice.review, else kPermissionDenied "not_reviewer") of a notice
// under_review, or of the pending update or extension of a published notice (approve or
// reject). Approval of a request publishes it: control number, expiry, the NOTICES record, the
// public extract if consented, a message to every NCB. `reasons` is required to reject or ask
// for information (kInvalidArgument "invalid_notice"). `control_number` (optional) is the
// number the GS assigns, else the next of the kind's series.
Result<Notice> Review(store::Transaction& tx, const Keys& keys, const Actor& actor,
                      std::string_view id, Decision decision, std::string_view reasons,
                      std::int64_t now_ms, std::string_view control_number = {});

// The requesting country proposes new fields for a published notice (reviewed by the GS), or
// a 5-year extension. Errors: invalid_transition (not published, or a proposal pending),
// invalid_notice / notice_incomplete as for a submission.
Result<Notice> ProposeUpdate(store::Transaction& tx, const Keys& keys, const Actor& actor,
                             std::string_view id, const nlohmann::json& fields,
                             std::vector<Problem>* problems, std::int64_t now_ms);
Result<Notice> ProposeExtension(store::Transaction& tx, const Keys& keys, const Actor& actor,
                                std::string_view id, std::int64_t now_ms);

// The requesting country cancels a notice or diffusion at once (any state but the final ones).
Result<Notice> Cancel(store::Transaction& tx, const Keys& keys, const Actor& actor,
                      std::string_view id, std::string_view reason, std::int64_t now_ms);

// The GS suspends a published notice, resumes a suspended one, or withdraws either.
Result<Notice> Suspend(store::Transaction& tx, const Keys& keys, const Actor& actor,
                       std::string_view id, std::string_view reason, std::int64_t now_ms);
Result<Notice> Resume(store::Transaction& tx, const Keys& keys, const Actor& actor,
                      std::string_view id, std::string_view reason, std::int64_t now_ms);
Result<Notice> Withdraw(store::Transaction& tx, const Keys& keys, const Actor& actor,
                        std::string_view id, std::string_view reason, std::int64_t now_ms);

// Diffusions: the requesting country circulates a draft at once (checks as Submit, problems
// refuse it); the GS reviews it afterwards, and a non-compliant one is withdrawn.
Result<Notice> Circulate(store::Transaction& tx, const Keys& keys, const Actor& actor,
                         std::string_view id, std::vector<Problem>* problems, std::int64_t now_ms);
Result<Notice> ReviewDiffusion(store::Transaction& tx, const Keys& keys, const Actor& actor,
                               std::string_view id, bool compliant, std::string_view reasons,
                               std::int64_t now_ms);

// Reads. GetNotice: kNotFound "notice_not_found" unless the actor may see it.
Result<Notice> GetNotice(store::Transaction& tx, const Keys& keys, const Actor& actor,
                         std::string_view id);

struct NoticeFilter {
  std::string channel;  // notice | diffusion | "" (both)
  std::string state;    // "" any
  std::string kind;     // "" any
  // own: the actor's country's; live: live notices others published; review: the GS's queue
  // (under review, or published with a pending proposal; diffusions circulated, unreviewed).
  std::string scope = "own";
  int limit = 100;  // 1..500
};
Result<std::vector<Notice>> ListNotices(store::Transaction& tx, const Keys& keys,
                                        const Actor& actor, const NoticeFilter& filter);

struct Event {
  std::int64_t seq = 0;
  std::string action;
  std::string state;
  std::string agency_id;
  std::string user_id;
  std::string note;
  std::int64_t created_ms = 0;
};
Result<std::vector<Event>> History(store::Transaction& tx, const Keys& keys, const Actor& actor,
                                   std::string_view id);

// Images: added by the requesting country while draft or info_requested (or, published, with
// an update pending). Errors: kInvalidArgument "unsupported_image" (not JPEG or PNG by its
// magic bytes, or not of `declared_type` when one is given), "image_too_large" (over 2 MiB),
// "too_many_images" (over 6), transition errors.
Result<ImageInfo> AddImage(store::Transaction& tx, const Keys& keys, const Actor& actor,
                           std::string_view id, std::string_view bytes, std::int64_t now_ms,
                           std::string_view declared_type = {});
struct Image {
  ImageInfo info;
  std::string bytes;
};
Result<Image> GetImage(store::Transaction& tx, const Keys& keys, const Actor& actor,
                       std::string_view id, std::int64_t seq);

// Marks published or suspended notices whose expiry has passed as expired (their records
// cancelled, public extracts removed, the requesting NCB told), at most `limit`. Returns how
// many; the caller audits the step and catches the indexes up.
Result<int> ExpireDue(store::Transaction& tx, const Keys& keys, std::int64_t now_ms, int limit);

// The JSON a client sees of a notice (docs/openapi.yaml, Notice): findings and pending
// proposals only for the GS and the requesting country.
nlohmann::json NoticeJson(const Notice& n, const Actor& viewer);
nlohmann::json EventJson(const Event& e);

}  // namespace ncbnet::notices
