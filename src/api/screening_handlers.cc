// Person searches and passenger screening:
//   POST /v1/search/{db}   {"name", "date_of_birth"?, "sex"?, "nationality"?, "limit"?,
//                           "threshold"?}: the persons of {db} (NOMINAL, NOTICES) the caller
//                           may see, ranked, with scores and explanations (record.check:<DB>)
//   POST /v1/screening     {"context"?, "travellers": [{"document": {"number", "issuing_country"}?,
//                           "name"?, "date_of_birth"?, "sex"?, "nationality"?}, ...]}: up to
//                           10,000 travellers, each checked against SLTD (its document), NOMINAL
//                           and NOTICES (its document and name), answered in order as JSON
//                           lines, streamed as they are screened.
// A screening checks the databases the caller holds record.check for, and says which in its
// first line; it needs at least one. Travellers that do not parse get their error in place.
#include <spdlog/spdlog.h>

#include "api/audit_trail.h"
#include "api/check_service.h"
#include "api/errors.h"
#include "api/record_access.h"
#include "api/routes.h"
#include "api/traveller_check.h"
#include "records/catalogue.h"

namespace ncbnet::api {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxTravellers = 10000;
constexpr std::size_t kTravellersPerPiece = 50;

Result<HttpResponse> SearchPersons(RequestContext& ctx) {
  json body = ctx.body;
  const json context = TakeContext(body);
  NCBNET_ASSIGN_OR_RETURN(CheckTarget t, CheckTargetOf(ctx, context));
  NCBNET_ASSIGN_OR_RETURN(index::NameQuery q, NameQueryOf(body));
  NCBNET_ASSIGN_OR_RETURN(json results, RunNameSearch(ctx.hub, t, q, &ctx.audit_object));
  return JsonResponse(200, {{"database", t.db->code}, {"results", std::move(results)}});
}

// The screening of one manifest, piece by piece: what the streamed answer's producer holds.
// It keeps what it needs of the request (the hub, the targets) since the request is gone
// by the time the pieces are produced; its own record of the accesses its matches make, too.
class Screening {
 public:
  Screening(HubServices& hub, TravellerTargets targets, json travellers,
            audit::AuditEntry end_entry)
      : hub_(hub),
        targets_(std::move(targets)),
        travellers_(std::move(travellers)),
        end_entry_(std::move(end_entry)) {
    if (targets_.sltd) targets_.sltd->accesses = &accesses_;
    for (std::optional<CheckTarget>& t : targets_.persons) {
      if (t) t->accesses = &accesses_;
    }
  }
  ~Screening() { Finish(); }
  Screening(const Screening&) = delete;
  Screening& operator=(const Screening&) = delete;

  bool Next(std::string& piece) {
    if (!header_sent_) {
      header_sent_ = true;
      piece =
          json{{"travellers", travellers_.size()}, {"databases", targets_.DatabasesJson()}}.dump() +
          "\n";
      return true;
    }
    if (next_ >= travellers_.size()) {
      Finish();
      return false;
    }
    const std::size_t end = std::min(travellers_.size(), next_ + kTravellersPerPiece);
    std::vector<Traveller> parsed;
    for (std::size_t i = next_; i < end; ++i) {
      parsed.push_back(TravellerOf(travellers_[i], targets_));
    }
    std::vector<json> lines = CheckTravellers(hub_, targets_, parsed);
    for (std::size_t k = 0; k < lines.size(); ++k) {
      json line = {{"index", next_ + k}};
      line.update(lines[k]);
      piece += line.dump() + "\n";
    }
    next_ = end;
    return true;
  }

 private:
  // Once, when the stream ends or the client leaves: an entry of the request saying how far
  // the screening went, then the access entries of its matches (audit/accesses.h), in one
  // durable write. Always written, so that its cost does not tell whether a match was hidden.
  void Finish() {
    if (finished_) return;
    finished_ = true;
    audit::AuditEntry entry = end_entry_;
    entry.time_ms = hub_.clock.NowMillis();
    entry.object = "end of screening: " + std::to_string(next_) + " of " +
                   std::to_string(travellers_.size()) + " traveller(s) screened";
    const Status s = hub_.store.Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(const audit::AuditEntry appended,
                              audit::Append(tx, hub_.audit_key, entry));
      return AppendAccessEntries(tx, hub_.audit_key, appended, accesses_);
    });
    if (!s.ok()) {
      spdlog::error("request {}: the screening's accesses were not audited: {}",
                    end_entry_.request_id, s.ToString());
    }
  }

  HubServices& hub_;
  TravellerTargets targets_;
  json travellers_;
  audit::AuditEntry end_entry_;
  std::vector<audit::Access> accesses_;
  bool header_sent_ = false;
  bool finished_ = false;
  std::size_t next_ = 0;
};

Result<HttpResponse> Screen(RequestContext& ctx) {
  json body = ctx.body;
  const json context = TakeContext(body);
  const auto travellers = body.find("travellers");
  if (body.size() != 1 || travellers == body.end() || !travellers->is_array() ||
      travellers->empty() || travellers->size() > kMaxTravellers) {
    return Status::InvalidArgument("invalid_request",
                                   "the body is {\"travellers\": [...]}, 1 to 10000 travellers");
  }
  NCBNET_ASSIGN_OR_RETURN(TravellerTargets targets, TravellerTargetsOf(ctx, context));
  ctx.audit_object = "screening of " + std::to_string(travellers->size()) +
                     " traveller(s) against" + targets.Describe();
  auto screening = std::make_shared<Screening>(ctx.hub, std::move(targets), std::move(*travellers),
                                               RequestEntry(ctx, "ok"));
  HttpResponse response;
  response.content_type = "application/x-ndjson";
  response.stream = Stream{[screening](std::string& piece) { return screening->Next(piece); }};
  return response;
}

}  // namespace

void AddScreeningRoutes(Router& router) {
  router.Add({.method = "POST",
              .pattern = "/v1/search/{db}",
              .access = Access::kCapability,
              .capability = "record.check:{db}",
              .scope = Scope::kRecords,
              .json_body = true,
              .handler = SearchPersons});
  router.Add({.method = "POST",
              .pattern = "/v1/screening",
              .access = Access::kCapability,
              .capability = "record.check:SLTD|record.check:NOMINAL|record.check:NOTICES",
              .scope = Scope::kRecords,
              .json_body = true,
              .handler = Screen});
}

}  // namespace ncbnet::api
