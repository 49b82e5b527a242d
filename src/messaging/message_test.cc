#include "messaging/message.h"

#include <string>

#include <gtest/gtest.h>

#include "crypto/hash.h"

namespace ncbnet::messaging {
namespace {

SignedContent Small() {
  SignedContent c;
  c.sender_agency = "ncb-fra";
  c.idempotency_key = "fra-2026-000123";
  c.created_ms = 1795000000000;
  c.to.agencies = {"agc_x"};
  c.to.countries = {"DEU"};
  c.subject = "Hi";
  c.body = "a\nb";
  c.classification = Classification::kFouo;
  c.priority = Priority::kUrgent;
  c.language = "en";
  c.reply_to = "msg_1";
  c.links = {"rec_1", "ntc_2"};
  return c;
}

TEST(CanonicalEncoding, MatchesTheDocumentedBytes) {
  const std::string expected =
      "ncbnet-message-v1\n"
      "7:ncb-fra\n"
      "15:fra-2026-000123\n"
      "13:1795000000000\n"
      "1\n5:agc_x\n"
      "1\n3:DEU\n"
      "1:0\n"
      "2:Hi\n"
      "3:a\nb\n"
      "13:interpol_fouo\n"
      "0:\n"
      "6:urgent\n"
      "2:en\n"
      "0:\n"
      "5:msg_1\n"
      "2\n5:rec_1\n5:ntc_2\n";
  EXPECT_EQ(CanonicalEncoding(Small()), expected);
}

// Messages signed before groups and attachments existed must verify for ever: the v1 bytes of a
// message without either are pinned here, down to the SHA-256 of the whole encoding.
TEST(CanonicalEncoding, V1BytesAreUnchangedWithoutGroupsOrAttachments) {
  const std::string enc = CanonicalEncoding(Small());
  EXPECT_EQ(enc.rfind("ncbnet-message-v1\n", 0), 0U);
  EXPECT_EQ(enc.size(), 160U);
  EXPECT_EQ(crypto::Sha256Hex(enc),
            "bac7f42c207aab7e4a5a029257affa1674de2bd532f0d0d99ba03eadb037505b");
}

AttachmentRef Pdf() {
  return {"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 1048577,
          "report 1.pdf", "application/pdf"};
}

TEST(CanonicalEncoding, V2AddsGroupsAfterAllNcbsAndAttachmentsAtTheEnd) {
  SignedContent c = Small();
  c.to.groups = {"europe-west", "g7"};
  c.attachments = {Pdf()};
  const std::string expected =
      "ncbnet-message-v2\n"
      "7:ncb-fra\n"
      "15:fra-2026-000123\n"
      "13:1795000000000\n"
      "1\n5:agc_x\n"
      "1\n3:DEU\n"
      "1:0\n"
      "2\n11:europe-west\n2:g7\n"
      "2:Hi\n"
      "3:a\nb\n"
      "13:interpol_fouo\n"
      "0:\n"
      "6:urgent\n"
      "2:en\n"
      "0:\n"
      "5:msg_1\n"
      "2\n5:rec_1\n5:ntc_2\n"
      "1\n"
      "64:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n"
      "7:1048577\n"
      "12:report 1.pdf\n"
      "15:application/pdf\n";
  EXPECT_EQ(CanonicalEncoding(c), expected);
}

TEST(CanonicalEncoding, GroupsOrAttachmentsAloneSelectV2) {
  SignedContent groups_only = Small();
  groups_only.to.groups = {"g7"};
  const std::string g = CanonicalEncoding(groups_only);
  EXPECT_EQ(g.rfind("ncbnet-message-v2\n", 0), 0U);
  EXPECT_EQ(g.substr(g.size() - 10), "5:ntc_2\n0\n");  // no attachments: an empty list
  SignedContent attachments_only = Small();
  attachments_only.attachments = {Pdf()};
  const std::string a = CanonicalEncoding(attachments_only);
  EXPECT_NE(a.find("1:0\n0\n2:Hi\n"), std::string::npos) << a;  // an empty group list
  EXPECT_NE(g, a);
}

TEST(CanonicalEncoding, ASenderUserSelectsV3RightAfterTheAgency) {
  SignedContent c = Small();
  const std::string v1 = CanonicalEncoding(c);
  c.sender_user = "fra.admin";
  const std::string v3 = CanonicalEncoding(c);
  EXPECT_EQ(v3.rfind("ncbnet-message-v3\n7:ncb-fra\n9:fra.admin\n", 0), 0U) << v3;
  EXPECT_NE(v3.find("1:0\n0\n2:Hi\n"), std::string::npos) << v3;  // an empty group list
  EXPECT_EQ(v3.substr(v3.size() - 10), "5:ntc_2\n0\n");           // and no attachments
  EXPECT_EQ(v1.rfind("ncbnet-message-v1\n", 0), 0U);
  EXPECT_TRUE(Validate(c).ok());
  for (const char* bad : {"ab", "fra admin", "fra/admin", "fra\nadmin"}) {
    c.sender_user = bad;
    EXPECT_EQ(Validate(c).reason(), "invalid_message") << bad;
  }
}

TEST(Validate, ChecksGroupsAndAttachments) {
  SignedContent c = Small();
  c.to = Addressing{{}, {}, false, {"europe-west"}};
  c.attachments = {Pdf()};
  EXPECT_TRUE(Validate(c).ok()) << Validate(c).ToString();
  const auto reason = [](const SignedContent& x) { return Validate(x).reason(); };
  SignedContent bad = c;
  bad.to.groups = {"Europe"};
  EXPECT_EQ(reason(bad), "invalid_message");
  bad.to.groups = {"x"};
  EXPECT_EQ(reason(bad), "invalid_message");
  bad.to.groups.assign(101, "g7");
  EXPECT_EQ(reason(bad), "invalid_message");
  bad = c;
  bad.attachments[0].size = kMaxAttachmentBytes + 1;
  EXPECT_EQ(reason(bad), "attachment_too_large");
  bad.attachments[0].size = 0;
  EXPECT_EQ(reason(bad), "invalid_message");
  bad = c;
  bad.attachments[0].sha256[0] = 'F';
  EXPECT_EQ(reason(bad), "invalid_message");
  for (const char* name : {"", "a/b.pdf", "tab\there"}) {
    bad = c;
    bad.attachments[0].name = name;
    EXPECT_EQ(reason(bad), "invalid_message") << name;
  }
  bad.attachments[0].name = std::string(256, 'x');
  EXPECT_EQ(reason(bad), "invalid_message");
  for (const char* type : {"pdf", "application/", "/pdf", "text/plain; charset=utf-8", "a/b/c"}) {
    bad = c;
    bad.attachments[0].media_type = type;
    EXPECT_EQ(reason(bad), "invalid_message") << type;
  }
  bad = c;
  bad.attachments.assign(21, Pdf());
  EXPECT_EQ(reason(bad), "invalid_message");
  bad.attachments.assign(20, Pdf());
  EXPECT_TRUE(Validate(bad).ok());
}

TEST(CanonicalEncoding, EmptyListsAndAllNcbs) {
  SignedContent c = Small();
  c.to = Addressing{{}, {}, true};
  c.links.clear();
  const std::string enc = CanonicalEncoding(c);
  EXPECT_NE(enc.find("13:1795000000000\n0\n0\n1:1\n2:Hi\n"), std::string::npos) << enc;
  EXPECT_EQ(enc.substr(enc.size() - 10), "5:msg_1\n0\n");
}

TEST(CanonicalEncoding, FieldBoundariesCannotBeShifted) {
  SignedContent a = Small();
  SignedContent b = Small();
  a.subject = "x";
  a.body = "y";
  b.subject = "x\n1:y";  // would collide with a delimiter-only encoding
  b.body = "";
  EXPECT_NE(CanonicalEncoding(a), CanonicalEncoding(b));
  a.to.agencies = {"a", "b"};
  b = a;
  b.to.agencies = {"a\n1:b"};
  EXPECT_NE(CanonicalEncoding(a), CanonicalEncoding(b));
}

TEST(MessageNames, RoundTrip) {
  for (Classification c : {Classification::kUnclassified, Classification::kFouo,
                           Classification::kRestricted, Classification::kConfidential}) {
    EXPECT_EQ(ParseClassification(ClassificationName(c)), c);
  }
  for (Priority p : {Priority::kRoutine, Priority::kUrgent, Priority::kFlash}) {
    EXPECT_EQ(ParsePriority(PriorityName(p)), p);
  }
  EXPECT_EQ(ClassificationName(Classification::kConfidential), "interpol_confidential");
  EXPECT_FALSE(ParseClassification("secret"));
  EXPECT_FALSE(ParsePriority("ROUTINE"));
}

// Validate(c) must fail with `reason`, naming `field` when it is not empty.
void ExpectInvalid(const SignedContent& c, const std::string& reason, const std::string& field) {
  const Status s = Validate(c);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << field;
  EXPECT_EQ(s.reason(), reason) << field;
  if (!field.empty()) {
    EXPECT_NE(s.message().find(field), std::string::npos) << s.message();
  }
}

TEST(Validate, AcceptsAWellFormedMessage) {
  EXPECT_TRUE(Validate(Small()).ok());
  SignedContent c = Small();
  c.body = "tab\there\r\nnew line, \xC3\xA9t\xC3\xA9, \xE4\xB8\xAD\xE6\x96\x87, \xF0\x9F\x9A\x93";
  c.language = "zh-Hant-TW";
  c.handling = "Do not forward";
  EXPECT_TRUE(Validate(c).ok());
  c.body = std::string(std::size_t{1024} * 1024, 'a');
  EXPECT_TRUE(Validate(c).ok()) << "exactly 1 MiB is allowed";
}

TEST(Validate, RefusesBadRecipients) {
  SignedContent c = Small();
  c.to = Addressing{};
  ExpectInvalid(c, "no_recipients", "");
  c.to.countries = {"deu"};
  ExpectInvalid(c, "invalid_message", "to.countries");
  c.to.countries = {"DE"};
  ExpectInvalid(c, "invalid_message", "to.countries");
  c.to.countries.clear();
  c.to.agencies = {""};
  ExpectInvalid(c, "invalid_message", "to.agencies");
}

TEST(Validate, RefusesBadSubjectAndBody) {
  SignedContent c = Small();
  c.subject = "";
  ExpectInvalid(c, "invalid_message", "subject");
  c.subject = std::string(999, 's');
  ExpectInvalid(c, "invalid_message", "subject");
  c.subject = "line\nbreak";
  ExpectInvalid(c, "invalid_message", "subject");
  c.subject = "c1 \xC2\x85 control";
  ExpectInvalid(c, "invalid_message", "subject");
  c = Small();
  c.body = std::string(std::size_t{1024} * 1024 + 1, 'a');
  ExpectInvalid(c, "body_too_large", "");
  for (const char* bad :
       {"\xC0\xAF", "\xED\xA0\x80", "\xE2\x82", "\xF4\x90\x80\x80", "\xFF", "bell\a", "del\x7F"}) {
    c.body = bad;
    ExpectInvalid(c, "invalid_message", "body");
  }
}

TEST(Validate, RefusesBadScalars) {
  SignedContent c = Small();
  for (const std::string& key : {std::string("short"), std::string("has space in it"),
                                 std::string("under_score"), std::string(129, 'k')}) {
    c.idempotency_key = key;
    ExpectInvalid(c, "invalid_message", "idempotency_key");
  }
  c = Small();
  c.created_ms = 0;
  ExpectInvalid(c, "invalid_message", "created_ms");
  c = Small();
  c.handling = std::string(1001, 'h');
  ExpectInvalid(c, "invalid_message", "handling");
  c = Small();
  for (const char* lang : {"e", "english-", "1en", "en--us", "en-abcdefghi", "en_US"}) {
    c.language = lang;
    ExpectInvalid(c, "invalid_message", "language");
  }
  c = Small();
  c.thread_id = "msg 1";
  ExpectInvalid(c, "invalid_message", "thread_id");
  c = Small();
  c.links = std::vector<std::string>(101, "rec_1");
  ExpectInvalid(c, "invalid_message", "links");
  c = Small();
  c.classification = static_cast<Classification>(9);
  ExpectInvalid(c, "invalid_message", "classification");
  c = Small();
  c.sender_agency = "";
  ExpectInvalid(c, "invalid_message", "sender_agency");
}

}  // namespace
}  // namespace ncbnet::messaging
