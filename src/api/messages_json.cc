#include "api/messages_json.h"

#include <initializer_list>
#include <limits>
#include <string_view>

#include "core/time_format.h"
#include "crypto/encoding.h"

namespace ncbnet::api {
namespace {

using nlohmann::json;

constexpr std::size_t kSignatureBytes = 64;
constexpr std::size_t kPublicKeyBytes = 32;

// Reads one JSON object's fields, each error naming the field by its path ("content.to.agencies")
// with the reason the caller chose ("invalid_message", "invalid_key_directory").
class FieldReader {
 public:
  FieldReader(const json& object, std::string path, std::string reason)
      : object_(object), path_(std::move(path)), reason_(std::move(reason)) {}

  // The object itself must be an object holding only `allowed` keys: a field outside the
  // format would not be covered by the signature, so it is refused rather than dropped.
  Status CheckObject(std::initializer_list<std::string_view> allowed) const {
    if (!object_.is_object()) return Error(path_.empty() ? "(body)" : path_, "must be an object");
    for (const auto& item : object_.items()) {
      bool known = false;
      for (std::string_view a : allowed) known = known || item.key() == a;
      if (!known) return Error(Path(item.key()), "is not a field of this object");
    }
    return Status::Ok();
  }

  Result<std::string> String(const char* field, bool required) const {
    const auto it = object_.find(field);
    if (it == object_.end()) {
      if (required) return Error(Path(field), "is required");
      return std::string();
    }
    if (!it->is_string()) return Error(Path(field), "must be a string");
    return it->get<std::string>();
  }

  Result<std::int64_t> Int(const char* field) const {
    const auto it = object_.find(field);
    if (it == object_.end()) return Error(Path(field), "is required");
    if (it->is_number_unsigned()) {
      if (it->get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return Error(Path(field), "is out of range");
      }
      return static_cast<std::int64_t>(it->get<std::uint64_t>());
    }
    if (!it->is_number_integer()) return Error(Path(field), "must be an integer");
    return it->get<std::int64_t>();
  }

  Result<bool> Bool(const char* field) const {
    const auto it = object_.find(field);
    if (it == object_.end()) return false;
    if (!it->is_boolean()) return Error(Path(field), "must be true or false");
    return it->get<bool>();
  }

  // A list of strings; absent means empty unless `required`.
  Result<std::vector<std::string>> Strings(const char* field, bool required = false) const {
    const auto it = object_.find(field);
    std::vector<std::string> out;
    if (it == object_.end()) {
      if (required) return Error(Path(field), "is required");
      return out;
    }
    if (!it->is_array()) return Error(Path(field), "must be a list of strings");
    for (const json& item : *it) {
      if (!item.is_string()) return Error(Path(field), "must be a list of strings");
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  // An ISO 8601 UTC time, or null/absent when `nullable`.
  Result<std::optional<std::int64_t>> Time(const char* field, bool nullable) const {
    const auto it = object_.find(field);
    if (nullable && (it == object_.end() || it->is_null())) return std::optional<std::int64_t>();
    NCBNET_ASSIGN_OR_RETURN(std::string text, String(field, true));
    auto ms = ParseIsoMillis(text);
    if (!ms.ok()) return Error(Path(field), "must be an ISO 8601 UTC time");
    return std::optional<std::int64_t>(*ms);
  }

  const json& Child(const char* field) const {
    static const json* const kEmpty = new json(json::object());
    const auto it = object_.find(field);
    return it == object_.end() ? *kEmpty : *it;
  }
  bool Has(const char* field) const { return object_.contains(field); }

  std::string Path(std::string_view field) const {
    return path_.empty() ? std::string(field) : path_ + "." + std::string(field);
  }
  const std::string& reason() const { return reason_; }
  Status Error(const std::string& field, const std::string& what) const {
    return Status::InvalidArgument(reason_, "'" + field + "' " + what);
  }

 private:
  const json& object_;
  std::string path_;
  std::string reason_;
};

Result<messaging::Addressing> AddressingFromJson(const FieldReader& content) {
  if (!content.Has("to")) return content.Error(content.Path("to"), "is required");
  const FieldReader to(content.Child("to"), content.Path("to"), "invalid_message");
  NCBNET_RETURN_IF_ERROR(to.CheckObject({"agencies", "countries", "all_ncbs", "groups"}));
  messaging::Addressing a;
  NCBNET_ASSIGN_OR_RETURN(a.agencies, to.Strings("agencies"));
  NCBNET_ASSIGN_OR_RETURN(a.countries, to.Strings("countries"));
  NCBNET_ASSIGN_OR_RETURN(a.all_ncbs, to.Bool("all_ncbs"));
  NCBNET_ASSIGN_OR_RETURN(a.groups, to.Strings("groups"));
  return a;
}

Result<std::vector<messaging::AttachmentRef>> AttachmentsFromJson(const FieldReader& content) {
  std::vector<messaging::AttachmentRef> out;
  if (!content.Has("attachments")) return out;
  const json& list = content.Child("attachments");
  const std::string path = content.Path("attachments");
  if (!list.is_array()) return content.Error(path, "must be a list of objects");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const FieldReader item(list[i], path + "[" + std::to_string(i) + "]", content.reason());
    NCBNET_RETURN_IF_ERROR(item.CheckObject({"sha256", "size", "name", "media_type"}));
    messaging::AttachmentRef a;
    NCBNET_ASSIGN_OR_RETURN(a.sha256, item.String("sha256", true));
    NCBNET_ASSIGN_OR_RETURN(a.size, item.Int("size"));
    NCBNET_ASSIGN_OR_RETURN(a.name, item.String("name", true));
    NCBNET_ASSIGN_OR_RETURN(a.media_type, item.String("media_type", true));
    out.push_back(std::move(a));
  }
  return out;
}

Status EnumsFromJson(const FieldReader& r, messaging::SignedContent& c) {
  NCBNET_ASSIGN_OR_RETURN(std::string classification, r.String("classification", true));
  const auto parsed_classification = messaging::ParseClassification(classification);
  if (!parsed_classification) {
    return r.Error(r.Path("classification"),
                   "must be unclassified, interpol_fouo, interpol_restricted or "
                   "interpol_confidential");
  }
  c.classification = *parsed_classification;
  NCBNET_ASSIGN_OR_RETURN(std::string priority, r.String("priority", true));
  const auto parsed_priority = messaging::ParsePriority(priority);
  if (!parsed_priority) return r.Error(r.Path("priority"), "must be routine, urgent or flash");
  c.priority = *parsed_priority;
  return Status::Ok();
}

Result<messaging::SignedContent> ContentFromReader(const FieldReader& r) {
  NCBNET_RETURN_IF_ERROR(
      r.CheckObject({"sender_agency", "sender_user", "idempotency_key", "created_ms", "to",
                     "subject", "body", "classification", "handling", "priority", "language",
                     "thread_id", "reply_to", "links", "attachments"}));
  messaging::SignedContent c;
  NCBNET_ASSIGN_OR_RETURN(c.sender_agency, r.String("sender_agency", true));
  NCBNET_ASSIGN_OR_RETURN(c.sender_user, r.String("sender_user", false));
  NCBNET_ASSIGN_OR_RETURN(c.idempotency_key, r.String("idempotency_key", true));
  NCBNET_ASSIGN_OR_RETURN(c.created_ms, r.Int("created_ms"));
  NCBNET_ASSIGN_OR_RETURN(c.to, AddressingFromJson(r));
  NCBNET_ASSIGN_OR_RETURN(c.subject, r.String("subject", true));
  NCBNET_ASSIGN_OR_RETURN(c.body, r.String("body", true));
  NCBNET_RETURN_IF_ERROR(EnumsFromJson(r, c));
  NCBNET_ASSIGN_OR_RETURN(c.handling, r.String("handling", false));
  NCBNET_ASSIGN_OR_RETURN(c.language, r.String("language", true));
  NCBNET_ASSIGN_OR_RETURN(c.thread_id, r.String("thread_id", false));
  NCBNET_ASSIGN_OR_RETURN(c.reply_to, r.String("reply_to", false));
  NCBNET_ASSIGN_OR_RETURN(c.links, r.Strings("links"));
  NCBNET_ASSIGN_OR_RETURN(c.attachments, AttachmentsFromJson(r));
  return c;
}

json SignatureFields(const messaging::Signature& s) {
  return {{"key_id", s.key_id}, {"signature", crypto::HexEncode(s.signature)}};
}

}  // namespace

json AttachmentRefJson(const messaging::AttachmentRef& a) {
  return {{"sha256", a.sha256}, {"size", a.size}, {"name", a.name}, {"media_type", a.media_type}};
}

json SignedContentJson(const messaging::SignedContent& c) {
  json to = {
      {"agencies", c.to.agencies}, {"countries", c.to.countries}, {"all_ncbs", c.to.all_ncbs}};
  // Groups and attachments appear only when present, so a v1 message's JSON is what it was and
  // clients that predate them still read it.
  if (!c.to.groups.empty()) to["groups"] = c.to.groups;
  json j = {{"sender_agency", c.sender_agency},
            {"idempotency_key", c.idempotency_key},
            {"created_ms", c.created_ms},
            {"to", std::move(to)},
            {"subject", c.subject},
            {"body", c.body},
            {"classification", messaging::ClassificationName(c.classification)},
            {"handling", c.handling},
            {"priority", messaging::PriorityName(c.priority)},
            {"language", c.language},
            {"thread_id", c.thread_id},
            {"reply_to", c.reply_to},
            {"links", c.links}};
  // Only a v3 message names its sender user, so older messages read as they did.
  if (!c.sender_user.empty()) j["sender_user"] = c.sender_user;
  if (!c.attachments.empty()) {
    json list = json::array();
    for (const messaging::AttachmentRef& a : c.attachments) list.push_back(AttachmentRefJson(a));
    j["attachments"] = std::move(list);
  }
  return j;
}

Result<std::vector<messaging::AttachmentRef>> AttachmentRefsFromJson(const json& object,
                                                                     const std::string& reason) {
  return AttachmentsFromJson(FieldReader(object, "", reason));
}

Result<messaging::SignedContent> SignedContentFromJson(const json& j) {
  return ContentFromReader(FieldReader(j, "content", "invalid_message"));
}

Result<messaging::Signature> SignatureFromJson(const json& j) {
  const Status invalid =
      Status::Unauthenticated("invalid_signature", "'key_id' and 'signature' (hex) are required");
  if (!j.is_object()) return invalid;
  const auto key_id = j.find("key_id");
  const auto signature = j.find("signature");
  if (key_id == j.end() || !key_id->is_string() || signature == j.end() ||
      !signature->is_string()) {
    return invalid;
  }
  auto bytes = crypto::HexDecode(signature->get<std::string>());
  if (!bytes.ok() || bytes->size() != kSignatureBytes) return invalid;
  return messaging::Signature{key_id->get<std::string>(), std::move(bytes).value()};
}

json SendRequestJson(const SendRequest& request) {
  json j = SignatureFields(request.signature);
  j["content"] = SignedContentJson(request.content);
  return j;
}

Result<SendRequest> SendRequestFromJson(const json& j) {
  const FieldReader r(j, "", "invalid_message");
  NCBNET_RETURN_IF_ERROR(r.CheckObject({"content", "key_id", "signature"}));
  if (!r.Has("content")) return r.Error("content", "is required");
  SendRequest request;
  NCBNET_ASSIGN_OR_RETURN(request.content, SignedContentFromJson(j.at("content")));
  NCBNET_ASSIGN_OR_RETURN(request.signature, SignatureFromJson(j));
  return request;
}

json StoredMessageJson(const messaging::StoredMessage& m) {
  json j = SignatureFields(m.signature);
  j["id"] = m.id;
  j["accepted_at"] = FormatIsoMillis(m.accepted_ms);
  j["recipients"] = m.recipients;
  j["content"] = SignedContentJson(m.content);
  return j;
}

Result<messaging::StoredMessage> StoredMessageFromJson(const json& j) {
  const FieldReader r(j, "", "invalid_message");
  NCBNET_RETURN_IF_ERROR(
      r.CheckObject({"id", "accepted_at", "recipients", "content", "key_id", "signature"}));
  messaging::StoredMessage m;
  NCBNET_ASSIGN_OR_RETURN(m.id, r.String("id", true));
  NCBNET_ASSIGN_OR_RETURN(std::optional<std::int64_t> accepted, r.Time("accepted_at", false));
  m.accepted_ms = *accepted;
  NCBNET_ASSIGN_OR_RETURN(m.recipients, r.Strings("recipients", true));
  if (!r.Has("content")) return r.Error("content", "is required");
  NCBNET_ASSIGN_OR_RETURN(m.content, SignedContentFromJson(j.at("content")));
  auto signature = SignatureFromJson(j);
  if (!signature.ok()) return r.Error("signature", "must be 128 hex characters, with a key_id");
  m.signature = std::move(signature).value();
  return m;
}

json MessageHeaderJson(const messaging::StoredMessage& m) {
  json j = {{"id", m.id},
            {"sender_agency", m.content.sender_agency},
            {"subject", m.content.subject},
            {"classification", messaging::ClassificationName(m.content.classification)},
            {"priority", messaging::PriorityName(m.content.priority)},
            {"accepted_at", FormatIsoMillis(m.accepted_ms)},
            {"thread_id", m.content.thread_id},
            {"reply_to", m.content.reply_to}};
  if (!m.content.sender_user.empty()) j["sender_user"] = m.content.sender_user;
  return j;
}

json MailboxPageJson(const messaging::MailboxPage& page) {
  json list = json::array();
  for (const messaging::MailboxEntry& e : page.entries) {
    if (!e.damaged_reason.empty()) {
      list.push_back({{"id", e.message.id}, {"damaged", e.damaged_reason}});
      continue;
    }
    json j = MessageHeaderJson(e.message);
    j["recipients"] = e.message.recipients;
    j["recipient_count"] = e.message.recipients.size();
    j["state"] = e.my_state ? json(messaging::ReceiptStateName(*e.my_state)) : json(nullptr);
    list.push_back(std::move(j));
  }
  return {{"messages", list},
          {"next_before", page.next_before.empty() ? json(nullptr) : json(page.next_before)}};
}

json MailboxEventJson(const messaging::MailboxEvent& e) {
  json j = {{"cursor", e.cursor}, {"message_id", e.message_id}};
  if (e.kind == messaging::EventKind::kMessage) {
    j["kind"] = "message";
    j["message"] = e.message ? MessageHeaderJson(*e.message) : json(nullptr);
    if (!e.damaged_reason.empty()) j["damaged"] = e.damaged_reason;
  } else {
    j["kind"] = "receipt";
    if (e.receipt) {
      const messaging::Receipt& r = *e.receipt;
      std::int64_t at = r.queued_ms;
      if (r.state == messaging::ReceiptState::kDelivered && r.delivered_ms) at = *r.delivered_ms;
      if (r.state == messaging::ReceiptState::kRead && r.read_ms) at = *r.read_ms;
      j["receipt"] = {{"agency_id", r.agency_id},
                      {"state", messaging::ReceiptStateName(r.state)},
                      {"at", FormatIsoMillis(at)}};
    } else {
      j["receipt"] = nullptr;
    }
  }
  return j;
}

json ReceiptJson(const messaging::Receipt& r) {
  return {{"agency_id", r.agency_id},
          {"state", messaging::ReceiptStateName(r.state)},
          {"queued_at", FormatIsoMillis(r.queued_ms)},
          {"delivered_at", r.delivered_ms ? json(FormatIsoMillis(*r.delivered_ms)) : json(nullptr)},
          {"read_at", r.read_ms ? json(FormatIsoMillis(*r.read_ms)) : json(nullptr)}};
}

json AgencyKeyJson(const access::AgencyKey& k) {
  return {{"key_id", k.key_id},
          {"agency_id", k.agency_id},
          {"public_key", crypto::HexEncode(k.public_key)},
          {"created_at", FormatIsoMillis(k.created_ms)},
          {"revoked_at", k.revoked_ms ? json(FormatIsoMillis(*k.revoked_ms)) : json(nullptr)}};
}

Result<access::AgencyKey> AgencyKeyFromJson(const json& j) {
  const FieldReader r(j, "", "invalid_key_directory");
  NCBNET_RETURN_IF_ERROR(
      r.CheckObject({"key_id", "agency_id", "public_key", "created_at", "revoked_at"}));
  access::AgencyKey k;
  NCBNET_ASSIGN_OR_RETURN(k.key_id, r.String("key_id", true));
  NCBNET_ASSIGN_OR_RETURN(k.agency_id, r.String("agency_id", true));
  NCBNET_ASSIGN_OR_RETURN(std::string hex, r.String("public_key", true));
  auto raw = crypto::HexDecode(hex);
  if (!raw.ok() || raw->size() != kPublicKeyBytes) {
    return r.Error("public_key", "must be 64 hex characters");
  }
  k.public_key = std::move(raw).value();
  NCBNET_ASSIGN_OR_RETURN(std::optional<std::int64_t> created, r.Time("created_at", false));
  k.created_ms = *created;
  NCBNET_ASSIGN_OR_RETURN(k.revoked_ms, r.Time("revoked_at", true));
  return k;
}

}  // namespace ncbnet::api
