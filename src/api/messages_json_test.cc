#include "api/messages_json.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/json.h"
#include "crypto/encoding.h"
#include "crypto/sign.h"

namespace ncbnet::api {
namespace {

using nlohmann::json;

messaging::SignedContent FullContent() {
  messaging::SignedContent c;
  c.sender_agency = "ncb-fra";
  c.idempotency_key = "fra-2026-000123";
  c.created_ms = 1795000000000;
  c.to.agencies = {"ncb-deu", "agc_x"};
  c.to.countries = {"ITA"};
  c.to.all_ncbs = true;
  c.subject = "Request for information: stolen Peugeot 308";
  c.body = "Line one\n\tLine two: \"quoted\" and ünïcödé";
  c.classification = messaging::Classification::kRestricted;
  c.handling = "Police use only";
  c.priority = messaging::Priority::kUrgent;
  c.language = "en";
  c.thread_id = "msg_thread";
  c.reply_to = "msg_parent";
  c.links = {"rec_1", "ntc_2"};
  return c;
}

void ExpectSameContent(const messaging::SignedContent& a, const messaging::SignedContent& b) {
  // The canonical encoding covers every field, so equal encodings mean equal contents.
  EXPECT_EQ(messaging::CanonicalEncoding(a), messaging::CanonicalEncoding(b));
}

std::string ErrorMessageOf(const Result<messaging::SignedContent>& r) {
  return r.ok() ? "" : r.status().message();
}

// tests/vectors/message-signing.json: made by the integration tests' Python signer, checked by
// the web console's unit tests too. Ed25519 is deterministic, so the bytes must match exactly.
TEST(MessagesJson, SharedSigningVectorsEncodeAndSignToTheSameBytes) {
  std::ifstream in(NCBNET_VECTORS_DIR "/message-signing.json");
  ASSERT_TRUE(in) << "cannot open the vectors";
  std::stringstream text;
  text << in.rdbuf();
  const json vectors = ParseJson(text.str());
  ASSERT_TRUE(vectors.is_object());
  auto seed = crypto::HexDecode(vectors["seed"].get<std::string>());
  ASSERT_TRUE(seed.ok());
  auto key = crypto::SigningKey::FromSeed(*seed);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(crypto::HexEncode(key->public_key()), vectors["public_key"]);
  ASSERT_GE(vectors["cases"].size(), 4u);
  for (const json& c : vectors["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto content = SignedContentFromJson(c["content"]);
    ASSERT_TRUE(content.ok()) << content.status().ToString();
    ASSERT_TRUE(messaging::Validate(*content).ok());
    const std::string encoding = messaging::CanonicalEncoding(*content);
    EXPECT_EQ(encoding, c["canonical"].get<std::string>());
    EXPECT_EQ(crypto::HexEncode(key->Sign(encoding)), c["signature"]);
    // And back: the JSON the hub serves is the JSON that was signed.
    EXPECT_EQ(SignedContentJson(*content), c["content"]);
  }
}

TEST(MessagesJson, SignedContentRoundTrips) {
  const messaging::SignedContent c = FullContent();
  const json j = SignedContentJson(c);
  EXPECT_EQ(j["classification"], "interpol_restricted");
  EXPECT_EQ(j["priority"], "urgent");
  EXPECT_EQ(j["to"]["all_ncbs"], true);
  auto back = SignedContentFromJson(json::parse(j.dump()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectSameContent(c, *back);
}

TEST(MessagesJson, GroupsAndAttachmentsRoundTripAndAreOmittedWhenEmpty) {
  const json v1 = SignedContentJson(FullContent());
  EXPECT_FALSE(v1["to"].contains("groups"));
  EXPECT_FALSE(v1.contains("attachments"));

  messaging::SignedContent c = FullContent();
  c.to.groups = {"europe-west", "g7"};
  c.attachments = {{std::string(64, 'a'), 3670016, "scan.pdf", "application/pdf"},
                   {std::string(64, 'b'), 12, "notes.txt", "text/plain"}};
  const json j = SignedContentJson(c);
  EXPECT_EQ(j["to"]["groups"], json({"europe-west", "g7"}));
  EXPECT_EQ(j["attachments"][0], json({{"sha256", std::string(64, 'a')},
                                       {"size", 3670016},
                                       {"name", "scan.pdf"},
                                       {"media_type", "application/pdf"}}));
  auto back = SignedContentFromJson(json::parse(j.dump()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectSameContent(c, *back);
  EXPECT_EQ(back->attachments.size(), 2U);
  EXPECT_EQ(back->attachments[1].size, 12);
}

TEST(MessagesJson, RefusesMalformedAttachmentsNamingTheField) {
  json j = SignedContentJson(FullContent());
  j["attachments"] = json::object();
  EXPECT_NE(ErrorMessageOf(SignedContentFromJson(j)).find("'content.attachments'"),
            std::string::npos);
  j["attachments"] = {{{"sha256", std::string(64, 'a')},
                       {"size", "12"},
                       {"name", "a"},
                       {"media_type", "text/plain"}}};
  EXPECT_NE(ErrorMessageOf(SignedContentFromJson(j)).find("'content.attachments[0].size'"),
            std::string::npos);
  j["attachments"][0]["size"] = 12;
  j["attachments"][0]["extra"] = true;
  EXPECT_NE(ErrorMessageOf(SignedContentFromJson(j)).find("'content.attachments[0].extra'"),
            std::string::npos);
  j["attachments"][0].erase("extra");
  j["attachments"][0].erase("name");
  EXPECT_NE(ErrorMessageOf(SignedContentFromJson(j)).find("'content.attachments[0].name'"),
            std::string::npos);
  j = SignedContentJson(FullContent());
  j["to"]["groups"] = "g7";
  EXPECT_NE(ErrorMessageOf(SignedContentFromJson(j)).find("'content.to.groups'"),
            std::string::npos);
}

TEST(MessagesJson, OptionalContentFieldsDefault) {
  json j = SignedContentJson(FullContent());
  for (const char* f : {"handling", "thread_id", "reply_to", "links"}) j.erase(f);
  j["to"] = {{"countries", {"DEU"}}};
  auto c = SignedContentFromJson(j);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->handling, "");
  EXPECT_EQ(c->thread_id, "");
  EXPECT_EQ(c->reply_to, "");
  EXPECT_TRUE(c->links.empty());
  EXPECT_TRUE(c->to.agencies.empty());
  EXPECT_FALSE(c->to.all_ncbs);
}

TEST(MessagesJson, NamesTheMissingRequiredField) {
  for (const char* f : {"sender_agency", "idempotency_key", "created_ms", "to", "subject", "body",
                        "classification", "priority", "language"}) {
    json j = SignedContentJson(FullContent());
    j.erase(f);
    auto c = SignedContentFromJson(j);
    ASSERT_FALSE(c.ok()) << f;
    EXPECT_EQ(c.status().reason(), "invalid_message");
    EXPECT_NE(ErrorMessageOf(c).find(std::string("content.") + f), std::string::npos)
        << ErrorMessageOf(c);
  }
}

TEST(MessagesJson, RefusesWrongTypesNamingTheField) {
  const std::pair<const char*, json> cases[] = {
      {"subject", 5},
      {"body", nullptr},
      {"created_ms", "1795000000000"},
      {"created_ms", 1.5},
      {"links", "rec_1"},
      {"links", {1, 2}},
      {"handling", false},
      {"classification", "top"},
      {"priority", "whenever"},
      {"to", json::array()},
      {"language", json::object()},
  };
  for (const auto& [field, value] : cases) {
    json j = SignedContentJson(FullContent());
    j[field] = value;
    auto c = SignedContentFromJson(j);
    ASSERT_FALSE(c.ok()) << field << " = " << value.dump();
    EXPECT_EQ(c.status().reason(), "invalid_message");
    EXPECT_NE(ErrorMessageOf(c).find(field), std::string::npos) << ErrorMessageOf(c);
  }
}

TEST(MessagesJson, RefusesAddressingOfWrongTypes) {
  json j = SignedContentJson(FullContent());
  j["to"]["all_ncbs"] = "yes";
  EXPECT_NE(ErrorMessageOf(SignedContentFromJson(j)).find("content.to.all_ncbs"),
            std::string::npos);
  j = SignedContentJson(FullContent());
  j["to"]["countries"] = {"DEU", 3};
  EXPECT_NE(ErrorMessageOf(SignedContentFromJson(j)).find("content.to.countries"),
            std::string::npos);
}

TEST(MessagesJson, RefusesFieldsOutsideTheSignedFormat) {
  json j = SignedContentJson(FullContent());
  j["cc"] = {"ncb-ita"};
  EXPECT_NE(ErrorMessageOf(SignedContentFromJson(j)).find("content.cc"), std::string::npos);
  j = SignedContentJson(FullContent());
  j["to"]["bcc"] = {"ncb-ita"};
  EXPECT_NE(ErrorMessageOf(SignedContentFromJson(j)).find("content.to.bcc"), std::string::npos);
  EXPECT_FALSE(SignedContentFromJson(json::array()).ok());
}

TEST(MessagesJson, RefusesCreatedMsBeyondInt64) {
  json j = SignedContentJson(FullContent());
  j["created_ms"] = std::numeric_limits<std::uint64_t>::max();
  EXPECT_FALSE(SignedContentFromJson(j).ok());
  j["created_ms"] = -5;
  auto c = SignedContentFromJson(j);
  ASSERT_TRUE(c.ok());  // the range is Validate()'s call, not the parser's
  EXPECT_EQ(c->created_ms, -5);
}

TEST(MessagesJson, SendRequestRoundTripsAndChecksTheSignatureFields) {
  const SendRequest request{FullContent(),
                            {"ed25519:0123456789abcdef0123456789abcdef", std::string(64, '\x5a')}};
  const json j = SendRequestJson(request);
  std::string hex;
  for (int i = 0; i < 64; ++i) hex += "5a";
  EXPECT_EQ(j["signature"], hex);
  auto back = SendRequestFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectSameContent(request.content, back->content);
  EXPECT_EQ(back->signature.key_id, request.signature.key_id);
  EXPECT_EQ(back->signature.signature, request.signature.signature);

  for (const char* f : {"key_id", "signature"}) {
    json bad = j;
    bad.erase(f);
    auto r = SendRequestFromJson(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().reason(), "invalid_signature");
  }
  json short_sig = j;
  short_sig["signature"] = std::string(126, 'a');
  EXPECT_EQ(SendRequestFromJson(short_sig).status().reason(), "invalid_signature");
  json extra = j;
  extra["note"] = "x";
  EXPECT_EQ(SendRequestFromJson(extra).status().reason(), "invalid_message");
  json no_content = j;
  no_content.erase("content");
  EXPECT_EQ(SendRequestFromJson(no_content).status().reason(), "invalid_message");
}

TEST(MessagesJson, StoredMessageRoundTrips) {
  messaging::StoredMessage m;
  m.id = "msg_abc";
  m.accepted_ms = 1795000000123;
  m.content = FullContent();
  m.signature = {"ed25519:0123456789abcdef0123456789abcdef", std::string(64, '\x01')};
  m.recipients = {"ncb-deu", "ncb-ita"};
  const json j = StoredMessageJson(m);
  EXPECT_EQ(j["accepted_at"], "2026-11-18T11:06:40.123Z");
  auto back = StoredMessageFromJson(json::parse(j.dump()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->id, m.id);
  EXPECT_EQ(back->accepted_ms, m.accepted_ms);
  EXPECT_EQ(back->recipients, m.recipients);
  EXPECT_EQ(back->signature.signature, m.signature.signature);
  ExpectSameContent(m.content, back->content);
}

TEST(MessagesJson, MailboxEventsCarryHeadersOrReceipts) {
  messaging::MailboxEvent message_event;
  message_event.cursor = 7;
  message_event.message_id = "msg_abc";
  message_event.message = messaging::StoredMessage{"msg_abc", 1795000000000, FullContent(), {}, {}};
  const json m = MailboxEventJson(message_event);
  EXPECT_EQ(m["kind"], "message");
  EXPECT_EQ(m["cursor"], 7);
  EXPECT_EQ(m["message"]["sender_agency"], "ncb-fra");
  EXPECT_EQ(m["message"]["priority"], "urgent");
  EXPECT_FALSE(m["message"].contains("body"));  // headers only
  EXPECT_FALSE(m.contains("damaged"));

  messaging::MailboxEvent damaged_event;
  damaged_event.cursor = 9;
  damaged_event.message_id = "msg_bad";
  damaged_event.damaged_reason = "decrypt_failed";
  const json d = MailboxEventJson(damaged_event);
  EXPECT_EQ(d["kind"], "message");
  EXPECT_TRUE(d["message"].is_null());
  EXPECT_EQ(d["damaged"], "decrypt_failed");

  messaging::MailboxEvent receipt_event;
  receipt_event.cursor = 8;
  receipt_event.kind = messaging::EventKind::kReceipt;
  receipt_event.message_id = "msg_abc";
  receipt_event.receipt =
      messaging::Receipt{"ncb-deu", messaging::ReceiptState::kRead, 1000, 2000, 3000};
  const json r = MailboxEventJson(receipt_event);
  EXPECT_EQ(r["kind"], "receipt");
  EXPECT_EQ(r["receipt"]["state"], "read");
  EXPECT_EQ(r["receipt"]["at"], "1970-01-01T00:00:03.000Z");
}

TEST(MessagesJson, AgencyKeyRoundTrips) {
  const access::AgencyKey key{"ed25519:0123456789abcdef0123456789abcdef", "ncb-fra",
                              std::string(32, '\x07'), 1000, 5000};
  const json j = AgencyKeyJson(key);
  EXPECT_EQ(j["public_key"], "0707070707070707070707070707070707070707070707070707070707070707");
  auto back = AgencyKeyFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->public_key, key.public_key);
  EXPECT_EQ(back->revoked_ms, key.revoked_ms);
  json live = j;
  live["revoked_at"] = nullptr;
  EXPECT_FALSE(AgencyKeyFromJson(live)->revoked_ms.has_value());
  json bad = j;
  bad["public_key"] = "0707";
  EXPECT_EQ(AgencyKeyFromJson(bad).status().reason(), "invalid_key_directory");
}

}  // namespace
}  // namespace ncbnet::api
