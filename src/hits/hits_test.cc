#include "hits/hits.h"

#include <gtest/gtest.h>

#include "access/agency_keys.h"
#include "core/time_format.h"
#include "hits/hits_test_env.h"

namespace ncbnet::hits {
namespace {

using std::chrono::milliseconds;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

CheckContext CdgContext() {
  CheckContext c;
  c.location = "Paris CDG, terminal 2E, gate K41";
  c.port = "CDG";
  c.flight = "AF1234";
  return c;
}

TEST_F(HitsTest, RecordsAHitAndReturnsTheOwnersAction) {
  const records::Record rec = NewRecord("DEU");
  auto hits = Record(FraTerminal(), {rec}, {DocumentMatch("DEU:AB1234561")}, CdgContext());
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->front().hit_id.rfind("hit_", 0), 0u);
  EXPECT_EQ(hits->front().record_id, rec.id);
  EXPECT_EQ(hits->front().action, rec.action);

  auto hit = Get(hits->front().hit_id, Ncb("DEU"));
  ASSERT_TRUE(hit.ok()) << hit.status().ToString();
  EXPECT_EQ(hit->record_id, rec.id);
  EXPECT_EQ(hit->database, "SLTD");
  EXPECT_EQ(hit->owner_agency, "ncb-deu");
  EXPECT_EQ(hit->checker_agency, fra_terminal_);
  EXPECT_EQ(hit->checker_country, "FRA");
  EXPECT_TRUE(hit->terminal);
  EXPECT_EQ(hit->checked_ms, clock_.NowMillis());
  EXPECT_EQ(hit->matched.identifier, "document");
  EXPECT_EQ(hit->matched.value, "DEU:AB1234561");
  EXPECT_EQ(hit->context.flight, "AF1234");
  EXPECT_EQ(hit->checker_state, FollowUpState::kOpen);
  EXPECT_EQ(hit->owner_state, FollowUpState::kOpen);
  EXPECT_FALSE(hit->notification_id.empty());
}

TEST_F(HitsTest, NotifiesTheOwnerNcbWithAVerifiableHubMessage) {
  const records::Record rec = NewRecord("DEU");
  auto hits = Record(FraTerminal(), {rec}, {DocumentMatch("DEU:AB1234561")}, CdgContext());
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  const std::vector<messaging::StoredMessage> inbox = Inbox("ncb-deu");
  ASSERT_EQ(inbox.size(), 1u);
  const messaging::StoredMessage& m = inbox.front();
  EXPECT_EQ(m.content.sender_agency, "gs");
  EXPECT_TRUE(m.from_hub);
  EXPECT_EQ(m.content.priority, messaging::Priority::kUrgent);
  // Offline verification, as `ncbnet msg verify` does it with the key directory.
  EXPECT_EQ(m.signature.key_id, access::KeyIdFor(hub_key_.public_key()));
  EXPECT_TRUE(crypto::VerifySignature(
      hub_key_.public_key(), messaging::CanonicalEncoding(m.content), m.signature.signature));
  // The check's context: who, from which terminal, when, what matched, which record.
  const std::string& body = m.content.body;
  EXPECT_TRUE(Contains(body, fra_terminal_)) << body;
  EXPECT_TRUE(Contains(body, "terminal")) << body;
  EXPECT_TRUE(Contains(body, "fra.gate7 (usr_gate7)")) << body;
  EXPECT_TRUE(Contains(body, "Paris CDG, terminal 2E, gate K41")) << body;
  EXPECT_TRUE(Contains(body, "Flight: AF1234")) << body;
  EXPECT_TRUE(Contains(body, "document DEU:AB1234561 matched")) << body;
  EXPECT_TRUE(Contains(body, FormatIsoMillis(clock_.NowMillis()))) << body;
  EXPECT_TRUE(Contains(body, rec.id)) << body;
  EXPECT_TRUE(Contains(body, rec.external_id)) << body;
  EXPECT_EQ(m.content.links, (std::vector<std::string>{hits->front().hit_id, rec.id}));
  // Nobody else is told, and the GS, the message's nominal sender, cannot read it.
  EXPECT_TRUE(Inbox("ncb-fra").empty());
  EXPECT_TRUE(Inbox("ncb-ita").empty());
  EXPECT_EQ(Read("gs", m.id).status().reason(), "message_not_found");
}

TEST_F(HitsTest, OneNotificationPerOwnerNcbForABatch) {
  const records::Record d1 = NewRecord("DEU");
  const records::Record d2 = NewRecord("DEU", "SMV");
  const records::Record i1 = NewRecord("ITA");
  MatchInfo name;
  name.kind = MatchKind::kName;
  name.value = "Ivan Petrov";
  name.score = 0.87;
  name.explanation = "surname exact, given name phonetic";
  auto hits =
      Record(FraTerminal(), {d1, d2, i1}, {DocumentMatch("DEU:1"), DocumentMatch("DEU:2"), name});
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_EQ(hits->size(), 3u);
  const auto deu = Inbox("ncb-deu");
  const auto ita = Inbox("ncb-ita");
  ASSERT_EQ(deu.size(), 1u);
  ASSERT_EQ(ita.size(), 1u);
  EXPECT_TRUE(Contains(deu[0].content.subject, "2 of your records")) << deu[0].content.subject;
  EXPECT_TRUE(Contains(deu[0].content.body, d1.id) && Contains(deu[0].content.body, d2.id));
  EXPECT_FALSE(Contains(deu[0].content.body, i1.id));
  EXPECT_TRUE(Contains(ita[0].content.body, "name \"Ivan Petrov\" matched with score 0.87"))
      << ita[0].content.body;
}

TEST_F(HitsTest, ABigBatchSendsEachOwnerOneNotificationNamedByEveryHit) {
  // Twice as many hits as a notification lists, and 64 rows a statement plus a remainder.
  const std::size_t n = 2 * kHitsPerNotification + 3;
  std::vector<records::Record> recs;
  std::vector<MatchInfo> matched;
  for (std::size_t i = 0; i < n; ++i) {
    recs.push_back(NewRecord("DEU"));
    matched.push_back(DocumentMatch("DEU:" + std::to_string(i)));
  }
  auto hits = Record(FraTerminal(), recs, matched);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_EQ(hits->size(), n);
  const auto deu = Inbox("ncb-deu");
  ASSERT_EQ(deu.size(), 1u);
  const messaging::StoredMessage& m = deu.front();
  EXPECT_TRUE(Contains(m.content.subject, std::to_string(n) + " of your records"))
      << m.content.subject;
  EXPECT_TRUE(Contains(m.content.body, recs.front().id));
  EXPECT_FALSE(Contains(m.content.body, recs.back().id));
  EXPECT_TRUE(Contains(m.content.body, "and " + std::to_string(n - kHitsPerNotification) +
                                           " more hits of the same check"))
      << m.content.body;
  EXPECT_EQ(m.content.links.size(), 2 * kHitsPerNotification);
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ((*hits)[i].record_id, recs[i].id);
    auto hit = Get((*hits)[i].hit_id, Ncb("DEU"));
    ASSERT_TRUE(hit.ok()) << hit.status().ToString();
    EXPECT_EQ(hit->record_id, recs[i].id);
    EXPECT_EQ(hit->matched.value, matched[i].value);
    EXPECT_EQ(hit->notification_id, m.id) << i;
  }
}

TEST_F(HitsTest, AnOwnerCheckingItsOwnRecordIsNotNotified) {
  const records::Record rec = NewRecord("FRA");
  const Checker ncb{"ncb-fra", "usr_1", "fra.admin", "FRA", access::AgencyKind::kNcb};
  auto hits = Record(ncb, {rec}, {DocumentMatch("FRA:1")});
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  EXPECT_TRUE(Inbox("ncb-fra").empty());
  // A domestic hit by one of its agencies is told to the owner NCB.
  ASSERT_TRUE(Record(FraTerminal(), {rec}, {DocumentMatch("FRA:1")}).ok());
  EXPECT_EQ(Inbox("ncb-fra").size(), 1u);
}

TEST_F(HitsTest, ADisabledOwnerNcbDoesNotFailTheCheck) {
  const records::Record rec = NewRecord("ITA");
  Exec("UPDATE agencies SET disabled_ms = 1 WHERE id = 'ncb-ita'");
  auto hits = Record(FraTerminal(), {rec}, {DocumentMatch("ITA:1")});
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  EXPECT_EQ(Count("hits"), 1);
  EXPECT_EQ(Count("messages"), 0);
}

TEST_F(HitsTest, BothSidesFollowUpWithTimesAndTheOtherSideIsTold) {
  const records::Record rec = NewRecord("DEU");
  auto hits = Record(FraTerminal(), {rec}, {DocumentMatch("DEU:1")});
  ASSERT_TRUE(hits.ok());
  const std::string id = hits->front().hit_id;
  ASSERT_EQ(Inbox("ncb-deu").size(), 1u);  // the notification, read

  clock_.Advance(milliseconds(60'000));
  const std::int64_t t1 = clock_.NowMillis();
  auto owner = FollowUpAs(Ncb("DEU"), id, FollowUpState::kConfirmed, "Still stolen.\nSeize it.");
  ASSERT_TRUE(owner.ok()) << owner.status().ToString();
  EXPECT_EQ(owner->owner_state, FollowUpState::kConfirmed);
  EXPECT_EQ(owner->owner_state_ms, t1);
  EXPECT_EQ(owner->checker_state, FollowUpState::kOpen);
  // The checking side hears of it: the terminal and its NCB.
  for (const std::string& agency : {fra_terminal_, std::string("ncb-fra")}) {
    const auto inbox = Inbox(agency);
    ASSERT_EQ(inbox.size(), 1u) << agency;
    EXPECT_TRUE(Contains(inbox[0].content.subject, "confirmed by the record's owner"));
    EXPECT_TRUE(Contains(inbox[0].content.body, "Still stolen.\nSeize it."));
  }

  clock_.Advance(milliseconds(60'000));
  const std::int64_t t2 = clock_.NowMillis();
  auto checker = FollowUpAs(FraTerminalViewer(), id, FollowUpState::kActionTaken, "Seized.");
  ASSERT_TRUE(checker.ok()) << checker.status().ToString();
  EXPECT_EQ(checker->checker_state, FollowUpState::kActionTaken);
  EXPECT_EQ(checker->checker_state_ms, t2);
  ASSERT_EQ(checker->follow_ups.size(), 2u);
  EXPECT_EQ(checker->follow_ups[0].side, Side::kOwner);
  EXPECT_EQ(checker->follow_ups[0].agency_id, "ncb-deu");
  EXPECT_EQ(checker->follow_ups[0].created_ms, t1);
  EXPECT_EQ(checker->follow_ups[1].side, Side::kChecker);
  EXPECT_EQ(checker->follow_ups[1].state, FollowUpState::kActionTaken);
  EXPECT_EQ(checker->follow_ups[1].created_ms, t2);
  const auto deu = Inbox("ncb-deu");
  ASSERT_EQ(deu.size(), 2u);
  EXPECT_TRUE(Contains(deu[1].content.subject, "action_taken by the checking side"));

  // The checker's NCB follows up on the checking side too.
  auto ncb = FollowUpAs(Ncb("FRA"), id, FollowUpState::kClosed);
  ASSERT_TRUE(ncb.ok()) << ncb.status().ToString();
  EXPECT_EQ(ncb->checker_state, FollowUpState::kClosed);
  EXPECT_EQ(FollowUpAs(FraTerminalViewer(), id, FollowUpState::kConfirmed).status().reason(),
            "hit_closed");
  // The owner's side is still open to it.
  EXPECT_TRUE(FollowUpAs(Ncb("DEU"), id, FollowUpState::kClosed).ok());
}

TEST_F(HitsTest, AThirdCountryTheGsAndOtherAgenciesNeitherSeeNorFollowUp) {
  const records::Record rec = NewRecord("DEU");
  auto hits = Record(FraTerminal(), {rec}, {DocumentMatch("DEU:1")});
  ASSERT_TRUE(hits.ok());
  const std::string id = hits->front().hit_id;
  const HitViewer outsiders[] = {
      Ncb("ITA"),
      {"gs", "", access::AgencyKind::kGs},
      {deu_police_, "DEU", access::AgencyKind::kAgency},  // the owner's country, not its NCB
      {fra_police_, "FRA", access::AgencyKind::kAgency},  // the checker's country, not it
  };
  for (const HitViewer& v : outsiders) {
    EXPECT_EQ(Get(id, v).status().reason(), "hit_not_found") << v.agency_id;
    EXPECT_EQ(Get("hit_doesnotexist", v).status().reason(), "hit_not_found");
    const Result<Hit> f = FollowUpAs(v, id, FollowUpState::kConfirmed);
    EXPECT_EQ(f.status().code(), StatusCode::kNotFound) << v.agency_id;
    auto listed = List(v);
    ASSERT_TRUE(listed.ok());
    EXPECT_TRUE(listed->empty()) << v.agency_id;
  }
  EXPECT_EQ(Count("hit_follow_ups"), 0);
}

TEST_F(HitsTest, ListsEachViewersHitsNewestFirstWithSidesAndPages) {
  const records::Record deu = NewRecord("DEU");
  const records::Record fra = NewRecord("FRA");
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(milliseconds(1000));
    auto h = Record(FraTerminal(), {deu}, {DocumentMatch("DEU:1")});
    ASSERT_TRUE(h.ok());
    ids.push_back(h->front().hit_id);
  }
  const Checker deu_police{deu_police_, "usr_p", "deu.p", "DEU", access::AgencyKind::kAgency};
  auto on_fra = Record(deu_police, {fra}, {DocumentMatch("FRA:1")});
  ASSERT_TRUE(on_fra.ok());

  auto terminal = List(FraTerminalViewer());
  ASSERT_TRUE(terminal.ok());
  ASSERT_EQ(terminal->size(), 3u);
  EXPECT_EQ((*terminal)[0].id, ids[2]);  // newest first
  EXPECT_EQ((*terminal)[2].id, ids[0]);

  auto fra_all = List(Ncb("FRA"));
  ASSERT_TRUE(fra_all.ok());
  EXPECT_EQ(fra_all->size(), 4u);  // its terminal's three, and the hit on its own record
  HitFilter owner_only;
  owner_only.side = Side::kOwner;
  auto fra_owner = List(Ncb("FRA"), owner_only);
  ASSERT_TRUE(fra_owner.ok());
  ASSERT_EQ(fra_owner->size(), 1u);
  EXPECT_EQ(fra_owner->front().id, on_fra->front().hit_id);

  HitFilter page;
  page.limit = 2;
  auto first = List(Ncb("DEU"), page);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 2u);  // the three hits on its record, and its police's check
  page.before = first->back().id;
  auto second = List(Ncb("DEU"), page);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->size(), 2u);
  EXPECT_EQ(second->back().id, ids[0]);

  ASSERT_TRUE(FollowUpAs(Ncb("DEU"), ids[1], FollowUpState::kNotSamePerson).ok());
  HitFilter state;
  state.state = FollowUpState::kNotSamePerson;
  auto by_state = List(Ncb("DEU"), state);
  ASSERT_TRUE(by_state.ok());
  ASSERT_EQ(by_state->size(), 1u);
  EXPECT_EQ(by_state->front().id, ids[1]);

  HitFilter bad;
  bad.limit = 0;
  EXPECT_EQ(List(Ncb("DEU"), bad).status().reason(), "invalid_request");
  bad.limit = 10;
  bad.before = on_fra->front().hit_id;  // not a hit the terminal sees
  EXPECT_EQ(List(FraTerminalViewer(), bad).status().reason(), "hit_not_found");
}

TEST_F(HitsTest, BadInputChangesNothing) {
  const records::Record rec = NewRecord("DEU");
  EXPECT_EQ(Record(FraTerminal(), {rec}, {}).status().reason(), "invalid_request");
  CheckContext long_context;
  long_context.location = std::string(201, 'x');
  EXPECT_EQ(Record(FraTerminal(), {rec}, {DocumentMatch("DEU:1")}, long_context).status().reason(),
            "invalid_context");
  MatchInfo bad_score = DocumentMatch("DEU:1");
  bad_score.score = 1.5;
  EXPECT_EQ(Record(FraTerminal(), {rec}, {bad_score}).status().reason(), "invalid_request");
  MatchInfo control = DocumentMatch("DEU:1\n");
  EXPECT_EQ(Record(FraTerminal(), {rec}, {control}).status().reason(), "invalid_request");
  EXPECT_EQ(Count("hits"), 0);
  EXPECT_EQ(Count("messages"), 0);

  auto hits = Record(FraTerminal(), {rec}, {DocumentMatch("DEU:1")});
  ASSERT_TRUE(hits.ok());
  const std::string id = hits->front().hit_id;
  EXPECT_EQ(FollowUpAs(Ncb("DEU"), id, FollowUpState::kOpen).status().reason(),
            "invalid_follow_up");
  EXPECT_EQ(FollowUpAs(Ncb("DEU"), id, FollowUpState::kConfirmed, std::string(4001, 'n'))
                .status()
                .reason(),
            "invalid_follow_up");
  EXPECT_EQ(FollowUpAs(Ncb("DEU"), id, FollowUpState::kConfirmed, "bell\a").status().reason(),
            "invalid_follow_up");
  EXPECT_EQ(Count("hit_follow_ups"), 0);
  EXPECT_EQ(Count("messages"), 1);
}

TEST(CheckContext, ParsesKnownKeysAndRefusesTheRest) {
  auto ok = ParseCheckContext(nlohmann::json{{"location", "CDG"}, {"flight", "AF1"}});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->location, "CDG");
  EXPECT_EQ(ok->flight, "AF1");
  EXPECT_EQ(CheckContextJson(*ok), (nlohmann::json{{"location", "CDG"}, {"flight", "AF1"}}));
  EXPECT_TRUE(ParseCheckContext(nlohmann::json()).ok());
  EXPECT_EQ(ParseCheckContext(nlohmann::json{{"gate", "K"}}).status().reason(), "invalid_context");
  EXPECT_EQ(ParseCheckContext(nlohmann::json{{"port", 3}}).status().reason(), "invalid_context");
  EXPECT_EQ(ParseCheckContext(nlohmann::json::array()).status().reason(), "invalid_context");
  EXPECT_EQ(ParseCheckContext(nlohmann::json{{"port", "a\tb"}}).status().reason(),
            "invalid_context");
}

TEST(FollowUpStates, RoundTripTheirWireNames) {
  for (FollowUpState s :
       {FollowUpState::kOpen, FollowUpState::kConfirmed, FollowUpState::kNotSamePerson,
        FollowUpState::kActionTaken, FollowUpState::kClosed}) {
    EXPECT_EQ(ParseFollowUpState(FollowUpStateName(s)), s);
  }
  EXPECT_FALSE(ParseFollowUpState("done").has_value());
}

}  // namespace
}  // namespace ncbnet::hits
