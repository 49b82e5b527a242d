// The messaging tests' network (messaging/messaging_test_env.h: the GS and NCBs of France,
// Germany and Italy) with the hub's messaging key registered, for the notices tests: actors for
// each side and helpers that run one call of notices.h in its own transaction.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "messaging/hub_messages.h"
#include "messaging/messaging_test_env.h"
#include "notices/notices.h"

namespace ncbnet::notices {

class NoticesTest : public messaging::MessagingTest {
 protected:
  void SetUp() override {
    MessagingTest::SetUp();
    if (HasFatalFailure()) return;
    RegisterHubKey();
    if (HasFatalFailure()) return;
    auto secret = records::DeriveIndexSecret(data_key_.bytes);
    ASSERT_TRUE(secret.ok());
    secret_ = *secret;
  }

  static Actor Ncb(const std::string& country) {
    std::string lower = country;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return {"ncb-" + lower, "usr_1", country, access::AgencyKind::kNcb, true, false, true};
  }
  static Actor Gs() { return {"gs", "usr_gs", "", access::AgencyKind::kGs, true, true, true}; }
  // An agency of `country` that holds neither notice.read nor notice.request (a justice
  // ministry with mla.request only, a terminal).
  static Actor NonReader(const std::string& country) {
    return {"agc_other", "usr_2", country, access::AgencyKind::kAgency, false, false, false};
  }

  Keys keys() const { return {data_key_, hub_key_, secret_}; }

  // Runs `fn` in a write transaction and returns the notice it returns.
  Result<Notice> Do(const std::function<Result<Notice>(store::Transaction&)>& fn) {
    Notice out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, fn(tx));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<Notice> Draft(const Actor& a, const std::string& kind, const nlohmann::json& fields,
                       const std::string& channel = "notice",
                       std::optional<std::vector<std::string>> recipients = std::nullopt) {
    DraftInput in;
    in.kind = kind;
    in.fields = fields;
    in.recipients = std::move(recipients);
    return Do([&](store::Transaction& tx) {
      return CreateDraft(tx, keys(), a, channel, in, clock_.NowMillis());
    });
  }

  Result<Notice> SubmitAs(const Actor& a, const std::string& id,
                          std::vector<Problem>* problems = nullptr) {
    return Do([&](store::Transaction& tx) {
      return Submit(tx, keys(), a, id, problems, clock_.NowMillis());
    });
  }

  Result<Notice> ReviewAs(const Actor& a, const std::string& id, Decision d,
                          const std::string& reasons = "") {
    return Do([&](store::Transaction& tx) {
      return Review(tx, keys(), a, id, d, reasons, clock_.NowMillis());
    });
  }

  Result<Notice> Get(const Actor& a, const std::string& id) {
    Notice out;
    Status s = store_->Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, GetNotice(tx, keys(), a, id));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  // A published Red Notice of France on `name`, born `dob`, holding passport `passport`.
  Notice PublishedRed(const std::string& name = "Ivan Volkov",
                      const std::string& passport = "75X123456",
                      const std::string& dob = "1981-03-14") {
    auto n = Draft(Ncb("FRA"), "red", RedFields(name, passport, dob));
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    EXPECT_TRUE(SubmitAs(Ncb("FRA"), n->id).ok());
    auto p = ReviewAs(Gs(), n->id, Decision::kApprove);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return *p;
  }

  static nlohmann::json RedFields(const std::string& name, const std::string& passport,
                                  const std::string& dob) {
    return {{"name", name},
            {"sex", "M"},
            {"date_of_birth", dob},
            {"nationalities", {"RUS"}},
            {"identity_documents",
             {{{"number", passport}, {"issuing_country", "RUS"}, {"document_type", "passport"}}}},
            {"facts", "Armed robbery of a jeweller's in Lyon on 3 March 2026."},
            {"charges", {"armed robbery"}},
            {"warrant_reference", "MA-2026-0412"},
            {"warrant_date", "2026-03-20"},
            {"warrant_authority", "Tribunal judiciaire de Lyon"},
            {"maximum_penalty", "30 years' imprisonment"},
            {"extradition_assurance", true}};
  }

  // The subjects of hub messages in `agency`'s mailbox.
  std::vector<std::string> HubSubjects(const std::string& agency) {
    std::vector<std::string> out;
    auto events = Fetch(agency, 0, 500);
    EXPECT_TRUE(events.ok());
    for (const messaging::MailboxEvent& e : *events) {
      if (e.message && e.message->from_hub) out.push_back(e.message->content.subject);
    }
    return out;
  }

  std::string RecordStatusOf(const std::string& record_id) {
    auto rows = Query("SELECT status, review_ms, visibility, countries FROM records WHERE id = ?",
                      {record_id});
    return rows.empty() ? "" : rows[0][0].AsText();
  }

  records::IndexSecret secret_;
};

}  // namespace ncbnet::notices
