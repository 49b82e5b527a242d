// The MLA tables (store/migrations.cc, migration 10) as Requests and Events, the sealing of
// their text, and the party rule of mla.h: shared by the module's files. Not part of the
// module's public surface.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "messaging/message.h"
#include "mla/mla.h"
#include "store/store.h"

namespace ncbnet::mla::internal {

Status NotFound();

// The columns DecodeRequest reads, in its order, for "SELECT <kRequestColumns> FROM
// mla_requests r ...".
extern const std::string_view kRequestColumns;

// A row as a Request (without history), its text opened. kDataLoss "mla_text_damaged" when
// the sealed text does not open or is not what was sealed.
Result<Request> DecodeRequest(const messaging::DataKey& key, const store::Row& row,
                              std::int64_t now_ms);

// The request's sealed text and files; a step's sealed note and files. `seq` 0 is the
// request's own content.
Result<std::string> SealJson(const messaging::DataKey& key, std::string_view id, std::int64_t seq,
                             const nlohmann::json& json);

nlohmann::json TextJson(const RequestText& text);
nlohmann::json AttachmentsJson(const std::vector<messaging::AttachmentRef>& refs);

// Whether `viewer` is a party: the requesting agency or its country's NCB (requesting side),
// the requested NCB or the assigned agency (requested side).
bool IsRequestingSide(const Request& r, const Actor& viewer);
bool IsRequestedSide(const Request& r, const Actor& viewer);

// Open (sent, received, in_progress) and past its deadline.
bool IsOverdue(State state, std::int64_t deadline_ms, std::int64_t now_ms);

// The row of request `id` (kRequestColumns) if the viewer is a party, decided on the plain
// columns before any text is opened; else NotFound().
Result<store::Row> LoadVisibleRow(store::Transaction& tx, std::string_view id, const Actor& viewer);

// The request `id` if the viewer is a party; else NotFound().
Result<Request> LoadVisible(store::Transaction& tx, const messaging::DataKey& key,
                            std::string_view id, const Actor& viewer, std::int64_t now_ms);

Result<std::vector<Event>> LoadHistory(store::Transaction& tx, const messaging::DataKey& key,
                                       std::string_view id);

// The parties' agencies that can receive a message (enabled), each once.
Result<std::vector<std::string>> Parties(store::Transaction& tx, const Request& r);

// Appends `e` (its seq the next) to the history of `r` and sends the hub message `m` about it
// to the parties, which carries `files` (possessed by `files_of`). Sets e.seq and e.message_id.
Status RecordStep(store::Transaction& tx, const Keys& keys, const Request& r, Event& e,
                  const std::vector<messaging::AttachmentRef>& files, std::string_view files_of,
                  std::int64_t now_ms);

}  // namespace ncbnet::mla::internal
