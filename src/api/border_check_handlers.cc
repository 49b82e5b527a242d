// The border check (issue 5, item 3): one call that checks a traveller as an officer at a
// border gate needs it, from the passport's machine readable zone or from document fields.
//   POST /v1/border-checks  {"mrz": "line\nline" | ["line", ...], "context"?}
//                           {"document"?: {"number", "issuing_country"}, "name"?,
//                            "date_of_birth"?, "sex"?, "nationality"?, "context"?}
//                           {"travellers": [either of the above, without context], "context"?}
// answers the document's status in SLTD, the persons of NOMINAL it matches (by name, date of
// birth and nationality, or by the document among their identity documents), the subjects of
// live notices and diffusions it matches in NOTICES (likewise), the live notices that the
// NOMINAL persons' records cite (notices/lookup.h: nothing unpublished is shown) and the
// owners' actions, in one response; each match is a hit and its owner is
// told (api/traveller_check.h). The caller checks only the databases it holds record.check for
// (a terminal sees no record withheld from frontline terminals). An MRZ that is malformed or
// fails a check digit is refused with its mrz_* code and the reader's view of it (mrz/mrz.h);
// in a batch, in place. An MRZ with OCR confusions is refused too (mrz_ocr_confusion); with
// "offer_mrz_correction": true beside "mrz" or "travellers", the refusal also carries the
// corrected reading and its corrections, for the officer to compare with the document and send
// again: never checked as corrected. docs/border-check.md describes it.
#include <chrono>
#include <map>
#include <set>

#include "api/errors.h"
#include "api/routes.h"
#include "api/traveller_check.h"
#include "mrz/mrz.h"
#include "notices/lookup.h"

namespace ncbnet::api {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxTravellers = 1000;

std::chrono::sys_days Today(HubServices& hub) {
  return std::chrono::floor<std::chrono::days>(std::chrono::sys_time<std::chrono::milliseconds>(
      std::chrono::milliseconds(hub.clock.NowMillis())));
}

// The MRZ of a request as text: a string, or an array of line strings.
Result<std::string> MrzText(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (!value.is_array() || value.empty() || value.size() > 3) {
    return Status::InvalidArgument("invalid_request",
                                   "'mrz' is a string or an array of 2 or 3 line strings");
  }
  std::string text;
  for (const json& line : value) {
    if (!line.is_string()) {
      return Status::InvalidArgument("invalid_request", "each line of 'mrz' is a string");
    }
    text += line.get<std::string>() + "\n";
  }
  return text;
}

// A traveller as the databases are checked: the MRZ's fields, or the fields given.
struct Reading {
  json traveller;             // TravellerOf()'s input
  json mrz;                   // mrz::ToJson() of the MRZ read, or null
  std::string document_note;  // why the document is not checked, if it is not
};

Reading ReadingOfDocument(const mrz::Document& d, json mrz_json) {
  Reading r;
  r.mrz = std::move(mrz_json);
  r.traveller = json::object();
  if (!d.issuing_state.iso_country.empty()) {
    r.traveller["document"] = {{"number", d.document_number},
                               {"issuing_country", d.issuing_state.iso_country}};
  } else {
    r.document_note = "issued by " + d.issuing_state.code + " (" +
                      std::string(mrz::CountryKindName(d.issuing_state.kind)) +
                      "), not a country whose documents SLTD holds";
  }
  // Given names first; either part may be empty ("<<ANNA": one name only, as a given name).
  std::string name = d.name.secondary;
  if (!name.empty() && !d.name.primary.empty()) name += ' ';
  name += d.name.primary;
  if (!name.empty()) r.traveller["name"] = std::move(name);
  if (std::string dob = d.birth_date.ToIso(); !dob.empty()) r.traveller["date_of_birth"] = dob;
  if (d.sex == 'M' || d.sex == 'F') r.traveller["sex"] = std::string(1, d.sex);
  if (!d.nationality.iso_country.empty()) r.traveller["nationality"] = d.nationality.iso_country;
  return r;
}

// Reads one traveller of a request. Error: an MRZ that is not valid, with `mrz_out` set to
// the reader's view of it; or a malformed "mrz".
Result<Reading> ReadingOf(HubServices& hub, const json& item, mrz::ReadOptions options,
                          json* mrz_out) {
  const auto it = item.is_object() ? item.find("mrz") : item.end();
  if (it == item.end()) return Reading{item, nullptr, ""};
  if (item.size() != 1) {
    return Status::InvalidArgument("invalid_request",
                                   "a traveller is either {\"mrz\"} or document fields, not both");
  }
  NCBNET_ASSIGN_OR_RETURN(std::string text, MrzText(*it));
  mrz::Verdict verdict = mrz::Read(text, Today(hub), options);
  json view = mrz::ToJson(verdict);
  if (!verdict.valid()) {
    *mrz_out = std::move(view);
    const mrz::Problem& first = verdict.problems.front();
    return Status::InvalidArgument(first.code, first.message);
  }
  return ReadingOfDocument(*verdict.document, std::move(view));
}

// The owners' actions on what matched a checked traveller, one per record that gives any.
json ActionsOf(const json& answer) {
  json actions = json::array();
  auto collect = [&](const json& matches) {
    if (!matches.is_array()) return;  // {"error"}
    for (const json& m : matches) {
      if (!m.contains("action") || !m.contains("record")) continue;
      const json& record = m["record"];
      actions.push_back({{"database", record["database"]},
                         {"record", record["id"]},
                         {"owner_country", record["owner_country"]},
                         {"action", m["action"]}});
    }
  };
  if (answer.contains("document")) {
    collect(answer["document"].value("matches", json::array()));
  }
  for (const char* key : {"persons", "notices"}) {
    if (answer.contains(key)) collect(answer[key]);
  }
  return actions;
}

// A control number that a NOMINAL person matched cites (its "notices" field), and that person.
struct Citation {
  std::string control_number;
  json record_id;
};

std::vector<Citation> CitationsOf(const json& answer) {
  std::vector<Citation> out;
  const json persons = answer.value("persons", json::array());
  if (!persons.is_array()) return out;  // {"error"}
  for (const json& m : persons) {
    const json& record = m.at("record");
    for (const json& n : record.at("fields").value("notices", json::array())) {
      if (n.is_string()) out.push_back({n.get<std::string>(), record.at("id")});
    }
  }
  return out;
}

// Adds to the notices of a checked traveller (the NOTICES subjects it matched) those that the
// NOMINAL persons matched cite and that are live for the caller ("matched_by": "reference",
// "cited_by": the citing record), each notice once; the others are not shown. Then the owners'
// actions.
void AddReferencesAndActions(json& answer, const std::map<std::string, notices::LiveNotice>& live) {
  if (!answer.contains("notices")) answer["notices"] = json::array();
  json& notices = answer["notices"];
  if (notices.is_array()) {
    std::set<std::string> listed;
    for (const json& n : notices) listed.insert(n.value("control_number", ""));
    for (const Citation& c : CitationsOf(answer)) {
      const auto it = live.find(c.control_number);
      if (it == live.end() || !listed.insert(it->first).second) continue;
      const notices::LiveNotice& n = it->second;
      notices.push_back({{"control_number", n.control_number},
                         {"kind", n.kind},
                         {"channel", n.channel},
                         {"requesting_country", n.requesting_country},
                         {"matched_by", "reference"},
                         {"cited_by", c.record_id}});
    }
  }
  answer["actions"] = ActionsOf(answer);
}

// The notices cited in `answers` that are live for the caller, in one read.
Result<std::map<std::string, notices::LiveNotice>> LiveCitedNotices(
    HubServices& hub, const TravellerTargets& targets, const std::vector<json>& answers) {
  std::vector<std::string> cited;
  for (const json& a : answers) {
    if (!a.is_object() || a.contains("error")) continue;
    for (Citation& c : CitationsOf(a)) cited.push_back(std::move(c.control_number));
  }
  std::map<std::string, notices::LiveNotice> live;
  if (cited.empty()) return live;
  NCBNET_RETURN_IF_ERROR(hub.store.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(live, notices::LookupLive(tx, cited, targets.any().viewer.country));
    return Status::Ok();
  }));
  return live;
}

// The answers to a request's travellers, in order; failures[i] says why items[i] was not
// checked (answers[i] then holds its error, and the reader's view of a bad MRZ).
struct Answers {
  std::vector<json> answers;
  std::vector<Status> failures;
};

// Checks the travellers of `items` for the caller. Error: the store's, reading the notices.
Result<Answers> CheckAll(HubServices& hub, const TravellerTargets& targets,
                         const std::vector<json>& items, mrz::ReadOptions options) {
  Answers out{std::vector<json>(items.size()), std::vector<Status>(items.size())};
  std::vector<json>& answers = out.answers;
  std::vector<Reading> readings;
  std::vector<Traveller> travellers;
  std::vector<std::size_t> position;  // traveller k answers items[position[k]]
  for (std::size_t i = 0; i < items.size(); ++i) {
    json mrz_view;
    Result<Reading> reading = ReadingOf(hub, items[i], options, &mrz_view);
    if (!reading.ok()) {
      out.failures[i] = reading.status();
      answers[i] = PartErrorJson(reading.status());
      if (!mrz_view.is_null()) answers[i]["mrz"] = std::move(mrz_view);
      continue;
    }
    travellers.push_back(TravellerOf(reading->traveller, targets));
    readings.push_back(std::move(reading).value());
    position.push_back(i);
  }
  std::vector<json> checked = CheckTravellers(hub, targets, travellers);
  for (std::size_t k = 0; k < checked.size(); ++k) {
    json& answer = answers[position[k]];
    answer = std::move(checked[k]);
    if (!travellers[k].invalid.ok()) {
      out.failures[position[k]] = travellers[k].invalid;
      continue;
    }
    if (!readings[k].mrz.is_null()) answer["mrz"] = std::move(readings[k].mrz);
    if (!readings[k].document_note.empty()) {
      answer["document"] = {{"checked", false}, {"reason", readings[k].document_note}};
    }
  }
  NCBNET_ASSIGN_OR_RETURN(auto live, LiveCitedNotices(hub, targets, answers));
  for (std::size_t k = 0; k < checked.size(); ++k) {
    if (travellers[k].invalid.ok()) AddReferencesAndActions(answers[position[k]], live);
  }
  return out;
}

// "offer_mrz_correction", taken out of `body`: absent is false.
Result<mrz::ReadOptions> TakeMrzOptions(json& body) {
  mrz::ReadOptions options;
  const auto it = body.find("offer_mrz_correction");
  if (it == body.end()) return options;
  if (!it->is_boolean()) {
    return Status::InvalidArgument("invalid_request", "'offer_mrz_correction' is a boolean");
  }
  options.offer_correction = it->get<bool>();
  body.erase(it);
  return options;
}

Result<HttpResponse> BorderCheck(RequestContext& ctx) {
  json body = ctx.body;
  if (!body.is_object()) return Status::InvalidArgument("invalid_request", "the body is an object");
  const json context = TakeContext(body);
  NCBNET_ASSIGN_OR_RETURN(const mrz::ReadOptions options, TakeMrzOptions(body));
  const auto batch = body.find("travellers");
  const bool is_batch = batch != body.end();
  if (is_batch && (body.size() != 1 || !batch->is_array() || batch->empty() ||
                   batch->size() > kMaxTravellers)) {
    return Status::InvalidArgument(
        "invalid_request",
        "a batch is {\"travellers\": [...], \"context\"?}, 1 to 1000 travellers");
  }
  NCBNET_ASSIGN_OR_RETURN(TravellerTargets targets, TravellerTargetsOf(ctx, context));
  std::vector<json> items = is_batch ? batch->get<std::vector<json>>() : std::vector<json>{body};
  ctx.audit_object = "border check of " + std::to_string(items.size()) + " traveller(s) against" +
                     targets.Describe();
  NCBNET_ASSIGN_OR_RETURN(Answers answers, CheckAll(ctx.hub, targets, items, options));
  json out = {{"databases", targets.DatabasesJson()}};
  if (is_batch) {
    out["results"] = std::move(answers.answers);
    return JsonResponse(200, out);
  }
  json& answer = answers.answers.front();
  if (!answers.failures.front().ok()) {
    if (answer.contains("mrz")) ctx.error_details = {{"mrz", answer["mrz"]}};
    return answers.failures.front();
  }
  out.update(answer);
  return JsonResponse(200, out);
}

}  // namespace

void AddBorderCheckRoutes(Router& router) {
  router.Add({.method = "POST",
              .pattern = "/v1/border-checks",
              .access = Access::kCapability,
              .capability = "record.check:SLTD|record.check:NOMINAL|record.check:NOTICES",
              .scope = Scope::kRecords,
              .json_body = true,
              .handler = BorderCheck});
}

}  // namespace ncbnet::api
