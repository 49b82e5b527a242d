#include "apps/ncbnet/border_check_text.h"

#include <sstream>

#include <gtest/gtest.h>

namespace ncbnet::apps {
namespace {

using nlohmann::json;

std::string Text(const json& answer) {
  std::ostringstream out;
  PrintBorderCheck(out, answer);
  return out.str();
}

// An answer as the hub gives it (docs/border-check.md): a NOMINAL person by document, the
// subject of a Red Notice by name, and a live notice the person's record cites.
json Answer() {
  return json::parse(R"({
    "databases": ["SLTD", "NOMINAL", "NOTICES"],
    "document": {"match": false},
    "persons": [{"matched_by": "document", "hit": "hit_1", "action": "Wanted: call NCB Wiesbaden.",
                 "record": {"id": "rec_nominal", "database": "NOMINAL", "owner_country": "DEU",
                            "fields": {"notices": ["A-4471/8-2026"]}}}],
    "notices": [
      {"control_number": "A-42/11-2026", "kind": "red", "channel": "notice",
       "requesting_country": "FRA", "matched_by": "name", "score": 0.93, "hit": "hit_2",
       "action": "Red Notice A-42/11-2026: arrest; call NCB Paris.",
       "record": {"id": "rec_notice", "database": "NOTICES", "owner_country": "FRA"}},
      {"control_number": "A-4471/8-2026", "kind": "red", "channel": "notice",
       "requesting_country": "DEU", "matched_by": "reference", "cited_by": "rec_nominal"}],
    "actions": [],
    "alert": true})");
}

TEST(BorderCheckText, ShowsNoticeMatchesWithTheirActionAndCitedNotices) {
  const std::string text = Text(Answer());
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "MATCH  document clear, 1 person(s), 2 notice(s): follow the owners' actions below; "
            "each owner has been told");
  EXPECT_NE(text.find("NOTICE   MATCH  red notice A-42/11-2026  requested by FRA  by name  score "
                      "0.93\n         action: Red Notice A-42/11-2026: arrest; call NCB Paris.\n"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("NOTICE   red notice A-4471/8-2026  requested by DEU  cited by rec_nominal\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("NOMINAL  MATCH  NOMINAL rec_nominal  owner DEU  by document"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("checked against: SLTD | NOMINAL | NOTICES\n"), std::string::npos) << text;
}

TEST(BorderCheckText, SaysWhyNoticesWereNotChecked) {
  json answer = Answer();
  answer["notices"] = {{"error", {{"code", "invalid_date"}, {"message", "bad date"}}}};
  const std::string text = Text(answer);
  EXPECT_NE(text.find("NOTICES  not checked: bad date\n"), std::string::npos) << text;
  EXPECT_NE(text.find("1 person(s), 0 notice(s)"), std::string::npos) << text;
}

TEST(BorderCheckText, AClearTravellerIsNoMatch) {
  const json clear = json::parse(R"({"databases": ["SLTD", "NOMINAL", "NOTICES"],
      "document": {"match": false}, "persons": [], "notices": [], "actions": [], "alert": false})");
  const std::string text = Text(clear);
  EXPECT_EQ(text.substr(0, text.find('\n')), "no match");
  EXPECT_EQ(text.find("NOTICE "), std::string::npos) << text;
}

TEST(BorderCheckText, MakesTheHubsTextPrintable) {
  json answer = Answer();
  answer["notices"][0]["action"] = "Arrest\x1b[2J now";
  const std::string text = Text(answer);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(text.find("Arrest?[2J now"), std::string::npos) << text;
}

}  // namespace
}  // namespace ncbnet::apps
