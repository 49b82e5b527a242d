// The attachment tables (store/migrations.cc, migration 5) as seen by the rest of messaging:
// the sealing of chunks, and a message's attachment references (checked and stored by Send(),
// loaded with the message, deleted by retention). Not part of the module's public surface.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "messaging/message.h"
#include "messaging/message_service.h"
#include "store/store.h"

namespace ncbnet::messaging::internal {

// The attachment key: crypto::DeriveSubkey(data key, "ncbn-att", 2, 32).
Result<std::string> AttachmentKey(const DataKey& key);

// Associated data of chunk `index` of an upload ("upload", id) or a blob ("blob", sha256).
std::string ChunkAd(std::string_view kind, std::string_view owner, std::int64_t index);

// Each reference must name a completed blob that `sender_agency` possesses, with the same size;
// else kInvalidArgument "unknown_attachment" naming its index (never whether the blob exists).
Status CheckAttachmentRefs(store::Transaction& tx, std::string_view sender_agency,
                           const std::vector<AttachmentRef>& refs);

// Send() with the attachments' possession proved by `possessor` instead of the sender: the
// hub's own messages (hub_messages.h) carry files that an agency uploaded.
Result<Accepted> SendAttesting(store::Transaction& tx, const DataKey& key, const Sender& sender,
                               const SignedContent& content, const Signature& signature,
                               std::int64_t now_ms, std::int64_t retention_ms,
                               std::string_view possessor);

// message_attachments rows for message `id`, in order.
Status InsertAttachmentRefs(store::Transaction& tx, std::string_view id,
                            const std::vector<AttachmentRef>& refs);
Result<std::vector<AttachmentRef>> LoadAttachmentRefs(store::Transaction& tx, std::string_view id);

}  // namespace ncbnet::messaging::internal
