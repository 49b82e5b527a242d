#include "messaging/message_service.h"

#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "messaging/messaging_test_env.h"

namespace ncbnet::messaging {
namespace {

using ::testing::ElementsAre;

class SendTest : public MessagingTest {
 protected:
  void ExpectRefused(const Result<Accepted>& r, StatusCode code, const std::string& reason) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), code) << r.status().ToString();
    EXPECT_EQ(r.status().reason(), reason) << r.status().ToString();
  }

  void ExpectNothingStored() {
    EXPECT_EQ(Count("messages"), 0);
    EXPECT_EQ(Count("message_recipients"), 0);
    EXPECT_EQ(Count("mailbox_events"), 0);
  }
};

TEST_F(SendTest, SendsToACountrysNcb) {
  Result<Accepted> a = SendTo("ncb-fra", {{}, {"DEU"}, false});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->message_id.rfind("msg_", 0), 0U);
  EXPECT_FALSE(a->duplicate);
  EXPECT_THAT(a->recipients, ElementsAre("ncb-deu"));
  EXPECT_EQ(Count("messages"), 1);
  const auto rows = Query("SELECT agency_id, kind, message_id FROM mailbox_events");
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0][0].AsText(), "ncb-deu");
  EXPECT_EQ(rows[0][1].AsText(), "message");
  EXPECT_EQ(rows[0][2].AsText(), a->message_id);
}

TEST_F(SendTest, ResolvesAndDeduplicatesAgenciesAndCountries) {
  Result<Accepted> a = SendTo("ncb-fra", {{fra_police_, "ncb-deu", fra_police_}, {"DEU"}, false});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  std::vector<std::string> expected{fra_police_, "ncb-deu"};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(a->recipients, expected);
  EXPECT_EQ(Count("mailbox_events"), 2);
}

TEST_F(SendTest, AllNcbsReachesEveryOtherNcb) {
  Result<Accepted> a = SendTo("ncb-fra", {{}, {"FRA"}, true});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_THAT(a->recipients, ElementsAre("ncb-deu", "ncb-ita"));
}

TEST_F(SendTest, RefusesSendingOnlyToOneself) {
  ExpectRefused(SendTo("ncb-fra", {{"ncb-fra"}, {"FRA"}, false}), StatusCode::kInvalidArgument,
                "invalid_message");
  ExpectNothingStored();
}

TEST_F(SendTest, UnknownRecipientRefusesTheWholeMessage) {
  Result<Accepted> a = SendTo("ncb-fra", {{"ncb-deu", "agc_nope"}, {}, false});
  ExpectRefused(a, StatusCode::kNotFound, "unknown_recipient");
  EXPECT_NE(a.status().message().find("agc_nope"), std::string::npos);
  a = SendTo("ncb-fra", {{}, {"DEU", "XXX"}, false});
  ExpectRefused(a, StatusCode::kNotFound, "unknown_recipient");
  EXPECT_NE(a.status().message().find("XXX"), std::string::npos);
  ExpectNothingStored();
}

TEST_F(SendTest, NcbSendsToNcbsTheGsAndItsOwnBranchOnly) {
  EXPECT_TRUE(SendTo("ncb-fra", {{fra_terminal_, "ncb-ita"}, {}, false}).ok());
  EXPECT_TRUE(SendTo("ncb-fra", {{"gs"}, {}, false}).ok());
  ExpectRefused(SendTo(fra_terminal_, {{"gs"}, {}, false}), StatusCode::kPermissionDenied,
                "recipient_not_allowed");
  ExpectRefused(SendTo("ncb-fra", {{deu_police_}, {}, false}), StatusCode::kPermissionDenied,
                "recipient_not_allowed");
}

TEST_F(SendTest, GsSendsToAnyAgency) {
  Result<Accepted> a = SendTo("gs", {{deu_police_}, {"FRA"}, false});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->recipients.size(), 2U);
}

TEST_F(SendTest, AgencySendsWithinItsCountryAndToOtherNcbs) {
  EXPECT_TRUE(SendTo(fra_police_, {{"ncb-fra", fra_customs_, fra_terminal_}, {}, false}).ok());
  EXPECT_TRUE(SendTo(fra_police_, {{}, {"DEU"}, false}).ok()) << "holds message.send";
  ExpectRefused(SendTo(fra_police_, {{deu_police_}, {}, false}), StatusCode::kPermissionDenied,
                "recipient_not_allowed");
}

TEST_F(SendTest, AgencyWithoutMessageSendCannotSend) {
  ExpectRefused(SendTo(fra_customs_, {{"ncb-fra"}, {}, false}), StatusCode::kPermissionDenied,
                "missing_capability");
  ExpectRefused(SendTo(fra_customs_, {{}, {"DEU"}, false}), StatusCode::kPermissionDenied,
                "missing_capability");
  ExpectNothingStored();
}

TEST_F(SendTest, TerminalSendsOnlyToItsOwnNcb) {
  EXPECT_TRUE(SendTo(fra_terminal_, {{}, {"FRA"}, false}).ok());
  ExpectRefused(SendTo(fra_terminal_, {{}, {"DEU"}, false}), StatusCode::kPermissionDenied,
                "recipient_not_allowed");
  ExpectRefused(SendTo(fra_terminal_, {{fra_police_}, {}, false}), StatusCode::kPermissionDenied,
                "recipient_not_allowed");
  ExpectRefused(SendTo(fra_terminal_, {{}, {}, true}), StatusCode::kPermissionDenied,
                "recipient_not_allowed");
}

TEST_F(SendTest, RefusesSenderMismatch) {
  const SignedContent c = Content("ncb-fra", {{}, {"DEU"}, false});
  Result<Accepted> a = Accepted{};
  const Status s = Write([&](store::Transaction& tx) {
    a = Send(tx, data_key_, {"ncb-ita", ""}, c, SignAs("ncb-fra", c), clock_.NowMillis());
    return a.status();
  });
  EXPECT_FALSE(s.ok());
  ExpectRefused(a, StatusCode::kPermissionDenied, "sender_mismatch");
}

TEST_F(SendTest, RefusesForgedOrWrongKeySignatures) {
  const SignedContent c = Content("ncb-fra", {{}, {"DEU"}, false});
  Signature forged = SignAs("ncb-fra", c);
  forged.signature[10] = static_cast<char>(forged.signature[10] ^ 1);
  ExpectRefused(SendSigned(c, forged), StatusCode::kUnauthenticated, "invalid_signature");

  SignedContent altered = c;
  altered.body += ".";
  ExpectRefused(SendSigned(altered, SignAs("ncb-fra", c)), StatusCode::kUnauthenticated,
                "invalid_signature");
  // Germany's valid signature over France's message, under Germany's key id.
  ExpectRefused(SendSigned(c, SignAs("ncb-deu", c)), StatusCode::kUnauthenticated,
                "invalid_signature");
  // France's signature claimed under Germany's key id.
  Signature wrong_id = SignAs("ncb-fra", c);
  wrong_id.key_id = SignAs("ncb-deu", c).key_id;
  ExpectRefused(SendSigned(c, wrong_id), StatusCode::kUnauthenticated, "invalid_signature");
  Signature unknown = SignAs("ncb-fra", c);
  unknown.key_id = "ed25519:0000";
  ExpectRefused(SendSigned(c, unknown), StatusCode::kUnauthenticated, "invalid_signature");
  ExpectRefused(SendSigned(c, {SignAs("ncb-fra", c).key_id, ""}), StatusCode::kUnauthenticated,
                "invalid_signature");
  ExpectNothingStored();
}

TEST_F(SendTest, RefusesRevokedKey) {
  const SignedContent c = Content("ncb-fra", {{}, {"DEU"}, false});
  const Signature sig = SignAs("ncb-fra", c);
  ASSERT_TRUE(
      Write([&](store::Transaction& tx) {
        return access::RevokeAgencyKey(tx, "ncb-fra", sig.key_id, clock_.NowMillis()).status();
      }).ok());
  ExpectRefused(SendSigned(c, sig), StatusCode::kUnauthenticated, "invalid_signature");
  ExpectNothingStored();
  // A new key works.
  RegisterKey("ncb-fra");
  EXPECT_TRUE(SendAs(c).ok());
}

TEST_F(SendTest, RetryWithSameKeyAndContentReturnsTheFirstMessage) {
  const SignedContent c = Content("ncb-fra", {{}, {"DEU", "ITA"}, false});
  Result<Accepted> first = SendAs(c);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  clock_.Advance(std::chrono::seconds(3));
  Result<Accepted> again = SendAs(c);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->message_id, first->message_id);
  EXPECT_EQ(again->recipients, first->recipients);
  EXPECT_EQ(Count("messages"), 1);
  EXPECT_EQ(Count("mailbox_events"), 2);
}

TEST_F(SendTest, RefusesIdempotencyKeyReusedForOtherContent) {
  SignedContent c = Content("ncb-fra", {{}, {"DEU"}, false});
  ASSERT_TRUE(SendAs(c).ok());
  c.body = "another body";
  ExpectRefused(SendAs(c), StatusCode::kAlreadyExists, "idempotency_key_reused");
  EXPECT_EQ(Count("messages"), 1);
  // The same key is free for another sender.
  c.sender_agency = "ncb-deu";
  c.to = {{}, {"FRA"}, false};
  EXPECT_TRUE(SendAs(c).ok());
}

TEST_F(SendTest, RefusesInvalidContentBeforeAnythingElse) {
  SignedContent c = Content("ncb-fra", {{}, {"DEU"}, false});
  c.subject.clear();
  ExpectRefused(SendAs(c), StatusCode::kInvalidArgument, "invalid_message");
  ExpectNothingStored();
}

}  // namespace
}  // namespace ncbnet::messaging
