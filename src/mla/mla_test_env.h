// The messaging tests' network (messaging/messaging_test_env.h) with the hub's messaging key
// registered, a French ministry of justice and a German central authority (national agencies
// holding mla.request from their NCBs), and helpers to send, read and move MLA requests.
#pragma once

#include <string>
#include <vector>

#include "access/capabilities.h"
#include "crypto/hash.h"
#include "messaging/attachments.h"
#include "messaging/hub_messages.h"
#include "messaging/messaging_test_env.h"
#include "mla/mla.h"
#include "mla/reminders.h"

namespace ncbnet::mla {

class MlaTest : public messaging::MessagingTest {
 protected:
  void SetUp() override {
    MessagingTest::SetUp();
    if (HasFatalFailure()) return;
    RegisterHubKey();
    if (HasFatalFailure()) return;
    fra_justice_ = NewAgency("ncb-fra", access::AgencyKind::kAgency, false);
    deu_authority_ = NewAgency("ncb-deu", access::AgencyKind::kAgency, false);
    Grant("ncb-fra", fra_justice_);
    Grant("ncb-deu", deu_authority_);
  }

  void Grant(const std::string& ncb, const std::string& agency) {
    ASSERT_TRUE(Write([&](store::Transaction& tx) {
                  return access::GrantCapability(tx, {ncb, ""}, agency,
                                                 std::string(access::kMlaRequest), std::nullopt,
                                                 clock_.NowMillis())
                      .status();
                }).ok());
  }

  static Actor As(const std::string& agency, const std::string& country) {
    return {agency, country, "usr_test"};
  }
  Actor Justice() const { return As(fra_justice_, "FRA"); }
  Actor Authority() const { return As(deu_authority_, "DEU"); }
  static Actor Ncb(const std::string& country) {
    std::string id = "ncb-" + country;
    for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return As(id, country);
  }

  NewRequest Sample(const std::string& to = "DEU") const {
    NewRequest r;
    r.type = RequestType::kMla;
    r.requested_country = to;
    r.urgency = Urgency::kUrgent;
    r.deadline_ms = clock_.NowMillis() + 30 * kDayMs;
    r.text.case_reference = "PNF 2026/1187";
    r.text.legal_basis = "Convention on Mutual Assistance in Criminal Matters, 2000, art. 3";
    r.text.summary = "Bank records of an account used in an investment fraud";
    r.text.facts = "Between March and June 2026 investors wired EUR 2.4 million\nto the account.";
    r.text.measures = {"Statements of account DE89 3704 0044 0532 0130 00 since 2026-01-01"};
    r.text.persons = {"Marc LEGRAND, born 1979-04-12, French national"};
    return r;
  }

  // Uploads `data` as `agency` and returns the reference to put in a request.
  messaging::AttachmentRef Upload(const std::string& agency, const std::string& data) {
    messaging::AttachmentRef ref{crypto::Sha256Hex(data), static_cast<std::int64_t>(data.size()),
                                 "letter-of-request.pdf", "application/pdf"};
    EXPECT_TRUE(Write([&](store::Transaction& tx) -> Status {
                  NCBNET_ASSIGN_OR_RETURN(
                      messaging::Upload u,
                      messaging::OpenUpload(tx, agency, ref.sha256, ref.size, clock_.NowMillis()));
                  NCBNET_RETURN_IF_ERROR(messaging::WriteChunk(tx, data_key_, agency, u.id, 0, data,
                                                               clock_.NowMillis())
                                             .status());
                  return messaging::CompleteUpload(tx, data_key_, agency, u.id, clock_.NowMillis())
                      .status();
                }).ok());
    return ref;
  }

  Result<Request> Create(const Actor& actor, const NewRequest& r) {
    Request out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(
          out, CreateRequest(tx, Keys{data_key_, hub_key_}, actor, r, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<Request> Move(const Actor& actor, const std::string& id, State to,
                       const std::string& note = "", const std::string& assign_to = "",
                       const std::vector<messaging::AttachmentRef>& files = {}) {
    Request out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out,
                              ApplyTransition(tx, Keys{data_key_, hub_key_}, id, actor,
                                              {to, note, assign_to, files}, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<Request> Get(const Actor& viewer, const std::string& id) {
    Request out;
    Status s = store_->Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, GetRequest(tx, data_key_, id, viewer, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<Request>> List(const Actor& viewer, const Filter& filter = {}) {
    std::vector<Request> out;
    Status s = store_->Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, ListRequests(tx, data_key_, viewer, filter, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<ReminderResult> Remind() {
    ReminderResult out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(
          out, SendDeadlineReminders(tx, Keys{data_key_, hub_key_}, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  // The subjects of the messages in `agency`'s mailbox, oldest first.
  std::vector<std::string> Subjects(const std::string& agency) {
    std::vector<std::string> out;
    auto events = Fetch(agency, 0, 500);
    EXPECT_TRUE(events.ok());
    if (!events.ok()) return out;
    for (const messaging::MailboxEvent& e : *events) {
      if (e.kind == messaging::EventKind::kMessage && e.message) {
        out.push_back(e.message->content.subject);
      }
    }
    return out;
  }

  static constexpr std::int64_t kDayMs = std::int64_t{24} * 3600 * 1000;
  std::string fra_justice_, deu_authority_;
};

}  // namespace ncbnet::mla
