#include "messaging/message.h"

#include <cstddef>
#include <cstdint>

namespace ncbnet::messaging {
namespace {

constexpr std::size_t kMaxSubjectBytes = 998;
constexpr std::size_t kMaxBodyBytes = std::size_t{1024} * 1024;
constexpr std::size_t kMaxHandlingBytes = 1000;
constexpr std::size_t kMaxLinks = 100;
constexpr std::size_t kMaxAddressees = 1000;
constexpr std::size_t kMaxIdBytes = 128;
constexpr std::size_t kMaxGroups = 100;
constexpr std::size_t kMaxFileNameBytes = 255;
constexpr std::size_t kMaxMediaTypeBytes = 127;
constexpr std::size_t kSha256HexBytes = 64;

Status Invalid(std::string_view field, std::string_view why) {
  return Status::InvalidArgument("invalid_message", std::string(field) + ": " + std::string(why));
}

bool IsAsciiAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsAsciiAlnum(char c) { return IsAsciiAlpha(c) || (c >= '0' && c <= '9'); }

// [A-Za-z0-9._:-]: the characters of idempotency keys; ids may also hold '_' ("msg_...").
bool IsKeyChar(char c) { return IsAsciiAlnum(c) || c == '.' || c == ':' || c == '-'; }

bool IsIdLike(std::string_view s, std::size_t min, std::size_t max, bool underscore = true) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s) {
    if (!IsKeyChar(c) && !(underscore && c == '_')) return false;
  }
  return true;
}

// A BCP 47 tag in its simple shape: a 2-8 letter primary subtag, then subtags of 1-8
// letters or digits, joined by '-'.
bool IsLanguageTag(std::string_view s) {
  if (s.size() < 2 || s.size() > 35) return false;
  std::size_t start = 0;
  bool first = true;
  while (start <= s.size()) {
    std::size_t end = s.find('-', start);
    if (end == std::string_view::npos) end = s.size();
    const std::string_view sub = s.substr(start, end - start);
    if (sub.empty() || sub.size() > 8) return false;
    for (char c : sub) {
      if (first ? !IsAsciiAlpha(c) : !IsAsciiAlnum(c)) return false;
    }
    if (first && sub.size() < 2) return false;
    first = false;
    start = end + 1;
  }
  return true;
}

// RFC 9110 token characters, as in media types ("application/pdf").
bool IsTokenChar(char c) {
  return IsAsciiAlnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsMediaType(std::string_view s) {
  if (s.size() < 3 || s.size() > kMaxMediaTypeBytes) return false;
  const std::size_t slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == s.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i != slash && !IsTokenChar(s[i])) return false;
  }
  return true;
}

bool IsLowerHex(std::string_view s, std::size_t size) {
  if (s.size() != size) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status ValidateAttachments(const std::vector<AttachmentRef>& attachments) {
  if (attachments.size() > kMaxAttachments) return Invalid("attachments", "at most 20");
  for (std::size_t i = 0; i < attachments.size(); ++i) {
    const AttachmentRef& a = attachments[i];
    const std::string field = "attachments[" + std::to_string(i) + "]";
    if (!IsLowerHex(a.sha256, kSha256HexBytes)) {
      return Invalid(field + ".sha256", "expected 64 lower-case hex characters");
    }
    if (a.size > kMaxAttachmentBytes) {
      return Status::InvalidArgument("attachment_too_large", field + " exceeds 50 MiB");
    }
    if (a.size < 1) return Invalid(field + ".size", "must be 1 to 52428800 bytes");
    if (a.name.empty() || a.name.size() > kMaxFileNameBytes || !IsCleanText(a.name, false) ||
        a.name.find('/') != std::string::npos) {
      return Invalid(field + ".name", "expected a file name of 1-255 bytes, no '/'");
    }
    if (!IsMediaType(a.media_type)) {
      return Invalid(field + ".media_type", "expected type/subtype, e.g. application/pdf");
    }
  }
  return Status::Ok();
}

Status ValidateAddressing(const Addressing& to) {
  if (to.agencies.empty() && to.countries.empty() && !to.all_ncbs && to.groups.empty()) {
    return Status::InvalidArgument("no_recipients", "a message needs at least one recipient");
  }
  if (to.agencies.size() > kMaxAddressees || to.countries.size() > kMaxAddressees) {
    return Invalid("to", "too many recipients");
  }
  if (to.groups.size() > kMaxGroups) return Invalid("to.groups", "at most 100");
  for (const std::string& g : to.groups) {
    if (!IsGroupName(g)) return Invalid("to.groups", "expected a group name of [a-z0-9-]{2,64}");
  }
  for (const std::string& a : to.agencies) {
    if (!IsIdLike(a, 1, kMaxIdBytes)) return Invalid("to.agencies", "invalid agency id");
  }
  for (const std::string& c : to.countries) {
    if (c.size() != 3 || !(c[0] >= 'A' && c[0] <= 'Z') || !(c[1] >= 'A' && c[1] <= 'Z') ||
        !(c[2] >= 'A' && c[2] <= 'Z')) {
      return Invalid("to.countries", "expected an upper-case ISO 3166-1 alpha-3 code");
    }
  }
  return Status::Ok();
}

// An enum value cast from an out-of-range integer is not one of ours.
bool IsKnown(Classification c) {
  switch (c) {
    case Classification::kUnclassified:
    case Classification::kFouo:
    case Classification::kRestricted:
    case Classification::kConfidential:
      return true;
  }
  return false;
}

bool IsKnown(Priority p) {
  switch (p) {
    case Priority::kRoutine:
    case Priority::kUrgent:
    case Priority::kFlash:
      return true;
  }
  return false;
}

void AppendScalar(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += '\n';
}

void AppendList(std::string& out, const std::vector<std::string>& items) {
  out += std::to_string(items.size());
  out += '\n';
  for (const std::string& item : items) AppendScalar(out, item);
}

}  // namespace

Status ValidateAttachmentRefs(const std::vector<AttachmentRef>& attachments) {
  return ValidateAttachments(attachments);
}

// Decodes one UTF-8 sequence at `s[i]` strictly (no overlong forms, surrogates or code points
// above U+10FFFF). Returns the code point and advances `i`, or returns -1.
namespace {

std::int32_t DecodeUtf8(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  std::size_t extra = 0;
  std::int32_t cp = 0;
  std::int32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    extra = 1, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3, cp = lead & 0x07, min = 0x10000;
  } else {
    return -1;
  }
  if (extra >= s.size() - i) return -1;  // cut off
  for (std::size_t k = 1; k <= extra; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  i += extra + 1;
  return cp;
}

}  // namespace

bool IsCleanText(std::string_view s, bool multiline) {
  for (std::size_t i = 0; i < s.size();) {
    const std::int32_t cp = DecodeUtf8(s, i);
    if (cp < 0) return false;
    if (multiline && (cp == '\t' || cp == '\n' || cp == '\r')) continue;
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return false;
  }
  return true;
}

std::string_view ClassificationName(Classification c) {
  switch (c) {
    case Classification::kUnclassified:
      return "unclassified";
    case Classification::kFouo:
      return "interpol_fouo";
    case Classification::kRestricted:
      return "interpol_restricted";
    case Classification::kConfidential:
      return "interpol_confidential";
  }
  return "unclassified";
}

std::optional<Classification> ParseClassification(std::string_view name) {
  for (Classification c : {Classification::kUnclassified, Classification::kFouo,
                           Classification::kRestricted, Classification::kConfidential}) {
    if (name == ClassificationName(c)) return c;
  }
  return std::nullopt;
}

std::string_view PriorityName(Priority p) {
  switch (p) {
    case Priority::kRoutine:
      return "routine";
    case Priority::kUrgent:
      return "urgent";
    case Priority::kFlash:
      return "flash";
  }
  return "routine";
}

std::optional<Priority> ParsePriority(std::string_view name) {
  for (Priority p : {Priority::kRoutine, Priority::kUrgent, Priority::kFlash}) {
    if (name == PriorityName(p)) return p;
  }
  return std::nullopt;
}

Status Validate(const SignedContent& content) {
  if (!IsIdLike(content.sender_agency, 1, kMaxIdBytes))
    return Invalid("sender_agency", "invalid id");
  if (!content.sender_user.empty() && !IsIdLike(content.sender_user, 3, 64)) {
    return Invalid("sender_user", "expected a login name, 3-64 of [a-z0-9._-]");
  }
  if (!IsIdLike(content.idempotency_key, 8, 128, /*underscore=*/false)) {
    return Invalid("idempotency_key", "expected 8-128 of [A-Za-z0-9._:-]");
  }
  if (content.created_ms <= 0) return Invalid("created_ms", "must be a positive time");
  NCBNET_RETURN_IF_ERROR(ValidateAddressing(content.to));
  if (content.subject.empty() || content.subject.size() > kMaxSubjectBytes) {
    return Invalid("subject", "must be 1-998 bytes");
  }
  if (!IsCleanText(content.subject, false))
    return Invalid("subject", "invalid UTF-8 or control char");
  if (content.body.size() > kMaxBodyBytes) {
    return Status::InvalidArgument("body_too_large", "body exceeds 1 MiB");
  }
  if (!IsCleanText(content.body, true))
    return Invalid("body", "invalid UTF-8 or control character");
  if (!IsKnown(content.classification)) return Invalid("classification", "unknown");
  if (!IsKnown(content.priority)) return Invalid("priority", "unknown");
  if (content.handling.size() > kMaxHandlingBytes) return Invalid("handling", "exceeds 1000 bytes");
  if (!IsCleanText(content.handling, false))
    return Invalid("handling", "invalid UTF-8 or control char");
  if (!IsLanguageTag(content.language)) return Invalid("language", "expected a BCP 47 tag");
  if (!content.thread_id.empty() && !IsIdLike(content.thread_id, 1, kMaxIdBytes)) {
    return Invalid("thread_id", "invalid message id");
  }
  if (!content.reply_to.empty() && !IsIdLike(content.reply_to, 1, kMaxIdBytes)) {
    return Invalid("reply_to", "invalid message id");
  }
  if (content.links.size() > kMaxLinks) return Invalid("links", "at most 100");
  for (const std::string& link : content.links) {
    if (!IsIdLike(link, 1, kMaxIdBytes)) return Invalid("links", "invalid id");
  }
  return ValidateAttachments(content.attachments);
}

bool IsGroupName(std::string_view name) {
  if (name.size() < 2 || name.size() > 64) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

std::string CanonicalEncoding(const SignedContent& content) {
  // v1 and v2 stay byte for byte what they were, so every message signed before still verifies.
  const bool v3 = !content.sender_user.empty();
  const bool v2 = v3 || !content.to.groups.empty() || !content.attachments.empty();
  std::string out = v3 ? "ncbnet-message-v3\n" : v2 ? "ncbnet-message-v2\n" : "ncbnet-message-v1\n";
  out.reserve(out.size() + content.subject.size() + content.body.size() + 512);
  AppendScalar(out, content.sender_agency);
  if (v3) AppendScalar(out, content.sender_user);
  AppendScalar(out, content.idempotency_key);
  AppendScalar(out, std::to_string(content.created_ms));
  AppendList(out, content.to.agencies);
  AppendList(out, content.to.countries);
  AppendScalar(out, content.to.all_ncbs ? "1" : "0");
  if (v2) AppendList(out, content.to.groups);
  AppendScalar(out, content.subject);
  AppendScalar(out, content.body);
  AppendScalar(out, ClassificationName(content.classification));
  AppendScalar(out, content.handling);
  AppendScalar(out, PriorityName(content.priority));
  AppendScalar(out, content.language);
  AppendScalar(out, content.thread_id);
  AppendScalar(out, content.reply_to);
  AppendList(out, content.links);
  if (v2) {
    out += std::to_string(content.attachments.size());
    out += '\n';
    for (const AttachmentRef& a : content.attachments) {
      AppendScalar(out, a.sha256);
      AppendScalar(out, std::to_string(a.size));
      AppendScalar(out, a.name);
      AppendScalar(out, a.media_type);
    }
  }
  return out;
}

}  // namespace ncbnet::messaging
