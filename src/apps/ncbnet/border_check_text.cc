#include "apps/ncbnet/border_check_text.h"

#include "apps/ncbnet/output.h"

namespace ncbnet::apps {
namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key) { return ValueText(j.value(key, json(""))); }

void PrintMrz(std::ostream& out, const json& mrz) {
  const json f = mrz.value("fields", json::object());
  out << "MRZ      " << Str(mrz, "format") << "  " << Str(f, "document_code") << " "
      << Str(f, "document_number") << "  issued by "
      << Str(f.value("issuing_state", json::object()), "code") << "  "
      << Str(f, "primary_identifier") << ", " << Str(f, "secondary_identifier") << "  born "
      << Str(f.value("birth_date", json::object()), "date") << "  "
      << Str(f.value("nationality", json::object()), "code") << "\n";
}

void PrintMatch(std::ostream& out, const char* label, const json& m) {
  const json r = m.value("record", json::object());
  out << label << "MATCH  " << Str(r, "database") << " " << Str(r, "id") << "  owner "
      << Str(r, "owner_country");
  if (m.contains("score")) out << "  score " << ValueText(m["score"]);
  if (m.contains("matched_by")) out << "  by " << Str(m, "matched_by");
  out << "\n         action: "
      << (m.contains("action") ? ValueText(m["action"]) : "(none given: contact the owner)")
      << "\n";
}

// A notice on the traveller: a subject of a live notice matched ("NOTICE   MATCH  red notice
// A-42/11-2026  requested by FRA  by name  score 0.93", then its action), or one that a
// matched NOMINAL record cites ("NOTICE   red notice A-42/11-2026  requested by FRA  cited by
// rec_...").
void PrintNotice(std::ostream& out, const json& n) {
  const bool match = n.contains("record");
  out << "NOTICE   " << (match ? "MATCH  " : "") << Str(n, "kind") << " " << Str(n, "channel")
      << " " << Str(n, "control_number") << "  requested by " << Str(n, "requesting_country");
  if (!match) {
    out << "  cited by " << Str(n, "cited_by") << "\n";
    return;
  }
  out << "  by " << Str(n, "matched_by");
  if (n.contains("score")) out << "  score " << ValueText(n["score"]);
  out << "\n         action: "
      << (n.contains("action") ? ValueText(n["action"]) : "(none given: contact the owner)")
      << "\n";
}

// The first line: "MATCH  ..." or "no match", as every `ncbnet check` answers.
void PrintVerdict(std::ostream& out, const json& a) {
  if (!a.value("alert", false)) {
    out << "no match\n";
    return;
  }
  const json persons = a.value("persons", json::array());
  const json notices = a.value("notices", json::array());
  out << "MATCH  document "
      << (a.value("document", json::object()).value("match", false) ? "in SLTD" : "clear") << ", "
      << (persons.is_array() ? persons.size() : 0) << " person(s), "
      << (notices.is_array() ? notices.size() : 0)
      << " notice(s): follow the owners' actions below; each owner has been told\n";
}

void PrintAnswer(std::ostream& out, const json& a) {
  PrintVerdict(out, a);
  if (a.contains("mrz")) PrintMrz(out, a["mrz"]);
  const json doc = a.value("document", json::object());
  if (doc.contains("error")) {
    out << "SLTD     not checked: " << Str(doc["error"], "message") << "\n";
  } else if (doc.contains("checked")) {
    out << "SLTD     not checked: " << Str(doc, "reason") << "\n";
  } else if (a.contains("document")) {
    if (!doc.value("match", false)) out << "SLTD     no match\n";
    for (const json& m : doc.value("matches", json::array())) PrintMatch(out, "SLTD     ", m);
  }
  const json persons = a.value("persons", json::array());
  if (persons.is_array() && a.contains("persons") && persons.empty()) {
    out << "NOMINAL  no match\n";
  }
  if (persons.is_array()) {
    for (const json& m : persons) PrintMatch(out, "NOMINAL  ", m);
  }
  const json notices = a.value("notices", json::array());
  if (notices.is_object() && notices.contains("error")) {
    out << "NOTICES  not checked: " << Str(notices["error"], "message") << "\n";
  }
  if (notices.is_array()) {
    for (const json& n : notices) PrintNotice(out, n);
  }
}

}  // namespace

void PrintBorderCheck(std::ostream& out, const json& answer) {
  PrintAnswer(out, answer);
  out << "checked against: " << ValueText(answer.value("databases", json::array())) << "\n";
}

}  // namespace ncbnet::apps
