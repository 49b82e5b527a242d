#include "notices/notices.h"

#include <gtest/gtest.h>

#include "notices/notices_test_env.h"

namespace ncbnet::notices {
namespace {

using nlohmann::json;

bool Contains(const std::vector<std::string>& v, const std::string& needle) {
  for (const std::string& s : v) {
    if (s.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST_F(NoticesTest, IncompleteSubmissionListsProblemsAndStaysDraft) {
  auto n = Draft(Ncb("FRA"), "red", {{"name", "Ivan Volkov"}});
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->state, "draft");
  std::vector<Problem> problems;
  auto s = SubmitAs(Ncb("FRA"), n->id, &problems);
  EXPECT_EQ(s.status().reason(), "notice_incomplete");
  EXPECT_FALSE(problems.empty());
  EXPECT_EQ(Get(Ncb("FRA"), n->id)->state, "draft");
  EXPECT_EQ(Draft(Ncb("FRA"), "pink", {}).status().reason(), "unknown_notice_kind");
}

TEST_F(NoticesTest, RedNoticeLifeFromDraftToCancellation) {
  auto n = Draft(Ncb("FRA"), "red", RedFields("Ivan Volkov", "75X123456", "1981-03-14"));
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  // A draft is seen by its country only: not the GS, not another NCB.
  EXPECT_EQ(Get(Gs(), n->id).status().reason(), "notice_not_found");
  EXPECT_EQ(Get(Ncb("DEU"), n->id).status().reason(), "notice_not_found");
  ASSERT_TRUE(SubmitAs(Ncb("FRA"), n->id).ok());
  EXPECT_EQ(Get(Gs(), n->id)->state, "under_review");
  EXPECT_EQ(Get(Ncb("DEU"), n->id).status().reason(), "notice_not_found");
  // Only the GS reviews; reasons are needed to ask for more.
  EXPECT_EQ(ReviewAs(Ncb("FRA"), n->id, Decision::kApprove).status().reason(), "not_reviewer");
  EXPECT_EQ(ReviewAs(Gs(), n->id, Decision::kRequestInfo).status().reason(), "invalid_notice");
  auto info = ReviewAs(Gs(), n->id, Decision::kRequestInfo, "Attach the warrant's date");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->state, "info_requested");
  EXPECT_TRUE(Contains(HubSubjects("ncb-fra"), "returned for more information"));
  ASSERT_TRUE(SubmitAs(Ncb("FRA"), n->id).ok());
  auto p = ReviewAs(Gs(), n->id, Decision::kApprove);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->state, "published");
  EXPECT_EQ(p->control_number.substr(0, 4), "A-1/");
  ASSERT_TRUE(p->expires_ms.has_value());
  EXPECT_EQ(*p->expires_ms, clock_.NowMillis() + kValidityMs);
  // The subject's record: owned by the requesting NCB, reviewed at the expiry.
  ASSERT_FALSE(p->record_id.empty());
  auto rec = Query("SELECT status, review_ms, owner_agency, database FROM records WHERE id = ?",
                   {p->record_id});
  ASSERT_EQ(rec.size(), 1U);
  EXPECT_EQ(rec[0][0].AsText(), "active");
  EXPECT_EQ(rec[0][1].AsInt(), *p->expires_ms);
  EXPECT_EQ(rec[0][2].AsText(), "ncb-fra");
  EXPECT_EQ(rec[0][3].AsText(), "NOTICES");
  // Every NCB is told, and now sees it.
  EXPECT_TRUE(Contains(HubSubjects("ncb-deu"), p->control_number + ": published"));
  EXPECT_TRUE(Contains(HubSubjects("ncb-ita"), "published"));
  EXPECT_TRUE(Get(Ncb("DEU"), n->id).ok());
  // Another country may not change it; it is told so, since it sees it.
  EXPECT_EQ(Do([&](store::Transaction& tx) {
              return Cancel(tx, keys(), Ncb("DEU"), n->id, "", clock_.NowMillis());
            })
                .status()
                .reason(),
            "not_requesting_country");
  // An update waits for review, then reaches the record.
  json changed = RedFields("Ivan Volkov", "75X999999", "1981-03-14");
  auto u = Do([&](store::Transaction& tx) {
    return ProposeUpdate(tx, keys(), Ncb("FRA"), n->id, changed, nullptr, clock_.NowMillis());
  });
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->pending_action, "update");
  EXPECT_EQ(Get(Ncb("DEU"), n->id)->fields["identity_documents"][0]["number"], "75X123456");
  ASSERT_TRUE(ReviewAs(Gs(), n->id, Decision::kApprove).ok());
  EXPECT_EQ(Get(Ncb("DEU"), n->id)->fields["identity_documents"][0]["number"], "75X999999");
  auto fields = Query("SELECT version FROM records WHERE id = ?", {p->record_id});
  EXPECT_EQ(fields[0][0].AsInt(), 2);
  // Cancellation takes effect at once: record cancelled, others no longer see it.
  auto c = Do([&](store::Transaction& tx) {
    return Cancel(tx, keys(), Ncb("FRA"), n->id, "arrested", clock_.NowMillis());
  });
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->state, "cancelled");
  EXPECT_EQ(RecordStatusOf(p->record_id), "cancelled");
  EXPECT_EQ(Get(Ncb("DEU"), n->id).status().reason(), "notice_not_found");
  EXPECT_TRUE(Contains(HubSubjects("ncb-deu"), "cancelled"));
  // And nothing more happens to it.
  EXPECT_EQ(SubmitAs(Ncb("FRA"), n->id).status().reason(), "invalid_transition");
}

TEST_F(NoticesTest, RejectionNeedsReasonsAndEndsTheRequest) {
  auto n = Draft(Ncb("FRA"), "red", RedFields("Pavel Orlov", "75X000001", "1979-01-01"));
  ASSERT_TRUE(SubmitAs(Ncb("FRA"), n->id).ok());
  EXPECT_EQ(ReviewAs(Gs(), n->id, Decision::kReject).status().reason(), "invalid_notice");
  auto r = ReviewAs(Gs(), n->id, Decision::kReject, "Political character (Article 3)");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->state, "rejected");
  EXPECT_TRUE(r->record_id.empty());
  EXPECT_EQ(ReviewAs(Gs(), n->id, Decision::kApprove).status().reason(), "invalid_transition");
  EXPECT_EQ(Count("public_notices"), 0);
}

TEST_F(NoticesTest, PossibleDuplicateIsRecordedForTheGsAndDoesNotBlock) {
  const Notice first = PublishedRed("Ivan Volkov", "75X123456", "1981-03-14");
  auto same_doc = Draft(Ncb("DEU"), "red", RedFields("I. Wolkow", "75X123456", "1981-03-14"));
  auto s = SubmitAs(Ncb("DEU"), same_doc->id);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->findings.size(), 1U);
  EXPECT_EQ(s->findings[0]["notice_id"], first.id);
  EXPECT_EQ(s->findings[0]["matched_by"], "identity_document");
  auto same_name = Draft(Ncb("ITA"), "red", RedFields("VOLKOV Ivan", "11Z000000", "1981-03-14"));
  auto t = SubmitAs(Ncb("ITA"), same_name->id);
  ASSERT_TRUE(t.ok());
  ASSERT_GE(t->findings.size(), 1U);
  EXPECT_EQ(t->findings[0]["matched_by"], "name_and_date_of_birth");
  // Findings are for the GS, not for the requesting country.
  EXPECT_TRUE(NoticeJson(*s, Gs()).contains("findings"));
  EXPECT_FALSE(NoticeJson(*s, Ncb("DEU")).contains("findings"));
}

TEST_F(NoticesTest, SuspendResumeWithdrawAndExtend) {
  const Notice p = PublishedRed();
  auto deny = Do([&](store::Transaction& tx) {
    return Suspend(tx, keys(), Ncb("FRA"), p.id, "", clock_.NowMillis());
  });
  EXPECT_EQ(deny.status().reason(), "not_reviewer");
  auto s = Do([&](store::Transaction& tx) {
    return Suspend(tx, keys(), Gs(), p.id, "Under re-examination", clock_.NowMillis());
  });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(RecordStatusOf(p.record_id), "cancelled");
  EXPECT_EQ(Get(Ncb("DEU"), p.id).status().reason(), "notice_not_found");
  auto r = Do([&](store::Transaction& tx) {
    return Resume(tx, keys(), Gs(), p.id, "", clock_.NowMillis());
  });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->control_number, p.control_number);
  EXPECT_NE(r->record_id, p.record_id);
  EXPECT_EQ(RecordStatusOf(r->record_id), "active");
  clock_.Advance(std::chrono::hours(24 * 365));
  auto e = Do([&](store::Transaction& tx) {
    return ProposeExtension(tx, keys(), Ncb("FRA"), p.id, clock_.NowMillis());
  });
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*Get(Gs(), p.id)->expires_ms, *p.expires_ms);  // not before approval
  ASSERT_TRUE(ReviewAs(Gs(), p.id, Decision::kApprove).ok());
  EXPECT_EQ(*Get(Gs(), p.id)->expires_ms, clock_.NowMillis() + kValidityMs);
  auto review = Query("SELECT review_ms FROM records WHERE id = ?", {r->record_id});
  EXPECT_EQ(review[0][0].AsInt(), clock_.NowMillis() + kValidityMs);
  auto w = Do([&](store::Transaction& tx) {
    return Withdraw(tx, keys(), Gs(), p.id, "Non-compliant with Article 83", clock_.NowMillis());
  });
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->state, "withdrawn");
  EXPECT_EQ(RecordStatusOf(r->record_id), "cancelled");
}

TEST_F(NoticesTest, ExpiryCancelsTheRecord) {
  const Notice p = PublishedRed();
  clock_.Advance(std::chrono::milliseconds(kValidityMs - 1));
  auto none = Do([&](store::Transaction& tx) -> Result<Notice> {
    NCBNET_ASSIGN_OR_RETURN(int n, ExpireDue(tx, keys(), clock_.NowMillis(), 10));
    EXPECT_EQ(n, 0);
    return Notice{};
  });
  ASSERT_TRUE(none.ok());
  clock_.Advance(std::chrono::milliseconds(1));
  ASSERT_TRUE(Do([&](store::Transaction& tx) -> Result<Notice> {
                NCBNET_ASSIGN_OR_RETURN(int n, ExpireDue(tx, keys(), clock_.NowMillis(), 10));
                EXPECT_EQ(n, 1);
                return Notice{};
              }).ok());
  EXPECT_EQ(Get(Ncb("FRA"), p.id)->state, "expired");
  EXPECT_EQ(RecordStatusOf(p.record_id), "cancelled");
  EXPECT_EQ(Get(Ncb("DEU"), p.id).status().reason(), "notice_not_found");
}

TEST_F(NoticesTest, DiffusionReachesOnlyItsRecipientsAndIsWithdrawnWhenNonCompliant) {
  auto d = Draft(Ncb("FRA"), "red", RedFields("Marc Dubois", "12AB34567", "1975-06-01"),
                 "diffusion", std::vector<std::string>{"DEU"});
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  auto c = Do([&](store::Transaction& tx) {
    return Circulate(tx, keys(), Ncb("FRA"), d->id, nullptr, clock_.NowMillis());
  });
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->state, "circulated");
  EXPECT_EQ(c->control_number.substr(0, 6), "DIF-1/");
  EXPECT_TRUE(Get(Ncb("DEU"), d->id).ok());
  EXPECT_EQ(Get(Ncb("ITA"), d->id).status().reason(), "notice_not_found");
  EXPECT_TRUE(Contains(HubSubjects("ncb-deu"), "circulated"));
  EXPECT_FALSE(Contains(HubSubjects("ncb-ita"), "circulated"));
  auto rec = Query("SELECT visibility, countries FROM records WHERE id = ?", {c->record_id});
  ASSERT_EQ(rec.size(), 1U);
  EXPECT_EQ(rec[0][0].AsText(), "only");
  EXPECT_NE(rec[0][1].AsText().find("DEU"), std::string::npos);
  auto bad = Do([&](store::Transaction& tx) {
    return ReviewDiffusion(tx, keys(), Gs(), d->id, false, "", clock_.NowMillis());
  });
  EXPECT_EQ(bad.status().reason(), "invalid_notice");
  auto w = Do([&](store::Transaction& tx) {
    return ReviewDiffusion(tx, keys(), Gs(), d->id, false, "No judicial decision",
                           clock_.NowMillis());
  });
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->state, "withdrawn");
  EXPECT_EQ(RecordStatusOf(c->record_id), "cancelled");
  EXPECT_EQ(Get(Ncb("DEU"), d->id).status().reason(), "notice_not_found");
  EXPECT_TRUE(Contains(HubSubjects("ncb-deu"), "withdrawn as non-compliant"));
  EXPECT_TRUE(Contains(HubSubjects("ncb-fra"), "withdrawn as non-compliant"));
}

const std::string kPng = std::string("\x89PNG\r\n\x1A\n", 8) + "image body";
const std::string kJpeg = std::string("\xFF\xD8\xFF\xE0", 4) + "jfif body";

TEST_F(NoticesTest, ImagesAreCheckedSealedAndPublishedWithConsent) {
  DraftInput in;
  in.kind = "yellow";
  in.public_consent = true;
  in.fields = {{"name", "Lea Martin"},
               {"sex", "F"},
               {"date_of_birth", "2014-05-02"},
               {"nationalities", {"FRA"}},
               {"circumstances", "Missing since leaving school in Lille."}};
  auto n = Do([&](store::Transaction& tx) {
    return CreateDraft(tx, keys(), Ncb("FRA"), "notice", in, clock_.NowMillis());
  });
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  const auto add = [&](const std::string& bytes) {
    ImageInfo out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out,
                              AddImage(tx, keys(), Ncb("FRA"), n->id, bytes, clock_.NowMillis()));
      return Status::Ok();
    });
    return s.ok() ? Result<ImageInfo>(out) : Result<ImageInfo>(s);
  };
  EXPECT_EQ(add("GIF89a....").status().reason(), "unsupported_image");
  EXPECT_EQ(add(kJpeg + std::string(kMaxImageBytes, 'x')).status().reason(), "image_too_large");
  auto first = add(kPng);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->media_type, "image/png");
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(add(kJpeg).ok());
  EXPECT_EQ(add(kJpeg).status().reason(), "too_many_images");
  // Sealed at rest: the stored bytes are not the image.
  auto stored = Query("SELECT sealed FROM notice_images WHERE notice_id = ? AND seq = 1", {n->id});
  EXPECT_EQ(stored[0][0].AsText().find("image body"), std::string::npos);
  ASSERT_TRUE(SubmitAs(Ncb("FRA"), n->id).ok());
  EXPECT_EQ(add(kPng).status().reason(), "invalid_transition");
  auto p = ReviewAs(Gs(), n->id, Decision::kApprove);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->control_number.substr(0, 2), "B-");
  auto pub = Query(
      "SELECT names, nationalities, birth_year, sex, public_json FROM public_notices"
      " WHERE notice_id = ?",
      {n->id});
  ASSERT_EQ(pub.size(), 1U);
  EXPECT_EQ(pub[0][0].AsText(), " lea martin ");
  EXPECT_EQ(pub[0][1].AsText(), " FRA ");
  EXPECT_EQ(pub[0][2].AsInt(), 2014);
  const json pj = json::parse(pub[0][4].AsText());
  EXPECT_EQ(pj["name"], "Lea Martin");
  EXPECT_FALSE(pj.contains("circumstances"));  // not a public field
  EXPECT_EQ(pj["images"].size(), 6U);
  auto img =
      Query("SELECT bytes FROM public_notice_images WHERE notice_id = ? AND seq = 1", {n->id});
  EXPECT_EQ(img[0][0].AsText(), kPng);
  Image read;
  ASSERT_TRUE(store_
                  ->Read([&](store::Transaction& tx) -> Status {
                    NCBNET_ASSIGN_OR_RETURN(read, GetImage(tx, keys(), Ncb("ITA"), n->id, 1));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(read.bytes, kPng);
  // Cancelled, the public extract goes with it.
  ASSERT_TRUE(Do([&](store::Transaction& tx) {
                return Cancel(tx, keys(), Ncb("FRA"), n->id, "found", clock_.NowMillis());
              }).ok());
  EXPECT_EQ(Count("public_notices"), 0);
  EXPECT_EQ(Count("public_notice_images"), 0);
}

TEST_F(NoticesTest, PurpleNoticeHasNoRecordAndListsFollowVisibility) {
  auto n = Draft(Ncb("DEU"), "purple",
                 {{"offence", "drug trafficking"},
                  {"modus_operandi", "Cocaine hidden in the frames of exported bicycles."},
                  {"concealment", "welded tubes"}});
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  ASSERT_TRUE(SubmitAs(Ncb("DEU"), n->id).ok());
  NoticeFilter queue;
  queue.scope = "review";
  auto listed = [&](const Actor& a, const NoticeFilter& f) {
    std::vector<std::string> ids;
    EXPECT_TRUE(store_
                    ->Read([&](store::Transaction& tx) -> Status {
                      NCBNET_ASSIGN_OR_RETURN(auto found, ListNotices(tx, keys(), a, f));
                      for (const Notice& x : found) ids.push_back(x.id);
                      return Status::Ok();
                    })
                    .ok());
    return ids;
  };
  EXPECT_EQ(listed(Gs(), queue), std::vector<std::string>{n->id});
  NoticeFilter live;
  live.scope = "live";
  EXPECT_TRUE(listed(Ncb("FRA"), live).empty());
  auto p = ReviewAs(Gs(), n->id, Decision::kApprove);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->control_number.substr(0, 2), "G-");
  EXPECT_TRUE(p->record_id.empty());
  EXPECT_EQ(listed(Ncb("FRA"), live), std::vector<std::string>{n->id});
  EXPECT_TRUE(listed(Gs(), queue).empty());
  // Reading notices is notice.read: without it (nor notice.request) a notice is absent, in its
  // own country too.
  for (const char* country : {"FRA", "DEU"}) {
    EXPECT_TRUE(listed(NonReader(country), live).empty()) << country;
    EXPECT_EQ(Get(NonReader(country), n->id).status().reason(), "notice_not_found") << country;
  }
}

TEST_F(NoticesTest, ADamagedNoticeIsListedAsDamagedAndNeverChanged) {
  auto a = Draft(Ncb("FRA"), "purple", {{"offence", "fraud"}, {"modus_operandi", "Fake invoices"}});
  auto b = Draft(Ncb("FRA"), "purple", {{"offence", "theft"}, {"modus_operandi", "Night raids"}});
  ASSERT_TRUE(a.ok() && b.ok());
  // One byte of the sealed fields changed in the store (to 0x01 if it already is 0x00: a
  // random ciphertext byte is 0x00 one time in 256, and writing 0x00 then changed nothing).
  Exec(
      "UPDATE notices SET fields = substr(fields, 1, 20) ||"
      " CASE WHEN substr(fields, 21, 1) = x'00' THEN x'01' ELSE x'00' END ||"
      " substr(fields, 22) WHERE id = ?",
      {a->id});
  NoticeFilter own;
  own.scope = "own";
  std::vector<Notice> found;
  ASSERT_TRUE(store_
                  ->Read([&](store::Transaction& tx) -> Status {
                    NCBNET_ASSIGN_OR_RETURN(found, ListNotices(tx, keys(), Ncb("FRA"), own));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(found.size(), 2U);
  for (const Notice& n : found) {
    if (n.id == a->id) {
      EXPECT_EQ(n.damaged, "decrypt_failed");
      EXPECT_FALSE(NoticeJson(n, Ncb("FRA")).contains("fields"));
    } else {
      EXPECT_EQ(n.damaged, "");
      EXPECT_EQ(n.fields["offence"], "theft");
    }
  }
  EXPECT_EQ(Get(Ncb("FRA"), a->id).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(SubmitAs(Ncb("FRA"), a->id).status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace ncbnet::notices
