// ncbnet check mrz: the border check of one traveller from the machine readable zone of a
// passport, identity card or visa (POST /v1/border-checks): the document in SLTD, the person in
// NOMINAL and among the subjects of live notices (NOTICES), the notices the person's records
// cite, and the owners' actions, in one answer. The MRZ is read
// from --line flags or, without them, from standard input (as a document reader writes it).
// Exit status: 0 when the hub answered, alert or clear; 1 on an error, including an MRZ the hub
// refused (its problems are printed); a bad MRZ is also caught offline by `ncbnet mrz parse`.
#include <iostream>
#include <iterator>

#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/output.h"
#include "apps/ncbnet/records_cli.h"

namespace ncbnet::apps {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxStdinBytes = 4096;  // the hub refuses an MRZ over 256 bytes anyway

struct MrzCheckFlags {
  ClientFlags client;
  std::vector<std::string> lines;
  CheckContextFlags context;
  bool json = false;
};

Result<std::string> MrzInput(const MrzCheckFlags& f) {
  std::string text;
  for (const std::string& line : f.lines) text += line + "\n";
  if (!text.empty()) return text;
  std::istreambuf_iterator<char> in(std::cin), end;
  while (in != end && text.size() <= kMaxStdinBytes) text += *in++;
  if (text.size() > kMaxStdinBytes) {
    return Status::InvalidArgument("mrz_too_large", "standard input holds more than an MRZ");
  }
  return text;
}

std::string Str(const json& j, const char* key) { return ValueText(j.value(key, json(""))); }

void PrintMrz(const json& mrz) {
  const json f = mrz.value("fields", json::object());
  std::cout << "MRZ      " << Str(mrz, "format") << "  " << Str(f, "document_code") << " "
            << Str(f, "document_number") << "  issued by "
            << Str(f.value("issuing_state", json::object()), "code") << "  "
            << Str(f, "primary_identifier") << ", " << Str(f, "secondary_identifier") << "  born "
            << Str(f.value("birth_date", json::object()), "date") << "  "
            << Str(f.value("nationality", json::object()), "code") << "\n";
}

void PrintMatch(const char* label, const json& m) {
  const json r = m.value("record", json::object());
  std::cout << label << "MATCH  " << Str(r, "database") << " " << Str(r, "id") << "  owner "
            << Str(r, "owner_country");
  if (m.contains("score")) std::cout << "  score " << ValueText(m["score"]);
  if (m.contains("matched_by")) std::cout << "  by " << Str(m, "matched_by");
  std::cout << "\n         action: "
            << (m.contains("action") ? ValueText(m["action"]) : "(none given: contact the owner)")
            << "\n";
}

// A notice on the traveller: a subject of a live notice matched ("NOTICE   MATCH  red notice
// A-42/11-2026  requested by FRA  by name  score 0.93", then its action), or one that a
// matched NOMINAL record cites ("NOTICE   red notice A-42/11-2026  requested by FRA  cited by
// rec_...").
void PrintNotice(const json& n) {
  const bool match = n.contains("record");
  std::cout << "NOTICE   " << (match ? "MATCH  " : "") << Str(n, "kind") << " " << Str(n, "channel")
            << " " << Str(n, "control_number") << "  requested by " << Str(n, "requesting_country");
  if (!match) {
    std::cout << "  cited by " << Str(n, "cited_by") << "\n";
    return;
  }
  std::cout << "  by " << Str(n, "matched_by");
  if (n.contains("score")) std::cout << "  score " << ValueText(n["score"]);
  std::cout << "\n         action: "
            << (n.contains("action") ? ValueText(n["action"]) : "(none given: contact the owner)")
            << "\n";
}

// The first line: "MATCH  ..." or "no match", as every `ncbnet check` answers.
void PrintVerdict(const json& a) {
  if (!a.value("alert", false)) {
    std::cout << "no match\n";
    return;
  }
  const json persons = a.value("persons", json::array());
  const json notices = a.value("notices", json::array());
  std::cout << "MATCH  document "
            << (a.value("document", json::object()).value("match", false) ? "in SLTD" : "clear")
            << ", " << (persons.is_array() ? persons.size() : 0) << " person(s), "
            << (notices.is_array() ? notices.size() : 0)
            << " notice(s): follow the owners' actions below; each owner has been told\n";
}

void PrintAnswer(const json& a) {
  PrintVerdict(a);
  if (a.contains("mrz")) PrintMrz(a["mrz"]);
  const json doc = a.value("document", json::object());
  if (doc.contains("error")) {
    std::cout << "SLTD     not checked: " << Str(doc["error"], "message") << "\n";
  } else if (doc.contains("checked")) {
    std::cout << "SLTD     not checked: " << Str(doc, "reason") << "\n";
  } else if (a.contains("document")) {
    if (!doc.value("match", false)) std::cout << "SLTD     no match\n";
    for (const json& m : doc.value("matches", json::array())) PrintMatch("SLTD     ", m);
  }
  const json persons = a.value("persons", json::array());
  if (persons.is_array() && a.contains("persons") && persons.empty()) {
    std::cout << "NOMINAL  no match\n";
  }
  if (persons.is_array()) {
    for (const json& m : persons) PrintMatch("NOMINAL  ", m);
  }
  const json notices = a.value("notices", json::array());
  if (notices.is_object() && notices.contains("error")) {
    std::cout << "NOTICES  not checked: " << Str(notices["error"], "message") << "\n";
  }
  if (notices.is_array()) {
    for (const json& n : notices) PrintNotice(n);
  }
}

Status CheckMrz(const MrzCheckFlags& f) {
  NCBNET_ASSIGN_OR_RETURN(std::string text, MrzInput(f));
  json request = {{"mrz", text}};
  if (json context = f.context.Json(); !context.empty()) request["context"] = context;
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(f.client));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply reply, hub.Call("POST", "/v1/border-checks", request));
  if (reply.status >= 400) {
    if (reply.body.is_object() && reply.body.contains("mrz")) {
      for (const json& p : reply.body["mrz"].value("problems", json::array())) {
        std::cerr << "  " << Str(p, "code") << ": " << Printable(Str(p, "message")) << "\n";
      }
    }
    return StatusFromReply(reply);
  }
  if (f.json) {
    PrintJson(reply.body);
    return Status::Ok();
  }
  PrintAnswer(reply.body);
  std::cout << "checked against: " << ValueText(reply.body.value("databases", json::array()))
            << "\n";
  return Status::Ok();
}

}  // namespace

void AddMrzCheck(CLI::App* check, int& exit_code) {
  auto f = std::make_shared<MrzCheckFlags>();
  auto* cmd = check->add_subcommand(
      "mrz", "Border check from a passport's MRZ: document, person, notices, action, in one");
  cmd->add_option("--line", f->lines, "An MRZ line (repeat; default: read from standard input)");
  cmd->add_flag("--json", f->json, "Print the hub's JSON answer");
  f->context.Add(cmd);
  AddClientFlags(cmd, f->client);
  cmd->callback([f, &exit_code] {
    if (Status s = CheckMrz(*f); !s.ok()) exit_code = Fail(s);
  });
}

}  // namespace ncbnet::apps
