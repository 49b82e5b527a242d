#include "messaging/attachments.h"

#include <gtest/gtest.h>

#include "audit/audit_log.h"
#include "crypto/hash.h"
#include "messaging/messaging_test_env.h"
#include "messaging/retention.h"

namespace ncbnet::messaging {
namespace {

// Deterministic bytes of `size`, different for each `seed`.
std::string Bytes(std::int64_t size, char seed) {
  std::string out(static_cast<std::size_t>(size), '\0');
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<char>(seed + (i * 31) % 251);
  return out;
}

class AttachmentsTest : public MessagingTest {
 protected:
  Result<Upload> Open(const std::string& agency, const std::string& data) {
    Upload u;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(
          u, OpenUpload(tx, agency, crypto::Sha256Hex(data), static_cast<std::int64_t>(data.size()),
                        clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return u;
  }

  Status Put(const std::string& agency, const std::string& id, std::int64_t offset,
             std::string_view bytes) {
    return Write([&](store::Transaction& tx) {
      return WriteChunk(tx, data_key_, agency, id, offset, bytes, clock_.NowMillis()).status();
    });
  }

  Result<Completion> Complete(const std::string& agency, const std::string& id) {
    Completion c;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(c, CompleteUpload(tx, data_key_, agency, id, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return c;
  }

  // Opens, writes in whole chunks and completes; returns the reference to put in a message.
  AttachmentRef UploadFile(const std::string& agency, const std::string& data,
                           bool* already_stored = nullptr) {
    auto u = Open(agency, data);
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    for (std::int64_t at = 0; at < static_cast<std::int64_t>(data.size()); at += kChunkBytes) {
      EXPECT_TRUE(Put(agency, u->id, at, std::string_view(data).substr(at, kChunkBytes)).ok());
    }
    auto c = Complete(agency, u->id);
    EXPECT_TRUE(c.ok() && c->hash_matches) << c.status().ToString();
    if (already_stored != nullptr) *already_stored = c->already_stored;
    return {crypto::Sha256Hex(data), static_cast<std::int64_t>(data.size()), "file.pdf",
            "application/pdf"};
  }

  Result<AttachmentBytes> ReadAt(const std::string& agency, const std::string& id,
                                 std::int64_t index, std::int64_t offset, std::int64_t length) {
    AttachmentBytes out;
    Status s = store_->Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out,
                              ReadAttachment(tx, data_key_, agency, id, index, offset, length));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<Accepted> SendWith(const std::vector<AttachmentRef>& refs) {
    SignedContent c = Content("ncb-fra", Addressing{{}, {"DEU"}, false});
    c.attachments = refs;
    return SendAs(c);
  }
};

TEST_F(AttachmentsTest, MultiChunkRoundTripThroughAMessage) {
  const std::string data = Bytes(kChunkBytes * 3 + kChunkBytes / 2, 'a');
  const AttachmentRef ref = UploadFile("ncb-fra", data);
  EXPECT_EQ(Count("attachment_uploads"), 0);
  EXPECT_EQ(Count("attachment_upload_chunks"), 0);
  EXPECT_EQ(Count("attachment_blob_chunks"), 4);
  auto sent = SendWith({ref});
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  auto read = Read("ncb-deu", sent->message_id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->content.attachments.size(), 1U);
  EXPECT_EQ(read->content.attachments[0].sha256, ref.sha256);

  std::string back;
  for (std::int64_t at = 0; at < static_cast<std::int64_t>(data.size()); at += kChunkBytes) {
    auto part = ReadAt("ncb-deu", sent->message_id, 0, at, kChunkBytes);
    ASSERT_TRUE(part.ok()) << part.status().ToString();
    EXPECT_EQ(part->size, static_cast<std::int64_t>(data.size()));
    back += part->bytes;
  }
  EXPECT_EQ(back, data);
  // A range across a chunk boundary, and one cut at the end.
  auto across = ReadAt("ncb-fra", sent->message_id, 0, kChunkBytes - 5, 10);
  ASSERT_TRUE(across.ok());
  EXPECT_EQ(across->bytes, data.substr(kChunkBytes - 5, 10));
  auto tail = ReadAt("ncb-fra", sent->message_id, 0, static_cast<std::int64_t>(data.size()) - 3,
                     kChunkBytes);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->bytes, data.substr(data.size() - 3));
}

TEST_F(AttachmentsTest, TheSameFileTwiceIsStoredOnce) {
  const std::string data = Bytes(kChunkBytes + 10, 'b');
  bool again = true;
  UploadFile("ncb-fra", data, &again);
  EXPECT_FALSE(again);
  UploadFile("ncb-deu", data, &again);
  EXPECT_TRUE(again);
  EXPECT_EQ(Count("attachment_blobs"), 1);
  EXPECT_EQ(Count("attachment_blob_chunks"), 2);
  EXPECT_EQ(Count("attachment_upload_chunks"), 0);
  EXPECT_EQ(Count("attachment_possession"), 2);
}

TEST_F(AttachmentsTest, HashMismatchDiscardsTheUpload) {
  const std::string data = Bytes(100, 'c');
  auto u = Open("ncb-fra", data);
  ASSERT_TRUE(u.ok());
  ASSERT_TRUE(Put("ncb-fra", u->id, 0, Bytes(100, 'd')).ok());
  auto c = Complete("ncb-fra", u->id);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->hash_matches);
  EXPECT_EQ(Count("attachment_uploads"), 0);
  EXPECT_EQ(Count("attachment_upload_chunks"), 0);
  EXPECT_EQ(Count("attachment_blobs"), 0);
}

TEST_F(AttachmentsTest, OffsetsSizesAndOwnersAreEnforced) {
  const std::string data = Bytes(kChunkBytes + 1, 'e');
  auto u = Open("ncb-fra", data);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(Put("ncb-fra", u->id, 5, data.substr(0, kChunkBytes)).reason(),
            "upload_offset_mismatch");
  EXPECT_EQ(Put("ncb-fra", u->id, 0, data.substr(0, 10)).reason(), "invalid_chunk");
  EXPECT_EQ(Put("ncb-fra", u->id, 0, "").reason(), "invalid_chunk");
  EXPECT_EQ(Put("ncb-deu", u->id, 0, data.substr(0, kChunkBytes)).reason(), "upload_not_found");
  ASSERT_TRUE(Put("ncb-fra", u->id, 0, data.substr(0, kChunkBytes)).ok());
  EXPECT_EQ(Complete("ncb-fra", u->id).status().reason(), "upload_incomplete");
  EXPECT_EQ(Put("ncb-fra", u->id, kChunkBytes, "xy").reason(), "upload_too_long");
  EXPECT_EQ(Complete("ncb-deu", u->id).status().reason(), "upload_not_found");
  ASSERT_TRUE(Put("ncb-fra", u->id, kChunkBytes, data.substr(kChunkBytes)).ok());
  EXPECT_TRUE(Complete("ncb-fra", u->id).ok());

  EXPECT_EQ(Open("ncb-fra", "").status().reason(), "attachment_too_large");
  for (int i = 0; i < kMaxOpenUploads; ++i) ASSERT_TRUE(Open("ncb-ita", "x").ok());
  EXPECT_EQ(Open("ncb-ita", "x").status().reason(), "too_many_uploads");
}

TEST_F(AttachmentsTest, OnlyTheUploaderMayReferenceABlob) {
  const AttachmentRef ref = UploadFile("ncb-deu", Bytes(50, 'f'));
  EXPECT_EQ(SendWith({ref}).status().reason(), "unknown_attachment");
  AttachmentRef wrong_size = UploadFile("ncb-fra", Bytes(60, 'g'));
  wrong_size.size = 61;
  EXPECT_EQ(SendWith({wrong_size}).status().reason(), "unknown_attachment");
  EXPECT_EQ(Count("messages"), 0);
  EXPECT_EQ(Count("message_attachments"), 0);
}

TEST_F(AttachmentsTest, OnlySenderAndRecipientsReadAndTamperingIsDataLoss) {
  const std::string data = Bytes(2 * kChunkBytes, 'h');
  auto sent = SendWith({UploadFile("ncb-fra", data)});
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(ReadAt("ncb-ita", sent->message_id, 0, 0, 10).status().reason(), "message_not_found");
  EXPECT_EQ(ReadAt("ncb-deu", sent->message_id, 1, 0, 10).status().reason(),
            "attachment_not_found");
  EXPECT_EQ(ReadAt("ncb-deu", sent->message_id, 0, 0, kChunkBytes + 1).status().reason(),
            "invalid_request");
  // Swap the two sealed chunks: each opens only in its own place.
  Exec("UPDATE attachment_blob_chunks SET idx = 2 - idx WHERE idx IN (0, 2)");
  Exec("UPDATE attachment_blob_chunks SET idx = 5 WHERE idx = 1");
  Exec("UPDATE attachment_blob_chunks SET idx = 1 WHERE idx = 2");
  Exec("UPDATE attachment_blob_chunks SET idx = 0 WHERE idx = 5");
  auto swapped = ReadAt("ncb-deu", sent->message_id, 0, 0, 10);
  EXPECT_EQ(swapped.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(swapped.status().reason(), "attachment_tampered");
}

TEST_F(AttachmentsTest, RetentionPurgesAbandonedUploadsAndUnusedBlobs) {
  crypto::SigningKey audit_key = crypto::SigningKey::Generate();
  ASSERT_TRUE(Write([&](store::Transaction& tx) { return audit::Anchor(tx, audit_key); }).ok());
  auto abandoned = Open("ncb-fra", Bytes(10, 'i'));
  ASSERT_TRUE(abandoned.ok());
  const AttachmentRef used = UploadFile("ncb-fra", Bytes(20, 'j'));
  UploadFile("ncb-fra", Bytes(30, 'k'));  // never sent
  ASSERT_TRUE(SendWith({used}).ok());
  const auto purge = [&] {
    int n = -1;
    EXPECT_TRUE(Write([&](store::Transaction& tx) -> Status {
                  NCBNET_ASSIGN_OR_RETURN(n,
                                          PurgeAttachments(tx, audit_key, clock_.NowMillis(), 100));
                  return Status::Ok();
                }).ok());
    return n;
  };
  EXPECT_EQ(purge(), 0);  // within the day: kept
  clock_.Advance(std::chrono::milliseconds(kUploadLifetimeMs + 1));
  EXPECT_EQ(purge(), 2);
  EXPECT_EQ(Count("attachment_uploads"), 0);
  EXPECT_EQ(Count("attachment_blobs"), 1);  // the one a message uses
  EXPECT_EQ(Count("audit_log WHERE action = 'attachment.upload_purge'"), 1);
  EXPECT_EQ(Count("audit_log WHERE action = 'attachment.blob_purge'"), 1);
}

}  // namespace
}  // namespace ncbnet::messaging
