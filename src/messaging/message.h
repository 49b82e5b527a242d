// A message between agencies, as the sender signs it and as the hub stores and delivers it.
// The signed part and its canonical encoding are specified in docs/message-format.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ncbnet::messaging {

enum class Classification { kUnclassified, kFouo, kRestricted, kConfidential };
enum class Priority { kRoutine, kUrgent, kFlash };

// Wire names: "unclassified", "interpol_fouo" (INTERPOL FOR OFFICIAL USE ONLY),
// "interpol_restricted", "interpol_confidential"; "routine", "urgent", "flash".
std::string_view ClassificationName(Classification c);
std::optional<Classification> ParseClassification(std::string_view name);
std::string_view PriorityName(Priority p);
std::optional<Priority> ParsePriority(std::string_view name);

// Whom a message is for, as the sender wrote it. The hub resolves it to agencies: a country
// to its NCB, a group to the NCBs of its member countries (messaging/country_groups.h),
// all_ncbs to every NCB. At least one recipient in all.
struct Addressing {
  std::vector<std::string> agencies;   // agency ids, up to 1000
  std::vector<std::string> countries;  // ISO 3166-1 alpha-3, upper case, up to 1000
  bool all_ncbs = false;
  std::vector<std::string> groups = {};  // country-group names, [a-z0-9-]{2,64}, up to 100
};

// A file sent with a message, named by its content: the hub holds the bytes once per sha256
// (messaging/attachments.h); the signature covers the hash, so it covers the bytes.
inline constexpr std::int64_t kMaxAttachmentBytes = std::int64_t{50} * 1024 * 1024;
inline constexpr std::size_t kMaxAttachments = 20;
struct AttachmentRef {
  std::string sha256;      // 64 lower-case hex characters
  std::int64_t size = 0;   // 1..kMaxAttachmentBytes
  std::string name;        // file name: 1..255 bytes of UTF-8, no '/', no control characters
  std::string media_type;  // "type/subtype" of token characters, 3..127 bytes
};

// What the sending agency signs (docs/message-format.md). The hub never alters it.
struct SignedContent {
  std::string sender_agency;
  // The officer who sent it, by login name, when a person did (the console always names her);
  // empty for a system. The hub accepts it only from that user's own session.
  std::string sender_user = {};
  std::string idempotency_key;  // chosen by the sender, unique per sender; 8-128 of [A-Za-z0-9._:-]
  std::int64_t created_ms = 0;  // the sender's clock
  Addressing to;
  std::string subject;  // UTF-8, 1..998 bytes, no control characters
  std::string body;     // UTF-8, up to 1 MiB
  Classification classification = Classification::kUnclassified;
  std::string handling;  // free handling instruction, may be empty, up to 1000 bytes
  Priority priority = Priority::kRoutine;
  std::string language;                         // BCP 47 tag, e.g. "en", "fr", 2..35 bytes
  std::string thread_id;                        // empty, or a message id
  std::string reply_to;                         // empty, or a message id
  std::vector<std::string> links = {};          // ids of records, notices, hits: up to 100
  std::vector<AttachmentRef> attachments = {};  // up to 20
};

// Checks sizes, character sets and required fields. Errors: kInvalidArgument with reasons
// "invalid_message" (message names the field), "body_too_large", "no_recipients",
// "attachment_too_large" (an attachment over 50 MiB).
Status Validate(const SignedContent& content);

// Validate()'s checks of attachment references alone (at most 20, well-formed), for services
// that forward an agency's files in the hub's messages. Errors as Validate().
Status ValidateAttachmentRefs(const std::vector<AttachmentRef>& attachments);

// Valid UTF-8 (strict) without control characters (C0, DEL, C1); `multiline` allows tab, CR
// and LF. What every text of a message must be; hits and reminders check their texts with it.
bool IsCleanText(std::string_view s, bool multiline);

// A country group's name: 2..64 of [a-z0-9-].
bool IsGroupName(std::string_view name);

// The exact bytes that are signed: docs/message-format.md. A message that names its sender user
// encodes as "ncbnet-message-v3"; otherwise one without groups and attachments as
// "ncbnet-message-v1", exactly as before they existed, and any other as "ncbnet-message-v2".
std::string CanonicalEncoding(const SignedContent& content);

struct Signature {
  std::string key_id;     // the agency key's id in the key directory
  std::string signature;  // 64 bytes, Ed25519 over CanonicalEncoding()
};

}  // namespace ncbnet::messaging
