// The subjects of live notices in the border check and screening, over HTTPS against the
// in-process hub: NOTICES records are written as the notices service writes them
// (records::CreateRecord, owner the requesting NCB), then checked as a border agency would.
#include <gtest/gtest.h>

#include "access/agencies.h"
#include "access/grants.h"
#include "api/hub_test_env.h"
#include "notices/lookup_test_rows.h"

namespace ncbnet::api::testing_support {
namespace {

using nlohmann::json;

class NoticeChecksTest : public HubTest {
 protected:
  void SetUp() override {
    HubTest::SetUp();
    if (HasFatalFailure()) return;
    deu_ = TokenFor("ncb-deu");
    ita_ = TokenFor("ncb-ita");
  }

  static json Subject(const std::string& control_number, const std::string& channel = "notice") {
    return {{"control_number", control_number},
            {"kind", "red"},
            {"channel", channel},
            {"name", "Александр Сергеевич Волков"},
            {"name_latin", "Aleksandr Sergeevich Volkov"},
            {"sex", "M"},
            {"date_of_birth", "1984-07-12"},
            {"nationalities", {"RUS"}},
            {"identity_documents", {{{"number", "754213986"}, {"issuing_country", "RUS"}}}}};
  }

  // A NOTICES record owned by France, the requesting NCB, written as the notices service does.
  records::Record Publish(const json& fields, records::Restrictions restrictions = {}) {
    records::RecordInput in;
    in.fields = fields;
    in.restrictions = std::move(restrictions);
    in.action = "Red Notice " + fields["control_number"].get<std::string>() +
                ": locate and arrest with a view to extradition to FRA; call NCB Paris.";
    auto r = WriteRecord([&](store::Transaction& tx) {
      return records::CreateRecord(tx, **records::Catalogue::Builtin().Find("NOTICES"), secret_,
                                   {"ncb-fra", "", "FRA"}, in, clock_.NowMillis());
    });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : records::Record{};
  }

  json Check(const std::string& token, const json& body) {
    Reply r = Call(token, "POST", "/v1/border-checks", body);
    EXPECT_EQ(r.status, 200) << r.text;
    return r.body;
  }

  static json Passport(const std::string& number = "754213986") {
    return {{"document", {{"number", number}, {"issuing_country", "RUS"}}}};
  }

  // The hits recorded on `record_id`: {owner_country, checker_agency, notification_id}.
  std::vector<std::vector<std::string>> HitsOn(const std::string& record_id) {
    std::vector<std::vector<std::string>> out;
    EXPECT_TRUE(store_
                    ->Read([&](store::Transaction& tx) -> Status {
                      NCBNET_ASSIGN_OR_RETURN(
                          auto rows, tx.Query("SELECT owner_country, checker_agency, "
                                              "notification_id FROM hits WHERE record_id = ?",
                                              {record_id}));
                      for (const auto& row : rows) {
                        out.push_back({row[0].AsText(), row[1].AsText(), row[2].AsText()});
                      }
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }

  std::string deu_, ita_;
};

TEST_F(NoticeChecksTest, ATravellersDocumentMatchesTheSubjectOfANotice) {
  const records::Record r = Publish(Subject("A-42/11-2026"));
  const json answer = Check(deu_, Passport());
  EXPECT_EQ(answer["databases"], json({"SLTD", "NOMINAL", "NOTICES"}));
  ASSERT_EQ(answer["notices"].size(), 1u) << answer.dump();
  const json& n = answer["notices"][0];
  EXPECT_EQ(n["control_number"], "A-42/11-2026");
  EXPECT_EQ(n["kind"], "red");
  EXPECT_EQ(n["channel"], "notice");
  EXPECT_EQ(n["requesting_country"], "FRA");
  EXPECT_EQ(n["matched_by"], "document");
  EXPECT_EQ(n["record"]["id"], r.id);
  EXPECT_EQ(n["record"]["database"], "NOTICES");
  EXPECT_NE(n["action"].get<std::string>().find("A-42/11-2026"), std::string::npos);
  EXPECT_FALSE(n.contains("score"));
  EXPECT_TRUE(answer["alert"]);
  EXPECT_EQ(answer["actions"].size(), 1u);
  EXPECT_EQ(answer["actions"][0]["database"], "NOTICES");
  // The match is a hit, and the requesting NCB has been told.
  const auto hits = HitsOn(r.id);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0][0], "FRA");
  EXPECT_EQ(hits[0][1], "ncb-deu");
  EXPECT_FALSE(hits[0][2].empty());
  EXPECT_EQ(n["hit"].is_string(), true);
}

TEST_F(NoticeChecksTest, APersonMatchesTheSubjectOfANoticeByName) {
  const records::Record r = Publish(Subject("A-43/11-2026"));
  const json answer = Check(deu_, {{"name", "Aleksandr Volkov"},
                                   {"date_of_birth", "1984-07-12"},
                                   {"sex", "M"},
                                   {"nationality", "RUS"}});
  ASSERT_EQ(answer["notices"].size(), 1u) << answer.dump();
  const json& n = answer["notices"][0];
  EXPECT_EQ(n["matched_by"], "name");
  EXPECT_EQ(n["record"]["id"], r.id);
  EXPECT_GT(n["score"].get<double>(), 0.5);
  EXPECT_TRUE(n.contains("explanation"));
  EXPECT_TRUE(answer["alert"]);
  // By document and by name at once, the subject is listed once, by document.
  json both = Passport();
  both["name"] = "Aleksandr Volkov";
  const json twice = Check(deu_, both);
  ASSERT_EQ(twice["notices"].size(), 1u);
  EXPECT_EQ(twice["notices"][0]["matched_by"], "document");
}

TEST_F(NoticeChecksTest, ADiffusionToOtherCountriesLooksAbsentToTheRest) {
  const records::Record r =
      Publish(Subject("DIF-7/11-2026", "diffusion"),
              records::Restrictions{records::Visibility::kOnly, {"DEU"}, true});
  json body = Passport();
  body["name"] = "Aleksandr Volkov";
  const json to_recipient = Check(deu_, body);
  ASSERT_EQ(to_recipient["notices"].size(), 1u);
  EXPECT_EQ(to_recipient["notices"][0]["channel"], "diffusion");
  // Italy, no recipient, gets exactly the answer of a traveller no one seeks, and no hit.
  const json to_other = Check(ita_, body);
  json nobody = Passport("700000001");
  nobody["name"] = "Pieter Jansen";
  EXPECT_EQ(to_other, Check(ita_, nobody));
  EXPECT_EQ(to_other["notices"], json::array());
  EXPECT_FALSE(to_other["alert"]);
  EXPECT_EQ(HitsOn(r.id).size(), 2u);  // Germany's, by document and by name
}

TEST_F(NoticeChecksTest, ACancelledNoticeStopsMatchingAtOnce) {
  const records::Record r = Publish(Subject("A-44/11-2026"));
  ASSERT_EQ(Check(deu_, Passport())["notices"].size(), 1u);
  auto cancelled = WriteRecord([&](store::Transaction& tx) {
    return records::CancelRecord(tx, **records::Catalogue::Builtin().Find("NOTICES"), secret_,
                                 {"ncb-fra", "", "FRA"}, r.id, r.version, "notice cancelled",
                                 clock_.NowMillis());
  });
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().ToString();
  json body = Passport();
  body["name"] = "Aleksandr Volkov";
  const json answer = Check(deu_, body);
  EXPECT_EQ(answer["notices"], json::array()) << answer.dump();
  EXPECT_FALSE(answer["alert"]);
}

TEST_F(NoticeChecksTest, ACallerWithoutRecordCheckNoticesHasNoNoticesTarget) {
  Publish(Subject("A-45/11-2026"));
  std::string border_id;
  ASSERT_TRUE(Write([&](store::Transaction& tx) -> Status {
                NCBNET_ASSIGN_OR_RETURN(
                    access::Agency border,
                    access::CreateChildAgency(tx, "ncb-deu", "ncb-deu", access::AgencyKind::kAgency,
                                              "Bundespolizei", clock_.NowMillis()));
                border_id = border.id;
                for (const char* cap : {"record.check:SLTD", "record.check:NOMINAL"}) {
                  NCBNET_RETURN_IF_ERROR(access::GrantCapability(tx, {"ncb-deu", ""}, border.id,
                                                                 cap, std::nullopt,
                                                                 clock_.NowMillis())
                                             .status());
                }
                return Status::Ok();
              }).ok());
  const std::string border = TokenFor(border_id);
  json body = Passport();
  body["name"] = "Aleksandr Volkov";
  const json answer = Check(border, body);
  EXPECT_EQ(answer["databases"], json({"SLTD", "NOMINAL"}));
  EXPECT_EQ(answer["notices"], json::array());
  EXPECT_FALSE(answer["alert"]);
  // Screening alike: no notices at all.
  Reply screened = Call(border, "POST", "/v1/screening", {{"travellers", {body}}});
  ASSERT_EQ(screened.status, 200) << screened.text;
  EXPECT_EQ(screened.text.find("\"notices\""), std::string::npos) << screened.text;
}

TEST_F(NoticeChecksTest, ScreeningListsTheNoticesOfEachTraveller) {
  Publish(Subject("A-46/11-2026"));
  Reply r =
      Call(deu_, "POST", "/v1/screening", {{"travellers", {Passport("700000001"), Passport()}}});
  ASSERT_EQ(r.status, 200) << r.text;
  std::vector<json> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = r.text.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(json::parse(r.text.substr(start, nl - start)));
  }
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["databases"], json({"SLTD", "NOMINAL", "NOTICES"}));
  // A document alone that matches nothing names no person: neither persons nor notices.
  EXPECT_FALSE(lines[1].contains("notices")) << lines[1].dump();
  EXPECT_FALSE(lines[1]["alert"]);
  ASSERT_EQ(lines[2]["notices"].size(), 1u);
  EXPECT_EQ(lines[2]["notices"][0]["control_number"], "A-46/11-2026");
  EXPECT_TRUE(lines[2]["alert"]);
}

// A NOMINAL record cites notices by control number (free text its owner entered): only those
// live for the caller are shown, unknown and unpublished ones are left out.
TEST_F(NoticeChecksTest, ANominalPersonShowsOnlyTheLiveNoticesItCites) {
  ASSERT_TRUE(
      Write([&](store::Transaction& tx) -> Status {
        using notices::testutil::NoticeRow;
        for (const NoticeRow& n :
             {NoticeRow{"ntc_1", "notice", "red", "published", "A-1/11-2026"},
              NoticeRow{"ntc_2", "notice", "red", "suspended", "A-2/11-2026"},
              NoticeRow{"dif_3", "diffusion", "red", "circulated", "DIF-3/11-2026", "ITA"}}) {
          NCBNET_RETURN_IF_ERROR(notices::testutil::InsertNoticeRow(tx, n));
        }
        return Status::Ok();
      }).ok());
  records::RecordInput in;
  in.fields = {{"name", "Dmitri Petrov"},
               {"notices", {"A-1/11-2026", "A-2/11-2026", "DIF-3/11-2026", "A-999/11-2026"}}};
  in.action = "Call NCB Paris.";
  auto person = WriteRecord([&](store::Transaction& tx) {
    return records::CreateRecord(tx, **records::Catalogue::Builtin().Find("NOMINAL"), secret_,
                                 {"ncb-fra", "", "FRA"}, in, clock_.NowMillis());
  });
  ASSERT_TRUE(person.ok()) << person.status().ToString();
  const json answer = Check(deu_, {{"name", "Dmitri Petrov"}});
  ASSERT_EQ(answer["persons"].size(), 1u) << answer.dump();
  EXPECT_EQ(answer["notices"], json::parse(R"([{"control_number": "A-1/11-2026", "kind": "red",
      "channel": "notice", "requesting_country": "FRA", "matched_by": "reference",
      "cited_by": ")" + person->id + R"("}])"));
  // Italy, a recipient of the diffusion, sees it too.
  const json for_ita = Check(ita_, {{"name", "Dmitri Petrov"}});
  ASSERT_EQ(for_ita["notices"].size(), 2u) << for_ita.dump();
  EXPECT_EQ(for_ita["notices"][1]["control_number"], "DIF-3/11-2026");
}

}  // namespace
}  // namespace ncbnet::api::testing_support
