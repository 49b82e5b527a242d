// Messages the hub itself sends: hit notifications and follow-ups (hits/hits.h), review
// reminders (hits/reminders.h). They are ordinary messages, stored by Send() and delivered
// through mailboxes, the live feeds and `ncbnet msg inbox`, and verified offline by
// `ncbnet msg verify` like any other (docs/message-format.md, "Messages from the hub").
//
// The hub signs them with its messaging key, <data-dir>/hub-messaging.key (Ed25519, mode
// 0600), registered in the key directory as a key of the General Secretariat's agency, `gs`:
// their sender_agency is "gs". The GS agency does not read them as their sender: a hub message
// is read, listed, searched and receipted only by its recipients (the `hub` flag of a stored
// message), so hub messages about records the GS may not see disclose nothing to it.
//
// Thread safety: plain functions on a caller's store transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "crypto/sign.h"
#include "messaging/message.h"
#include "messaging/message_service.h"
#include "store/store.h"

namespace ncbnet::messaging {

// The agency the hub's messages come from.
inline constexpr std::string_view kHubSenderAgency = "gs";

struct HubMessage {
  std::vector<std::string> to_agencies;  // at least one, unless all_ncbs
  bool all_ncbs = false;                 // also to every NCB (notices published to all)
  std::string subject;
  std::string body;
  Priority priority = Priority::kRoutine;
  Classification classification = Classification::kRestricted;
  std::string idempotency_key;     // unique per hub message, 8-128 of [A-Za-z0-9._:-]
  std::vector<std::string> links;  // ids of the hits and records it is about (up to 100)
  // Files it carries (up to 20), which `attachments_of` must possess (messaging/attachments.h):
  // an agency's files that the hub forwards for it, e.g. an MLA request's (mla/mla.h). The
  // recipients read them through the message; the blobs are kept while the message is.
  std::vector<AttachmentRef> attachments = {};
  std::string attachments_of = {};
};

// Registers `hub_key`'s public key as a key of `gs` unless it is registered already (to gs);
// true if it registered it now. `ncbnet serve` calls it at start and refuses to start on an
// error: kFailedPrecondition "hub_key_revoked" if the key was revoked (remove the key file to
// make a new one), "hub_key_taken" if another agency holds it.
Result<bool> EnsureHubKeyRegistered(store::Transaction& tx, const crypto::SigningKey& hub_key,
                                    std::int64_t now_ms);

// Builds the message (sender gs, language "en", created at now_ms), signs it with `hub_key`
// and stores it through Send(), marked as a hub message. Returns Send()'s answer. Errors: those
// of Send() (e.g. kUnauthenticated "invalid_signature" when the hub key is not registered;
// kInvalidArgument "unknown_attachment" for a file `attachments_of` does not possess).
Result<Accepted> SendHubMessage(store::Transaction& tx, const DataKey& data_key,
                                const crypto::SigningKey& hub_key, const HubMessage& message,
                                std::int64_t now_ms);

}  // namespace ncbnet::messaging
