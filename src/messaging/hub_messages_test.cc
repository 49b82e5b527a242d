#include "messaging/hub_messages.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "access/agency_keys.h"
#include "crypto/hash.h"
#include "crypto/sign.h"
#include "messaging/attachments.h"
#include "messaging/messaging_test_env.h"

namespace ncbnet::messaging {
namespace {

class HubMessageTest : public MessagingTest {
 protected:
  void SetUp() override {
    MessagingTest::SetUp();
    RegisterHubKey();
  }

  Result<Accepted> SendHub(const std::string& to, const std::string& idempotency_key) {
    HubMessage m;
    m.to_agencies = {to};
    m.subject = "Hit on your SLTD record";
    m.body = "A passport you reported stolen was checked at CDG.";
    m.priority = Priority::kUrgent;
    m.idempotency_key = idempotency_key;
    m.links = {"hit_X", "rec_Y"};
    return SendMessage(m);
  }

  Result<Accepted> SendMessage(const HubMessage& m) {
    Accepted out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, SendHubMessage(tx, data_key_, hub_key_, m, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }
};

TEST_F(HubMessageTest, AllNcbsReachesEveryNcbAndNoOtherAgency) {
  HubMessage m;
  m.all_ncbs = true;
  m.subject = "Red Notice A-1/11-2026: published";
  m.body = "Published.";
  m.idempotency_key = "hub:test:all";
  Accepted sent;
  ASSERT_TRUE(Write([&](store::Transaction& tx) -> Status {
                NCBNET_ASSIGN_OR_RETURN(
                    sent, SendHubMessage(tx, data_key_, hub_key_, m, clock_.NowMillis()));
                return Status::Ok();
              }).ok());
  std::vector<std::string> recipients = sent.recipients;
  std::sort(recipients.begin(), recipients.end());
  EXPECT_EQ(recipients, (std::vector<std::string>{"ncb-deu", "ncb-fra", "ncb-ita"}));
  auto police = Fetch(fra_police_, 0);
  ASSERT_TRUE(police.ok());
  EXPECT_TRUE(police->empty());
}

// The hub forwards an agency's file: that agency must possess it, not gs; the recipients read
// it through the message, and the GS, its nominal sender, does not.
TEST_F(HubMessageTest, CarriesFilesOnlyOfTheAgencyItNames) {
  const std::string data = "letter of request";
  const AttachmentRef ref{crypto::Sha256Hex(data), static_cast<std::int64_t>(data.size()),
                          "letter.pdf", "application/pdf"};
  ASSERT_TRUE(
      Write([&](store::Transaction& tx) -> Status {
        const std::int64_t now = clock_.NowMillis();
        NCBNET_ASSIGN_OR_RETURN(Upload u, OpenUpload(tx, fra_police_, ref.sha256, ref.size, now));
        NCBNET_RETURN_IF_ERROR(WriteChunk(tx, data_key_, fra_police_, u.id, 0, data, now).status());
        return CompleteUpload(tx, data_key_, fra_police_, u.id, now).status();
      }).ok());
  const auto send = [&](const std::string& of, const std::string& key) -> Result<Accepted> {
    HubMessage m;
    m.to_agencies = {"ncb-deu"};
    m.subject = "MLA request: sent";
    m.body = "The letter of request is attached.";
    m.idempotency_key = key;
    m.attachments = {ref};
    m.attachments_of = of;
    return SendMessage(m);
  };
  EXPECT_EQ(send(fra_customs_, "hub:test:files:1").status().reason(), "unknown_attachment");
  EXPECT_EQ(send("", "hub:test:files:2").status().code(), StatusCode::kInternal);
  auto sent = send(fra_police_, "hub:test:files:3");
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  auto read = store_->Read([&](store::Transaction& tx) {
    return ReadAttachment(tx, data_key_, "ncb-deu", sent->message_id, 0, 0, kChunkBytes).status();
  });
  EXPECT_TRUE(read.ok()) << read.ToString();
  auto by_gs = store_->Read([&](store::Transaction& tx) {
    return ReadAttachment(tx, data_key_, "gs", sent->message_id, 0, 0, kChunkBytes).status();
  });
  EXPECT_EQ(by_gs.reason(), "message_not_found");
}

TEST_F(HubMessageTest, ReachesTheRecipientsMailboxSignedByTheHubKey) {
  auto sent = SendHub("ncb-fra", "hub:test:1");
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->recipients, std::vector<std::string>{"ncb-fra"});
  auto events = Fetch("ncb-fra", 0);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().message_id, sent->message_id);

  auto read = Read("ncb-fra", sent->message_id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_TRUE(read->from_hub);
  EXPECT_EQ(read->content.sender_agency, "gs");
  EXPECT_EQ(read->content.links, (std::vector<std::string>{"hit_X", "rec_Y"}));
  // What `ncbnet msg verify` does offline: the key directory's key for key_id verifies it.
  EXPECT_EQ(read->signature.key_id, access::KeyIdFor(hub_key_.public_key()));
  EXPECT_TRUE(crypto::VerifySignature(hub_key_.public_key(), CanonicalEncoding(read->content),
                                      read->signature.signature));
}

TEST_F(HubMessageTest, ItsNominalSenderNeitherReadsNorSearchesNorGetsReceipts) {
  auto sent = SendHub("ncb-fra", "hub:test:2");
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  ASSERT_TRUE(Fetch("ncb-fra", 0).ok());
  ASSERT_TRUE(Read("ncb-fra", sent->message_id).ok());

  EXPECT_EQ(Read("gs", sent->message_id).status().reason(), "message_not_found");
  EXPECT_EQ(ReceiptsOf("gs", sent->message_id).status().reason(), "message_not_found");
  auto gs_events = Fetch("gs", 0);
  ASSERT_TRUE(gs_events.ok());
  EXPECT_TRUE(gs_events->empty());  // no delivered or read receipts
  const Status searched = store_->Read([&](store::Transaction& tx) -> Status {
    auto gs_page = SearchMailbox(tx, data_key_, "gs", MailboxFilter{});
    EXPECT_TRUE(gs_page.ok());
    if (gs_page.ok()) {
      EXPECT_TRUE(gs_page->entries.empty());
    }
    auto fra_page = SearchMailbox(tx, data_key_, "ncb-fra",
                                  With([](MailboxFilter& f) { f.query = "passport"; }));
    EXPECT_TRUE(fra_page.ok());
    if (fra_page.ok()) {
      EXPECT_EQ(fra_page->entries.size(), 1u);
    }
    return Status::Ok();
  });
  EXPECT_TRUE(searched.ok());
}

TEST_F(HubMessageTest, ARetryReturnsTheFirstMessage) {
  auto first = SendHub("ncb-fra", "hub:test:3");
  ASSERT_TRUE(first.ok());
  auto again = SendHub("ncb-fra", "hub:test:3");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->message_id, first->message_id);
}

TEST_F(HubMessageTest, KeyRegistrationIsIdempotentAndARevokedKeyIsRefused) {
  Result<bool> again = false;
  ASSERT_TRUE(Write([&](store::Transaction& tx) {
                again = EnsureHubKeyRegistered(tx, hub_key_, clock_.NowMillis());
                return again.status();
              }).ok());
  EXPECT_FALSE(*again);  // registered by SetUp already
  ASSERT_TRUE(Write([&](store::Transaction& tx) {
                return access::RevokeAgencyKey(tx, "gs", access::KeyIdFor(hub_key_.public_key()),
                                               clock_.NowMillis())
                    .status();
              }).ok());
  const Status s = Write([&](store::Transaction& tx) {
    return EnsureHubKeyRegistered(tx, hub_key_, clock_.NowMillis()).status();
  });
  EXPECT_EQ(s.reason(), "hub_key_revoked");
  EXPECT_EQ(SendHub("ncb-fra", "hub:test:4").status().code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace ncbnet::messaging
