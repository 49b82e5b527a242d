// Person searches and passenger screening:
//   POST /v1/search/{db}   {"name", "date_of_birth"?, "sex"?, "nationality"?, "limit"?,
//                           "threshold"?}: the persons of {db} (NOMINAL) the caller may see,
//                           ranked, with scores and explanations (record.check:<DB>)
//   POST /v1/screening     {"travellers": [{"document": {"number", "issuing_country"}?,
//                           "name"?, "date_of_birth"?, "sex"?, "nationality"?}, ...]}: up to
//                           10,000 travellers, each checked against SLTD (its document) and
//                           NOMINAL (its name), answered in order as JSON lines, streamed as
//                           they are screened.
// A screening checks the databases the caller holds record.check for, and says which in its
// first line; it needs at least one. Travellers that do not parse get their error in place.
#include "api/check_service.h"
#include "api/errors.h"
#include "api/record_access.h"
#include "api/routes.h"
#include "records/catalogue.h"

namespace ncbnet::api {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxTravellers = 10000;
constexpr std::size_t kTravellersPerPiece = 50;

Result<HttpResponse> SearchPersons(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(CheckTarget t, CheckTargetOf(ctx));
  NCBNET_ASSIGN_OR_RETURN(index::NameQuery q, NameQueryOf(ctx.body));
  NCBNET_ASSIGN_OR_RETURN(json results, RunNameSearch(ctx.hub, t, q, &ctx.audit_object));
  return JsonResponse(200, {{"database", t.db->code}, {"results", std::move(results)}});
}

json ErrorJson(const Status& s) {
  return {{"error", {{"code", ClientErrorCode(s)}, {"message", s.message()}}}};
}

// One traveller of a manifest, parsed.
struct Traveller {
  std::optional<Result<records::IdentifierQuery>> document;
  std::optional<Result<index::NameQuery>> person;
  Status invalid;  // the traveller as a whole does not parse
};

Traveller ParseTraveller(const json& item, const CheckTarget* sltd, const CheckTarget* nominal) {
  Traveller t;
  if (!item.is_object()) {
    t.invalid = Status::InvalidArgument("invalid_request", "a traveller is an object");
    return t;
  }
  json person = json::object();
  for (const auto& [key, value] : item.items()) {
    if (key == "document") {
      if (sltd != nullptr) t.document = QueryOfItem(*sltd->db, "document", value);
    } else if (key == "name" || key == "date_of_birth" || key == "sex" || key == "nationality") {
      person[key] = value;
    } else {
      t.invalid = Status::InvalidArgument(
          "invalid_request", "'" + key.substr(0, 32) + "' is not a field of a traveller");
      return t;
    }
  }
  if (nominal != nullptr && person.contains("name")) {
    Result<index::NameQuery> q = NameQueryOf(person);
    if (q.ok()) q->limit = 5;
    t.person = std::move(q);
  }
  return t;
}

// The screening of one manifest, piece by piece: what the streamed answer's producer holds.
// It keeps what it needs of the request (the hub, the targets) since the request is gone
// by the time the pieces are produced.
class Screening {
 public:
  Screening(HubServices& hub, std::optional<CheckTarget> sltd, std::optional<CheckTarget> nominal,
            json travellers)
      : hub_(hub),
        sltd_(std::move(sltd)),
        nominal_(std::move(nominal)),
        travellers_(std::move(travellers)) {}

  bool Next(std::string& piece) {
    if (!header_sent_) {
      header_sent_ = true;
      json dbs = json::array();
      if (sltd_) dbs.push_back("SLTD");
      if (nominal_) dbs.push_back("NOMINAL");
      piece = json{{"travellers", travellers_.size()}, {"databases", dbs}}.dump() + "\n";
      return true;
    }
    if (next_ >= travellers_.size()) return false;
    const std::size_t end = std::min(travellers_.size(), next_ + kTravellersPerPiece);
    std::vector<json> lines = Screen(next_, end);
    for (json& line : lines) piece += line.dump() + "\n";
    next_ = end;
    return true;
  }

 private:
  std::vector<json> Screen(std::size_t begin, std::size_t end) {
    std::vector<json> lines;
    std::vector<Traveller> parsed;
    std::vector<records::IdentifierQuery> documents;
    std::vector<std::size_t> document_of;  // line -> position in documents, or npos
    for (std::size_t i = begin; i < end; ++i) {
      parsed.push_back(ParseTraveller(travellers_[i], sltd_ ? &*sltd_ : nullptr,
                                      nominal_ ? &*nominal_ : nullptr));
      lines.push_back({{"index", i}});
      const Traveller& t = parsed.back();
      document_of.push_back(std::string::npos);
      if (t.invalid.ok() && t.document && t.document->ok()) {
        document_of.back() = documents.size();
        documents.push_back(**t.document);
      }
    }
    Result<std::vector<json>> checked =
        sltd_ ? RunChecks(hub_, *sltd_, documents, nullptr) : std::vector<json>();
    for (std::size_t k = 0; k < parsed.size(); ++k) {
      const Traveller& t = parsed[k];
      json& line = lines[k];
      if (!t.invalid.ok()) {
        line.update(ErrorJson(t.invalid));
        continue;
      }
      bool alert = false;
      if (t.document) {
        if (!t.document->ok()) {
          line["document"] = ErrorJson(t.document->status());
        } else if (!checked.ok()) {
          line["document"] = ErrorJson(checked.status());
        } else {
          line["document"] = (*checked)[document_of[k]];
          alert = alert || line["document"]["match"].get<bool>();
        }
      }
      if (t.person) {
        Result<json> persons = t.person->ok() ? RunNameSearch(hub_, *nominal_, **t.person, nullptr)
                                              : Result<json>(t.person->status());
        line["persons"] = persons.ok() ? *persons : ErrorJson(persons.status());
        alert = alert || (persons.ok() && !persons->empty());
      }
      line["alert"] = alert;
    }
    return lines;
  }

  HubServices& hub_;
  std::optional<CheckTarget> sltd_, nominal_;
  json travellers_;
  bool header_sent_ = false;
  std::size_t next_ = 0;
};

// The target of `db` if the caller holds record.check:<db>, else nothing.
Result<std::optional<CheckTarget>> OptionalTarget(RequestContext& ctx, const char* db) {
  ctx.params["db"] = db;
  Result<CheckTarget> t = CheckTargetOf(ctx);
  if (t.ok()) return std::optional<CheckTarget>(std::move(t).value());
  if (t.status().reason() == "missing_capability") return std::optional<CheckTarget>();
  return t.status();
}

Result<HttpResponse> Screen(RequestContext& ctx) {
  const auto travellers = ctx.body.find("travellers");
  if (ctx.body.size() != 1 || travellers == ctx.body.end() || !travellers->is_array() ||
      travellers->empty() || travellers->size() > kMaxTravellers) {
    return Status::InvalidArgument("invalid_request",
                                   "the body is {\"travellers\": [...]}, 1 to 10000 travellers");
  }
  NCBNET_ASSIGN_OR_RETURN(std::optional<CheckTarget> sltd, OptionalTarget(ctx, "SLTD"));
  NCBNET_ASSIGN_OR_RETURN(std::optional<CheckTarget> nominal, OptionalTarget(ctx, "NOMINAL"));
  if (!sltd && !nominal) {
    return Status::PermissionDenied("missing_capability",
                                    "screening needs record.check:SLTD or record.check:NOMINAL");
  }
  ctx.audit_object = "screening of " + std::to_string(travellers->size()) +
                     " traveller(s) against" + (sltd ? " SLTD" : "") + (nominal ? " NOMINAL" : "");
  auto screening = std::make_shared<Screening>(ctx.hub, std::move(sltd), std::move(nominal),
                                               std::move(*travellers));
  HttpResponse response;
  response.content_type = "application/x-ndjson";
  response.stream = Stream{[screening](std::string& piece) { return screening->Next(piece); }};
  return response;
}

}  // namespace

void AddScreeningRoutes(Router& router) {
  router.Add({"POST", "/v1/search/{db}", Access::kAuthenticated, "", true, false, SearchPersons});
  router.Add({"POST", "/v1/screening", Access::kAuthenticated, "", true, false, Screen});
}

}  // namespace ncbnet::api
