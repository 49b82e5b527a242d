#include "messaging/hub_messages.h"

#include "access/agency_keys.h"
#include "messaging/internal/attachment_rows.h"

namespace ncbnet::messaging {

Result<bool> EnsureHubKeyRegistered(store::Transaction& tx, const crypto::SigningKey& hub_key,
                                    std::int64_t now_ms) {
  const std::string key_id = access::KeyIdFor(hub_key.public_key());
  NCBNET_ASSIGN_OR_RETURN(std::optional<access::AgencyKey> found,
                          access::FindAgencyKey(tx, key_id));
  if (!found) {
    // The GS registers its own key: `gs` is in its own branch.
    NCBNET_RETURN_IF_ERROR(access::RegisterAgencyKey(tx, kHubSenderAgency, kHubSenderAgency,
                                                     hub_key.public_key(), now_ms)
                               .status());
    return true;
  }
  if (found->agency_id != kHubSenderAgency) {
    return Status::FailedPrecondition("hub_key_taken",
                                      "the hub's messaging key is registered to another agency");
  }
  if (found->revoked_ms) {
    return Status::FailedPrecondition(
        "hub_key_revoked",
        "the hub's messaging key was revoked; remove hub-messaging.key to make a new one");
  }
  return false;
}

Result<Accepted> SendHubMessage(store::Transaction& tx, const DataKey& data_key,
                                const crypto::SigningKey& hub_key, const HubMessage& message,
                                std::int64_t now_ms) {
  SignedContent content;
  content.sender_agency = std::string(kHubSenderAgency);
  content.idempotency_key = message.idempotency_key;
  content.created_ms = now_ms;
  content.to.agencies = message.to_agencies;
  content.to.all_ncbs = message.all_ncbs;
  content.subject = message.subject;
  content.body = message.body;
  content.classification = message.classification;
  content.priority = message.priority;
  content.language = "en";
  content.links = message.links;
  content.attachments = message.attachments;
  const Signature signature{access::KeyIdFor(hub_key.public_key()),
                            hub_key.Sign(CanonicalEncoding(content))};
  // The one way messages are stored: Send() checks, seals, indexes and delivers it as any
  // other; only the hub flag, set in the same transaction, keeps its nominal sender out.
  // Files are the agency's they come from; gs possesses none of them and gains nothing here.
  const std::string_view possessor =
      message.attachments.empty() ? std::string_view(kHubSenderAgency) : message.attachments_of;
  if (possessor.empty()) {
    return Status::Internal("invalid_hub_message", "a hub message's files need their owner");
  }
  NCBNET_ASSIGN_OR_RETURN(
      Accepted accepted,
      internal::SendAttesting(tx, data_key, {content.sender_agency, ""}, content, signature, now_ms,
                              kDefaultRetentionMs, possessor));
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("UPDATE messages SET hub = 1 WHERE id = ?", {accepted.message_id}).status());
  return accepted;
}

}  // namespace ncbnet::messaging
