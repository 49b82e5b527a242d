#include "mla/mla.h"

#include <gtest/gtest.h>

#include "audit/audit_log.h"
#include "mla/mla_test_env.h"

namespace ncbnet::mla {
namespace {

bool HasSubject(const std::vector<std::string>& subjects, const std::string& part) {
  for (const std::string& s : subjects) {
    if (s.find(part) != std::string::npos) return true;
  }
  return false;
}

TEST_F(MlaTest, GoesThroughEveryStateAndTellsThePartiesAtEachStep) {
  NewRequest in = Sample();
  in.attachments = {Upload(fra_justice_, "letter of request, signed by the investigating judge")};
  auto sent = Create(Justice(), in);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->state, State::kSent);
  EXPECT_EQ(sent->requesting_country, "FRA");
  ASSERT_EQ(sent->history.size(), 1u);
  // The request reached the requested NCB with its text and its file.
  auto carried = Read("ncb-deu", sent->message_id);
  ASSERT_TRUE(carried.ok()) << carried.status().ToString();
  EXPECT_TRUE(carried->from_hub);
  EXPECT_NE(carried->content.body.find("PNF 2026/1187"), std::string::npos);
  ASSERT_EQ(carried->content.attachments.size(), 1u);
  EXPECT_EQ(carried->content.attachments[0].sha256, in.attachments[0].sha256);

  ASSERT_TRUE(Move(Ncb("DEU"), sent->id, State::kReceived).ok());
  auto started = Move(Ncb("DEU"), sent->id, State::kInProgress, "", deu_authority_);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  EXPECT_EQ(started->assigned_agency, deu_authority_);
  // The assigned agency now sees it, and got the request's text and files.
  ASSERT_TRUE(Get(Authority(), sent->id).ok());
  const messaging::AttachmentRef result = Upload(deu_authority_, "statements of account, 14 pages");
  auto done = Move(Authority(), sent->id, State::kExecuted, "Statements attached.", "", {result});
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->state, State::kExecuted);
  ASSERT_EQ(done->history.size(), 4u);
  EXPECT_EQ(done->history[2].assigned_agency, deu_authority_);
  EXPECT_EQ(done->history[3].note, "Statements attached.");
  ASSERT_EQ(done->history[3].attachments.size(), 1u);

  for (const std::string& party : {fra_justice_, std::string("ncb-fra"), std::string("ncb-deu")}) {
    const auto subjects = Subjects(party);
    EXPECT_EQ(subjects.size(), 4u) << party;
    for (const char* state : {": sent", ": received", ": in_progress", ": executed"}) {
      EXPECT_TRUE(HasSubject(subjects, state)) << party << state;
    }
  }
  EXPECT_EQ(Subjects(deu_authority_).size(), 2u);  // assigned, executed
  EXPECT_TRUE(Subjects("ncb-ita").empty());
  EXPECT_TRUE(Subjects("gs").empty());
  // The result's file travels on the executed step's message, to the requester.
  auto answer = Read(fra_justice_, done->history[3].message_id);
  ASSERT_TRUE(answer.ok());
  ASSERT_EQ(answer->content.attachments.size(), 1u);
  EXPECT_EQ(answer->content.attachments[0].sha256, result.sha256);
}

TEST_F(MlaTest, KeepsTheRequestsFilesThroughRetention) {
  NewRequest in = Sample();
  in.attachments = {Upload(fra_justice_, "warrant of the investigating judge")};
  auto r = Create(Justice(), in);
  ASSERT_TRUE(r.ok());
  // Past the day an unreferenced upload is kept: the message carrying the file keeps it.
  clock_.Advance(std::chrono::hours(72));
  const crypto::SigningKey audit_key = crypto::SigningKey::Generate();
  ASSERT_TRUE(Write([&](store::Transaction& tx) -> Status {
                NCBNET_RETURN_IF_ERROR(audit::Anchor(tx, audit_key));
                return messaging::PurgeAttachments(tx, audit_key, clock_.NowMillis(), 100).status();
              }).ok());
  EXPECT_EQ(Query("SELECT COUNT(*) FROM attachment_blobs WHERE sha256 = ?",
                  {in.attachments[0].sha256})[0][0]
                .AsInt(),
            1);
  auto read = store_->Read([&](store::Transaction& tx) {
    return messaging::ReadAttachment(tx, data_key_, "ncb-deu", r->message_id, 0, 0, 1024).status();
  });
  EXPECT_TRUE(read.ok()) << read.ToString();
}

TEST_F(MlaTest, NobodyButThePartiesSeesARequest) {
  auto r = Create(Justice(), Sample());
  ASSERT_TRUE(r.ok());
  for (const Actor& other :
       {Ncb("ITA"), As("gs", ""), As(fra_police_, "FRA"), As(deu_police_, "DEU"), Authority()}) {
    EXPECT_EQ(Get(other, r->id).status().reason(), "mla_request_not_found") << other.agency_id;
    EXPECT_EQ(Move(other, r->id, State::kReceived).status().reason(), "mla_request_not_found");
    auto listed = List(other);
    ASSERT_TRUE(listed.ok());
    EXPECT_TRUE(listed->empty()) << other.agency_id;
  }
  EXPECT_EQ(Get(Ncb("DEU"), "mla_unknown").status().reason(), "mla_request_not_found");
  for (const Actor& party : {Justice(), Ncb("FRA"), Ncb("DEU")}) {
    EXPECT_TRUE(Get(party, r->id).ok()) << party.agency_id;
  }
}

TEST_F(MlaTest, RefusesInvalidTransitionsAndTheWrongSide) {
  auto r = Create(Justice(), Sample());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Move(Justice(), r->id, State::kReceived).status().reason(), "not_requested_side");
  EXPECT_EQ(Move(Ncb("DEU"), r->id, State::kWithdrawn).status().reason(), "not_requesting_side");
  EXPECT_EQ(Move(Ncb("DEU"), r->id, State::kExecuted).status().reason(), "invalid_transition");
  EXPECT_EQ(Move(Ncb("DEU"), r->id, State::kInProgress).status().reason(), "invalid_transition");
  EXPECT_EQ(Move(Ncb("DEU"), r->id, State::kSent).status().reason(), "invalid_transition");
  ASSERT_TRUE(Move(Ncb("DEU"), r->id, State::kReceived).ok());
  EXPECT_EQ(Move(Ncb("DEU"), r->id, State::kReceived).status().reason(), "invalid_transition");
  // Refusal needs its reasons.
  EXPECT_EQ(Move(Ncb("DEU"), r->id, State::kRefused).status().reason(), "invalid_mla_request");
  EXPECT_EQ(Move(Ncb("DEU"), r->id, State::kRefused, std::string(kMaxNoteBytes + 1, 'x'))
                .status()
                .reason(),
            "text_too_long");
  // An assignee must be the requested NCB's own agency holding mla.request.
  EXPECT_EQ(Move(Ncb("DEU"), r->id, State::kInProgress, "", deu_police_).status().reason(),
            "invalid_assignee");
  EXPECT_EQ(Move(Ncb("DEU"), r->id, State::kInProgress, "", fra_justice_).status().reason(),
            "invalid_assignee");
  EXPECT_EQ(Move(Ncb("DEU"), r->id, State::kReceived, "", deu_authority_).status().reason(),
            "invalid_transition");
  auto refused = Move(Ncb("DEU"), r->id, State::kRefused, "Dual criminality not met.");
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  EXPECT_EQ(refused->state, State::kRefused);
  EXPECT_EQ(Move(Justice(), r->id, State::kWithdrawn).status().reason(), "invalid_transition");
  EXPECT_EQ(Count("mla_events"), 3);
}

TEST_F(MlaTest, TheRequestingSideWithdrawsBeforeExecution) {
  auto r = Create(Justice(), Sample());
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(Move(Ncb("DEU"), r->id, State::kReceived).ok());
  auto withdrawn = Move(Ncb("FRA"), r->id, State::kWithdrawn, "The suspect was arrested.");
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status().ToString();
  EXPECT_EQ(withdrawn->state, State::kWithdrawn);
  EXPECT_TRUE(HasSubject(Subjects("ncb-deu"), ": withdrawn"));
  EXPECT_EQ(Move(Ncb("DEU"), r->id, State::kInProgress).status().reason(), "invalid_transition");
}

TEST_F(MlaTest, RefusesBadInputAndStoresNothing) {
  const auto reason = [&](const Actor& actor, const NewRequest& r) {
    return Create(actor, r).status().reason();
  };
  NewRequest r = Sample("ZZZ");
  EXPECT_EQ(reason(Justice(), r), "unknown_country");
  r = Sample("deu");
  EXPECT_EQ(reason(Justice(), r), "unknown_country");
  r = Sample("FRA");
  EXPECT_EQ(reason(Justice(), r), "own_country");
  r = Sample();
  r.deadline_ms = clock_.NowMillis();
  EXPECT_EQ(reason(Justice(), r), "deadline_in_past");
  r = Sample();
  r.text.facts = std::string(kMaxFactsBytes + 1, 'f');
  EXPECT_EQ(reason(Justice(), r), "text_too_long");
  r = Sample();
  r.text.summary = "two\nlines";
  EXPECT_EQ(reason(Justice(), r), "invalid_mla_request");
  r = Sample();
  r.text.measures.clear();
  EXPECT_EQ(reason(Justice(), r), "invalid_mla_request");
  r = Sample();
  r.text.legal_basis.clear();
  EXPECT_EQ(reason(Justice(), r), "invalid_mla_request");
  r = Sample();
  // A file someone else uploaded is not the requester's to send.
  r.attachments = {Upload(fra_police_, "someone else's file")};
  EXPECT_EQ(reason(Justice(), r), "unknown_attachment");
  r.attachments[0].sha256 = "nothex";
  EXPECT_EQ(reason(Justice(), r), "invalid_mla_request");
  EXPECT_EQ(reason(As("gs", ""), Sample()), "no_requesting_country");
  EXPECT_EQ(Count("mla_requests"), 0);
  EXPECT_EQ(Count("mla_events"), 0);
  EXPECT_TRUE(Subjects("ncb-deu").empty());
}

TEST_F(MlaTest, SealsItsTextAtRest) {
  NewRequest in = Sample();
  in.text.facts = "zqsecretfact wired to the account";
  auto r = Create(Justice(), in);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(Move(Ncb("DEU"), r->id, State::kReceived).ok());
  ASSERT_TRUE(Move(Ncb("DEU"), r->id, State::kRefused, "zqsecretreason").ok());
  for (const auto& [table, column] :
       {std::pair{"mla_requests", "content"}, std::pair{"mla_events", "sealed"}}) {
    for (const store::Row& row : Query(std::string("SELECT ") + column + " FROM " + table)) {
      EXPECT_EQ(row[0].AsText().find("zqsecret"), std::string::npos) << table;
    }
  }
  // Sealed text moved to another request does not open.
  auto other = Create(Justice(), Sample());
  ASSERT_TRUE(other.ok());
  Exec(
      "UPDATE mla_requests SET content = (SELECT content FROM mla_requests WHERE id = ?)"
      " WHERE id = ?",
      {r->id, other->id});
  EXPECT_EQ(Get(Justice(), other->id).status().reason(), "mla_text_damaged");
}

TEST_F(MlaTest, ListsByDirectionStateAndOverdue) {
  auto outgoing = Create(Justice(), Sample());
  clock_.Advance(std::chrono::minutes(1));
  NewRequest back = Sample("FRA");
  back.type = RequestType::kExtradition;
  back.deadline_ms = clock_.NowMillis() + kDayMs;
  auto incoming = Create(Ncb("DEU"), back);
  ASSERT_TRUE(outgoing.ok() && incoming.ok());
  const auto ids = [](const Result<std::vector<Request>>& found) {
    std::vector<std::string> out;
    if (found.ok()) {
      for (const Request& r : *found) out.push_back(r.id);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids(List(Ncb("FRA"))), (V{incoming->id, outgoing->id}));
  EXPECT_EQ(ids(List(Ncb("FRA"), {Direction::kOutgoing})), V{outgoing->id});
  EXPECT_EQ(ids(List(Ncb("FRA"), {Direction::kIncoming})), V{incoming->id});
  // The ministry is party only to what it sent.
  EXPECT_EQ(ids(List(Justice())), V{outgoing->id});
  EXPECT_EQ(ids(List(Justice(), {Direction::kIncoming})), V{});
  EXPECT_EQ(ids(List(Ncb("DEU"), {std::nullopt, State::kSent})), (V{incoming->id, outgoing->id}));
  Filter overdue;
  overdue.overdue_only = true;
  EXPECT_EQ(ids(List(Ncb("DEU"), overdue)), V{});
  clock_.Advance(std::chrono::hours(48));
  EXPECT_EQ(ids(List(Ncb("DEU"), overdue)), V{incoming->id});
  auto seen = Get(Ncb("DEU"), incoming->id);
  ASSERT_TRUE(seen.ok());
  EXPECT_TRUE(seen->overdue);
  Filter page;
  page.limit = 1;
  EXPECT_EQ(ids(List(Ncb("FRA"), page)), V{incoming->id});
  page.before = incoming->id;
  EXPECT_EQ(ids(List(Ncb("FRA"), page)), V{outgoing->id});
  page.limit = 0;
  EXPECT_EQ(List(Ncb("FRA"), page).status().reason(), "invalid_request");
}

}  // namespace
}  // namespace ncbnet::mla
