// ncbnet msg send | inbox | read | verify: messages between agencies (issue 3). `send` builds
// the content, uploads its attachments (msg_attach.h), signs it here with the agency's key
// (docs/message-format.md) and posts it;
// `inbox` and `read` fetch from the hub; `verify` checks a fetched message offline against a
// saved key directory, trusting neither the hub nor the network.
#include <cctype>
#include <chrono>
#include <iostream>
#include <iterator>
#include <thread>

#include "access/agency_keys.h"
#include "api/messages_json.h"
#include "apps/ncbnet/client_flags.h"
#include "apps/ncbnet/commands.h"
#include "apps/ncbnet/data_dir.h"
#include "apps/ncbnet/msg_attach.h"
#include "apps/ncbnet/output.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/time_format.h"
#include "crypto/encoding.h"
#include "crypto/random.h"
#include "crypto/sign.h"
#include "messaging/message.h"

namespace ncbnet::apps {
namespace {

using nlohmann::json;

constexpr int kSendTries = 3;

struct SendFlags {
  ClientFlags client;
  std::string key_file, key_id, from, subject, body, body_file, handling, thread, reply_to;
  std::string classification = "unclassified", priority = "routine", language = "en";
  std::string idempotency_key;
  std::optional<std::int64_t> created_ms;
  std::vector<std::string> to_agencies, to_countries, to_groups, links, attach;
  bool all_ncbs = false;
  bool json = false;
};

// Message text keeps its newlines and tabs (output.h).
std::string Printable(std::string_view text) { return apps::Printable(text, /*multiline=*/true); }

Result<std::string> BodyText(const SendFlags& f) {
  if (!f.body.empty() && !f.body_file.empty()) {
    return Status::InvalidArgument("invalid_flags", "give --body or --body-file, not both");
  }
  if (!f.body.empty()) return f.body;
  if (!f.body_file.empty()) return ReadFile(f.body_file);
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

Result<messaging::SignedContent> BuildContent(const SendFlags& f) {
  messaging::SignedContent c;
  c.sender_agency = f.from;
  c.idempotency_key = f.idempotency_key.empty()
                          ? "cli-" + crypto::HexEncode(crypto::RandomBytes(12))
                          : f.idempotency_key;
  c.created_ms = f.created_ms.value_or(SystemClock().NowMillis());
  c.to = {f.to_agencies, f.to_countries, f.all_ncbs, f.to_groups};
  c.subject = f.subject;
  NCBNET_ASSIGN_OR_RETURN(c.body, BodyText(f));
  const auto classification = messaging::ParseClassification(f.classification);
  if (!classification) {
    return Status::InvalidArgument("invalid_message",
                                   "--classification must be unclassified, interpol_fouo, "
                                   "interpol_restricted or interpol_confidential");
  }
  c.classification = *classification;
  const auto priority = messaging::ParsePriority(f.priority);
  if (!priority) {
    return Status::InvalidArgument("invalid_message",
                                   "--priority must be routine, urgent or flash");
  }
  c.priority = *priority;
  c.handling = f.handling;
  c.language = f.language;
  c.thread_id = f.thread;
  c.reply_to = f.reply_to;
  c.links = f.links;
  NCBNET_RETURN_IF_ERROR(messaging::Validate(c));  // the hub's rules, before anything is sent
  return c;
}

// Posts until answered: a connection failure or a 503 is retried with the same idempotency key,
// so the hub stores the message at most once however many tries reach it.
Result<HubClient::Reply> PostWithRetry(HubClient& hub, const json& request) {
  for (int attempt = 1;; ++attempt) {
    Result<HubClient::Reply> reply = hub.Call("POST", "/v1/messages", request);
    const bool transient = !reply.ok() || reply->status == 503;
    if (!transient || attempt == kSendTries) {
      if (!reply.ok()) return reply.status();
      if (reply->status >= 400) return StatusFromReply(*reply);
      return reply;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500 * attempt));
  }
}

Status Send(const SendFlags& f) {
  NCBNET_ASSIGN_OR_RETURN(crypto::SigningKey key, crypto::SigningKey::LoadFile(f.key_file));
  NCBNET_ASSIGN_OR_RETURN(messaging::SignedContent content, BuildContent(f));
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(f.client));
  // Attachments go up first: the signature covers their hashes, and the hub accepts only
  // attachments the sending agency has uploaded.
  for (const std::string& file : f.attach) {
    NCBNET_ASSIGN_OR_RETURN(messaging::AttachmentRef ref, UploadAttachment(hub, file));
    content.attachments.push_back(std::move(ref));
  }
  NCBNET_RETURN_IF_ERROR(messaging::Validate(content));
  api::SendRequest request;
  request.signature.key_id = f.key_id.empty() ? access::KeyIdFor(key.public_key()) : f.key_id;
  request.signature.signature = key.Sign(messaging::CanonicalEncoding(content));
  request.content = std::move(content);
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply reply, PostWithRetry(hub, SendRequestJson(request)));
  if (f.json) {
    PrintJson(reply.body);
  } else {
    std::cout << reply.body.value("message_id", "") << "\n";
  }
  return Status::Ok();
}

void PrintEvent(const json& e) {
  const std::string cursor = std::to_string(e.value("cursor", std::int64_t{0}));
  const std::string id = Printable(e.value("message_id", ""));
  if (e.value("kind", "") == "message" && e["message"].is_object()) {
    const json& m = e["message"];
    std::cout << cursor << "  " << m.value("accepted_at", "") << "  " << id << "  from "
              << Printable(m.value("sender_agency", "")) << "  ["
              << Printable(m.value("priority", "")) << ", "
              << Printable(m.value("classification", "")) << "]  "
              << Printable(m.value("subject", "")) << "\n";
  } else if (e.value("kind", "") == "receipt" && e["receipt"].is_object()) {
    const json& r = e["receipt"];
    std::cout << cursor << "  " << r.value("at", "") << "  " << id
              << "  receipt: " << Printable(r.value("agency_id", "")) << " "
              << Printable(r.value("state", "")) << "\n";
  }
}

Status Inbox(const ClientFlags& client, std::int64_t after, int limit, bool as_json) {
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(client));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply reply,
                          hub.CallOk("GET", "/v1/mailbox?after=" + std::to_string(after) +
                                                "&limit=" + std::to_string(limit)));
  if (as_json) {
    PrintJson(reply.body);
    return Status::Ok();
  }
  const json events = reply.body.value("events", json::array());
  for (const json& e : events) {
    if (e.is_object()) PrintEvent(e);
  }
  std::cout << events.size() << " event(s); next: --after "
            << reply.body.value("next_cursor", after) << "\n";
  return Status::Ok();
}

void PrintMessage(const messaging::StoredMessage& m) {
  const messaging::SignedContent& c = m.content;
  std::string to;
  for (const std::string& r : m.recipients) to += (to.empty() ? "" : ", ") + r;
  std::cout << "Message:        " << Printable(m.id) << "\n"
            << "From:           " << Printable(c.sender_agency) << " (key "
            << Printable(m.signature.key_id) << ")\n"
            << "To:             " << Printable(to) << "\n"
            << "Accepted:       " << FormatIsoMillis(m.accepted_ms) << "\n"
            << "Subject:        " << Printable(c.subject) << "\n"
            << "Classification: " << messaging::ClassificationName(c.classification)
            << "    Priority: " << messaging::PriorityName(c.priority)
            << "    Language: " << Printable(c.language) << "\n";
  if (!c.handling.empty()) std::cout << "Handling:       " << Printable(c.handling) << "\n";
  if (!c.thread_id.empty()) std::cout << "Thread:         " << Printable(c.thread_id) << "\n";
  if (!c.reply_to.empty()) std::cout << "In reply to:    " << Printable(c.reply_to) << "\n";
  for (const std::string& l : c.links) std::cout << "Link:           " << Printable(l) << "\n";
  for (const std::string& g : c.to.groups) std::cout << "Group:          " << Printable(g) << "\n";
  for (std::size_t i = 0; i < c.attachments.size(); ++i) {
    const messaging::AttachmentRef& a = c.attachments[i];
    std::cout << "Attachment " << i << ":   " << Printable(a.name) << " (" << a.size << " bytes, "
              << Printable(a.media_type) << ", sha256 " << Printable(a.sha256) << ")\n";
  }
  std::cout << "\n" << Printable(c.body) << "\n";
}

Status Read(const ClientFlags& client, const std::string& id, bool as_json) {
  for (const char c : id) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_' && c != '-') {
      return Status::InvalidArgument("invalid_id", "a message id looks like msg_...");
    }
  }
  NCBNET_ASSIGN_OR_RETURN(HubClient hub, HubClient::Connect(client));
  NCBNET_ASSIGN_OR_RETURN(HubClient::Reply reply, hub.CallOk("GET", "/v1/messages/" + id));
  if (as_json) {
    std::cout << reply.raw << "\n";  // exactly as the hub sent it: the input of `msg verify`
    return Status::Ok();
  }
  NCBNET_ASSIGN_OR_RETURN(messaging::StoredMessage m, api::StoredMessageFromJson(reply.body));
  PrintMessage(m);
  return Status::Ok();
}

Result<json> ReadJsonFile(const std::string& path) {
  NCBNET_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  json j = ParseJson(text);
  if (j.is_discarded()) return Status::InvalidArgument("invalid_json", path + " is not JSON");
  return j;
}

struct Verdict {
  bool valid = false;
  std::string reason;  // why not, when invalid
  std::string agency_id;
  std::string key_id;
  std::optional<std::int64_t> key_revoked_ms;
};

Result<std::vector<access::AgencyKey>> DirectoryKeys(const json& directory) {
  if (!directory.is_object() || !directory.contains("keys") || !directory["keys"].is_array()) {
    return Status::InvalidArgument("invalid_key_directory",
                                   "the directory must be GET /v1/keys's JSON: {\"keys\": [...]}");
  }
  std::vector<access::AgencyKey> keys;
  for (const json& k : directory["keys"]) {
    NCBNET_ASSIGN_OR_RETURN(access::AgencyKey key, api::AgencyKeyFromJson(k));
    keys.push_back(std::move(key));
  }
  return keys;
}

Verdict Judge(const messaging::StoredMessage& m, const std::vector<access::AgencyKey>& keys) {
  Verdict v{false, "", m.content.sender_agency, m.signature.key_id, std::nullopt};
  const access::AgencyKey* key = nullptr;
  for (const access::AgencyKey& k : keys) {
    if (k.key_id == m.signature.key_id) key = &k;
  }
  if (key == nullptr) {
    v.reason = "key " + m.signature.key_id + " is not in the directory";
    return v;
  }
  v.key_revoked_ms = key->revoked_ms;
  if (access::KeyIdFor(key->public_key) != key->key_id) {
    v.reason = "the directory's entry for " + key->key_id + " does not match its public key";
  } else if (key->agency_id != m.content.sender_agency) {
    v.reason = "key " + key->key_id + " belongs to " + key->agency_id + ", not to the sender " +
               m.content.sender_agency;
  } else if (!crypto::VerifySignature(key->public_key, messaging::CanonicalEncoding(m.content),
                                      m.signature.signature)) {
    v.reason = "the signature does not match the message's content";
  } else if (key->revoked_ms && *key->revoked_ms < m.accepted_ms) {
    // The hub refuses messages signed with a revoked key: this one cannot be genuine.
    v.reason = "key " + key->key_id + " was revoked at " + FormatIsoMillis(*key->revoked_ms) +
               ", before the message was accepted";
  } else {
    v.valid = true;
  }
  return v;
}

// Exit status: 0 valid, 1 invalid, 2 the files could not be read.
int Verify(const std::string& message_file, const std::string& directory_file, bool as_json) {
  auto message_json = ReadJsonFile(message_file);
  if (!message_json.ok()) return Fail(message_json.status()) + 1;
  auto message = api::StoredMessageFromJson(*message_json);
  if (!message.ok()) return Fail(message.status()) + 1;
  auto directory_json = ReadJsonFile(directory_file);
  if (!directory_json.ok()) return Fail(directory_json.status()) + 1;
  auto keys = DirectoryKeys(*directory_json);
  if (!keys.ok()) return Fail(keys.status()) + 1;
  const Verdict v = Judge(*message, *keys);
  const json revoked_at = v.key_revoked_ms ? json(FormatIsoMillis(*v.key_revoked_ms)) : json();
  if (as_json) {
    PrintJson({{"valid", v.valid},
               {"agency_id", v.agency_id},
               {"key_id", v.key_id},
               {"key_revoked_at", revoked_at}});
    if (!v.valid) std::cerr << "signature INVALID: " << Printable(v.reason) << "\n";
  } else if (v.valid) {
    std::cout << "signature valid: signed by " << Printable(v.agency_id) << " with "
              << Printable(v.key_id);
    if (v.key_revoked_ms) {
      std::cout << " (key revoked since " << revoked_at.get<std::string>() << ")";
    }
    std::cout << "\n";
  } else {
    std::cout << "signature INVALID: " << Printable(v.reason) << "\n";
  }
  return v.valid ? 0 : 1;
}

void RegisterSend(CLI::App* msg, int& exit_code) {
  auto f = std::make_shared<SendFlags>();
  auto* send = msg->add_subcommand("send", "Sign a message with the agency's key and send it");
  send->add_option("--key", f->key_file, "The agency's key file (ncbnet key generate)")->required();
  send->add_option("--key-id", f->key_id, "The key's id (default: derived from the key)");
  send->add_option("--from", f->from, "The sending agency's id, e.g. ncb-fra")->required();
  send->add_option("--to-agency", f->to_agencies, "Recipient agency id (repeatable)");
  send->add_option("--to-country", f->to_countries, "Recipient country's NCB, e.g. DEU");
  send->add_flag("--all-ncbs", f->all_ncbs, "Every NCB");
  send->add_option("--group", f->to_groups,
                   "A country group defined by the GS (ncbnet group list), e.g. europe-west");
  send->add_option("--subject", f->subject)->required();
  send->add_option("--body", f->body, "The body (default: read from stdin)");
  send->add_option("--body-file", f->body_file, "Read the body from this file");
  send->add_option("--classification", f->classification,
                   "unclassified, interpol_fouo, interpol_restricted, interpol_confidential");
  send->add_option("--priority", f->priority, "routine, urgent or flash");
  send->add_option("--language", f->language, "BCP 47 tag, e.g. en, fr");
  send->add_option("--handling", f->handling, "Handling instruction");
  send->add_option("--thread", f->thread, "The thread's first message id");
  send->add_option("--reply-to", f->reply_to, "The message id answered");
  send->add_option("--link", f->links, "A linked record, notice or hit id (repeatable)");
  send->add_option("--attach", f->attach, "A file to attach, up to 50 MiB (repeatable)")
      ->check(CLI::ExistingFile);
  send->add_option("--idempotency-key", f->idempotency_key, "Default: random");
  send->add_option("--created-ms", f->created_ms,
                   "The signed creation time, ms since the epoch (default: now); resending the "
                   "same content and key later gives the first message's id");
  send->add_flag("--json", f->json);
  AddClientFlags(send, f->client);
  send->callback([f, &exit_code] {
    if (Status s = Send(*f); !s.ok()) exit_code = Fail(s);
  });
}

}  // namespace

void RegisterMsg(CLI::App& app, int& exit_code) {
  auto* msg = app.add_subcommand("msg", "Messages between agencies");
  msg->require_subcommand(1);
  RegisterSend(msg, exit_code);
  RegisterMsgSearch(*msg, exit_code);
  RegisterMsgWatch(*msg, exit_code);
  RegisterMsgAttachment(*msg, exit_code);

  struct InboxFlags {
    ClientFlags client;
    std::int64_t after = 0;
    int limit = 100;
    bool json = false;
  };
  auto in = std::make_shared<InboxFlags>();
  auto* inbox = msg->add_subcommand("inbox", "The agency's mailbox: new messages and receipts");
  inbox->add_option("--after", in->after, "Cursor: events after this one")
      ->check(CLI::NonNegativeNumber);
  inbox->add_option("--limit", in->limit, "At most this many events")->check(CLI::Range(1, 500));
  inbox->add_flag("--json", in->json);
  AddClientFlags(inbox, in->client);
  inbox->callback([in, &exit_code] {
    if (Status s = Inbox(in->client, in->after, in->limit, in->json); !s.ok()) {
      exit_code = Fail(s);
    }
  });

  struct ReadFlags {
    ClientFlags client;
    std::string id;
    bool json = false;
  };
  auto rf = std::make_shared<ReadFlags>();
  auto* read = msg->add_subcommand("read", "One message, whole (marks it read)");
  read->add_option("id", rf->id, "Message id")->required();
  read->add_flag("--json", rf->json, "The hub's JSON, as `msg verify --message` reads it");
  AddClientFlags(read, rf->client);
  read->callback([rf, &exit_code] {
    if (Status s = Read(rf->client, rf->id, rf->json); !s.ok()) exit_code = Fail(s);
  });

  struct VerifyFlags {
    std::string message, directory;
    bool json = false;
  };
  auto vf = std::make_shared<VerifyFlags>();
  auto* verify = msg->add_subcommand("verify", "Check a message's signature offline");
  verify->add_option("--message", vf->message, "JSON of GET /v1/messages/{id} (msg read --json)")
      ->required();
  verify->add_option("--directory", vf->directory, "JSON of GET /v1/keys (key list --json)")
      ->required();
  verify->add_flag("--json", vf->json);
  verify->callback([vf, &exit_code] { exit_code = Verify(vf->message, vf->directory, vf->json); });
}

}  // namespace ncbnet::apps
