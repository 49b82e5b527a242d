#include <gtest/gtest.h>

#include "crypto/aead.h"
#include "crypto/hash.h"
#include "messaging/message_service.h"
#include "messaging/messaging_test_env.h"

namespace ncbnet::messaging {
namespace {

class MailboxTest : public MessagingTest {
 protected:
  std::string SendOk(const std::string& sender, Addressing to) {
    Result<Accepted> a = SendTo(sender, std::move(to));
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? a->message_id : "";
  }

  Receipt ReceiptFor(const std::string& sender, const std::string& id, const std::string& agency) {
    Result<std::vector<Receipt>> receipts = ReceiptsOf(sender, id);
    EXPECT_TRUE(receipts.ok()) << receipts.status().ToString();
    for (const Receipt& r : receipts.ok() ? *receipts : std::vector<Receipt>{}) {
      if (r.agency_id == agency) return r;
    }
    ADD_FAILURE() << "no receipt for " << agency;
    return {};
  }

  void ExpectDataLoss(const std::string& reader, const std::string& id, const std::string& reason) {
    Result<StoredMessage> m = Read(reader, id);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.status().code(), StatusCode::kDataLoss);
    EXPECT_EQ(m.status().reason(), reason) << m.status().ToString();
  }
};

TEST_F(MailboxTest, PagesFromACursorInOrder) {
  std::vector<std::string> sent;
  for (int i = 0; i < 5; ++i) {
    sent.push_back(SendOk("ncb-fra", {{}, {"DEU"}, false}));
    SendOk("ncb-ita", {{}, {"FRA"}, false});  // someone else's mail in between
  }
  std::vector<std::string> got;
  std::int64_t cursor = 0;
  for (int page = 0; page < 4; ++page) {
    Result<std::vector<MailboxEvent>> events = Fetch("ncb-deu", cursor, 2);
    ASSERT_TRUE(events.ok()) << events.status().ToString();
    EXPECT_EQ(events->size(), page < 2 ? 2U : (page == 2 ? 1U : 0U));
    for (const MailboxEvent& e : *events) {
      EXPECT_GT(e.cursor, cursor);
      cursor = e.cursor;
      EXPECT_EQ(e.kind, EventKind::kMessage);
      ASSERT_TRUE(e.message);
      EXPECT_EQ(e.message->content.subject, "Stolen passport FRA 12AB34567");
      EXPECT_TRUE(e.message->content.body.empty()) << "the header has no body";
      EXPECT_EQ(e.message->content.sender_agency, "ncb-fra");
      got.push_back(e.message_id);
    }
  }
  EXPECT_EQ(got, sent);
}

TEST_F(MailboxTest, RefusesCursorFromTheFutureAndBadLimits) {
  SendOk("ncb-fra", {{}, {"DEU"}, false});
  const std::int64_t newest = Query("SELECT MAX(cursor) FROM mailbox_events")[0][0].AsInt();
  Result<std::vector<MailboxEvent>> r = Fetch("ncb-ita", newest);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  r = Fetch("ncb-ita", newest + 1);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().reason(), "cursor_from_future");
  EXPECT_EQ(Fetch("ncb-deu", 0, 0).status().reason(), "invalid_request");
  EXPECT_EQ(Fetch("ncb-deu", 0, 501).status().reason(), "invalid_request");
  EXPECT_EQ(Fetch("ncb-deu", -1).status().reason(), "invalid_request");
  EXPECT_TRUE(Fetch("ncb-deu", 0, 500).ok());
}

TEST_F(MailboxTest, FetchMarksDeliveredAndReadMarksRead) {
  const std::string id = SendOk("ncb-fra", {{}, {"DEU", "ITA"}, false});
  const std::int64_t sent_at = clock_.NowMillis();
  EXPECT_EQ(ReceiptFor("ncb-fra", id, "ncb-deu").state, ReceiptState::kQueued);

  clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(Fetch("ncb-deu", 0).ok());
  Receipt deu = ReceiptFor("ncb-fra", id, "ncb-deu");
  EXPECT_EQ(deu.state, ReceiptState::kDelivered);
  EXPECT_EQ(deu.queued_ms, sent_at);
  EXPECT_EQ(deu.delivered_ms, sent_at + 1000);
  ASSERT_TRUE(Fetch("ncb-deu", 0).ok());  // a second fetch emits no second receipt

  clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(Read("ncb-deu", id).ok());
  deu = ReceiptFor("ncb-fra", id, "ncb-deu");
  EXPECT_EQ(deu.state, ReceiptState::kRead);
  EXPECT_EQ(deu.delivered_ms, sent_at + 1000);
  EXPECT_EQ(deu.read_ms, sent_at + 2000);
  // Italy reads without fetching first: delivered and read at once.
  ASSERT_TRUE(Read("ncb-ita", id).ok());
  const Receipt ita = ReceiptFor("ncb-fra", id, "ncb-ita");
  EXPECT_EQ(ita.state, ReceiptState::kRead);
  EXPECT_EQ(ita.delivered_ms, sent_at + 2000);
  ASSERT_TRUE(Read("ncb-deu", id).ok());  // reading again emits nothing new

  Result<std::vector<MailboxEvent>> events = Fetch("ncb-fra", 0);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  std::vector<std::string> seen;
  for (const MailboxEvent& e : *events) {
    ASSERT_EQ(e.kind, EventKind::kReceipt);
    ASSERT_TRUE(e.receipt);
    EXPECT_EQ(e.message_id, id);
    seen.push_back(e.receipt->agency_id + ":" + std::string(ReceiptStateName(e.receipt->state)));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"ncb-deu:delivered", "ncb-deu:read", "ncb-ita:read"}));
  EXPECT_EQ((*events)[1].receipt->read_ms, sent_at + 2000);
}

TEST_F(MailboxTest, ReceiptsAreForTheSenderOnly) {
  const std::string id = SendOk("ncb-fra", {{}, {"DEU"}, false});
  EXPECT_EQ(ReceiptsOf("ncb-deu", id).status().reason(), "message_not_found");
  EXPECT_EQ(ReceiptsOf("gs", id).status().reason(), "message_not_found");
  EXPECT_EQ(ReceiptsOf("ncb-fra", "msg_nope").status().reason(), "message_not_found");
}

TEST_F(MailboxTest, SenderAndRecipientsReadTheSignedMessage) {
  const SignedContent content = Content("ncb-fra", {{}, {"DEU"}, false});
  const Signature sig = SignAs("ncb-fra", content);
  Result<Accepted> a = SendSigned(content, sig);
  ASSERT_TRUE(a.ok());
  for (const char* reader : {"ncb-fra", "ncb-deu"}) {
    Result<StoredMessage> m = Read(reader, a->message_id);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    EXPECT_EQ(CanonicalEncoding(m->content), CanonicalEncoding(content));
    EXPECT_EQ(m->signature.key_id, sig.key_id);
    EXPECT_EQ(m->signature.signature, sig.signature);
    EXPECT_EQ(m->recipients, std::vector<std::string>{"ncb-deu"});
    EXPECT_TRUE(crypto::VerifySignature(keys_.at("ncb-fra").public_key(),
                                        CanonicalEncoding(m->content), m->signature.signature));
  }
  // The sender's own read leaves receipts alone.
  EXPECT_EQ(ReceiptFor("ncb-fra", a->message_id, "ncb-deu").state, ReceiptState::kRead);
}

TEST_F(MailboxTest, OthersIncludingTheGsCannotRead) {
  const std::string id = SendOk("ncb-fra", {{}, {"DEU"}, false});
  for (const char* reader : {"gs", "ncb-ita", deu_police_.c_str()}) {
    Result<StoredMessage> m = Read(reader, id);
    EXPECT_EQ(m.status().code(), StatusCode::kNotFound) << reader;
    EXPECT_EQ(m.status().reason(), "message_not_found");
  }
  EXPECT_EQ(Read("ncb-deu", "msg_nope").status().reason(), "message_not_found");
  Result<std::vector<MailboxEvent>> gs = Fetch("gs", 0);
  ASSERT_TRUE(gs.ok());
  EXPECT_TRUE(gs->empty());
}

TEST_F(MailboxTest, SubjectAndBodyAreEncryptedAtRest) {
  const std::string id = SendOk("ncb-fra", {{}, {"DEU"}, false});
  const auto rows = Query("SELECT subject_enc, body_enc FROM messages WHERE id = ?", {id});
  ASSERT_EQ(rows.size(), 1U);
  for (const store::Value& v : rows[0]) {
    EXPECT_TRUE(v.is_blob());
    EXPECT_EQ(v.AsText().find("Stolen passport"), std::string::npos);
    EXPECT_EQ(v.AsText().find("Please check"), std::string::npos);
    EXPECT_EQ(v.AsText().find("12AB34567"), std::string::npos);
  }
  const std::string subject_enc = rows[0][0].AsText();
  Result<std::string> opened = crypto::Open(data_key_.bytes, subject_enc, id + "\nsubject");
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "Stolen passport FRA 12AB34567");
}

TEST_F(MailboxTest, TamperedCiphertextIsDataLoss) {
  const std::string id = SendOk("ncb-fra", {{}, {"DEU"}, false});
  std::string sealed = Query("SELECT subject_enc FROM messages WHERE id = ?", {id})[0][0].AsText();
  sealed[sealed.size() / 2] = static_cast<char>(sealed[sealed.size() / 2] ^ 0x20);
  Exec("UPDATE messages SET subject_enc = ? WHERE id = ?", {store::Blob{sealed}, id});
  ExpectDataLoss("ncb-deu", id, "decrypt_failed");
  EXPECT_EQ(ReceiptFor("ncb-fra", id, "ncb-deu").state, ReceiptState::kQueued)
      << "a failed read changes nothing";
}

TEST_F(MailboxTest, ADamagedMessageDoesNotLockTheMailbox) {
  const std::string bad = SendOk("ncb-fra", {{}, {"DEU"}, false});
  const std::string good = SendOk("ncb-fra", {{}, {"DEU"}, false});
  std::string sealed = Query("SELECT subject_enc FROM messages WHERE id = ?", {bad})[0][0].AsText();
  sealed[sealed.size() / 2] = static_cast<char>(sealed[sealed.size() / 2] ^ 0x20);
  Exec("UPDATE messages SET subject_enc = ? WHERE id = ?", {store::Blob{sealed}, bad});
  Result<std::vector<MailboxEvent>> events = Fetch("ncb-deu", 0);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 2U);
  EXPECT_EQ((*events)[0].message_id, bad);
  EXPECT_EQ((*events)[0].damaged_reason, "decrypt_failed");
  EXPECT_FALSE((*events)[0].message.has_value());
  EXPECT_EQ((*events)[1].message_id, good);
  EXPECT_TRUE((*events)[1].damaged_reason.empty());
  EXPECT_TRUE((*events)[1].message.has_value());
  EXPECT_EQ(ReceiptFor("ncb-fra", bad, "ncb-deu").state, ReceiptState::kQueued);
  EXPECT_EQ(ReceiptFor("ncb-fra", good, "ncb-deu").state, ReceiptState::kDelivered);
}

TEST_F(MailboxTest, CiphertextMovedToAnotherMessageFailsToOpen) {
  const std::string a = SendOk("ncb-fra", {{}, {"DEU"}, false});
  const std::string b = SendOk("ncb-fra", {{}, {"DEU"}, false});
  Exec("UPDATE messages SET body_enc = (SELECT body_enc FROM messages WHERE id = ?) WHERE id = ?",
       {a, b});
  ExpectDataLoss("ncb-deu", b, "decrypt_failed");
  EXPECT_TRUE(Read("ncb-deu", a).ok());
}

TEST_F(MailboxTest, TamperedHashOrPlainColumnsAreDetected) {
  const std::string id = SendOk("ncb-fra", {{}, {"DEU"}, false});
  Exec("UPDATE messages SET content_hash = ? WHERE id = ?", {std::string(64, '0'), id});
  ExpectDataLoss("ncb-deu", id, "message_tampered");

  const std::string other = SendOk("ncb-fra", {{}, {"DEU"}, false});
  Exec("UPDATE messages SET classification = 'unclassified' WHERE id = ?", {other});
  ExpectDataLoss("ncb-deu", other, "message_tampered");

  // Even with a matching hash, the altered content no longer carries the sender's signature.
  const std::string third = SendOk("ncb-fra", {{}, {"DEU"}, false});
  Exec("UPDATE messages SET priority = 'flash' WHERE id = ?", {third});
  Result<StoredMessage> m = Read("ncb-fra", SendOk("ncb-fra", {{}, {"ITA"}, false}));
  ASSERT_TRUE(m.ok());
  m->content.priority = Priority::kFlash;
  Exec("UPDATE messages SET content_hash = ? WHERE id = ?",
       {crypto::Sha256Hex(CanonicalEncoding(m->content)), m->id});
  Exec("UPDATE messages SET priority = 'flash' WHERE id = ?", {m->id});
  ExpectDataLoss("ncb-ita", m->id, "message_tampered");
}

}  // namespace
}  // namespace ncbnet::messaging
