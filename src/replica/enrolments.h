// The hub's register of offline replicas (issue 5, item 4): who holds one, whether it was
// revoked, how far it synced, and which offline checks it has uploaded (so that a retried
// upload never doubles a hit). Plain functions on a caller's store transaction, so the API
// layer appends its audit entry in the same transaction. Tables: migration 8.
//
// Thread safety: plain functions; a Transaction belongs to its callback.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/store.h"

namespace ncbnet::replica {

struct Enrolment {
  std::string id;  // "rpl_" + 24 hex characters
  std::string agency_id;
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> revoked_ms;
  std::int64_t last_seq = 0;
  std::optional<std::int64_t> last_sync_ms;
};

// A new replica of `agency_id`.
Result<Enrolment> Enrol(store::Transaction& tx, std::string_view agency_id, std::int64_t now_ms);

// The replica `id` if it exists; no ownership check (the caller decides who may see it).
Result<std::optional<Enrolment>> FindEnrolment(store::Transaction& tx, std::string_view id);

// Records a sync that brought the replica to `seq`.
Status MarkSynced(store::Transaction& tx, std::string_view id, std::int64_t seq,
                  std::int64_t now_ms);

// Revokes the replica: from now on the hub serves it nothing and accepts no upload from it.
// Returns false if it was already revoked.
Result<bool> Revoke(store::Transaction& tx, std::string_view id, std::int64_t now_ms);

// The hit id recorded for uploaded item `item_id` of replica `id` ("" for a log line), if the
// item was uploaded before.
Result<std::optional<std::string>> UploadedItem(store::Transaction& tx, std::string_view id,
                                                std::string_view item_id);
Status RecordUploadedItem(store::Transaction& tx, std::string_view id, std::string_view item_id,
                          std::string_view kind, std::string_view hit_id, std::int64_t now_ms);

}  // namespace ncbnet::replica
