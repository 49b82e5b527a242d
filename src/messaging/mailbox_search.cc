#include "messaging/mailbox_search.h"

#include "messaging/internal/message_rows.h"
#include "messaging/internal/terms.h"

namespace ncbnet::messaging {
namespace {

Status BadFilter(std::string_view why) {
  return Status::InvalidArgument("invalid_request", std::string(why));
}

// The caller is the sender or a recipient: the one condition every query here starts from, so
// a message the caller is not party to never reaches a result, a count or an error. A hub
// message's nominal sender is not party to it (messaging/hub_messages.h).
constexpr std::string_view kParty =
    "((m.sender_agency = ? AND m.hub = 0) OR EXISTS (SELECT 1 FROM message_recipients r"
    " WHERE r.message_id = m.id AND r.agency_id = ?))";

// Collects the WHERE clause and its parameters.
class Query {
 public:
  void Add(std::string_view clause, std::initializer_list<store::Value> params) {
    sql_ += " AND ";
    sql_ += clause;
    params_.insert(params_.end(), params);
  }
  std::string& sql() { return sql_; }
  std::vector<store::Value>& params() { return params_; }

 private:
  std::string sql_;
  std::vector<store::Value> params_;
};

Result<std::vector<std::string>> BlindQueryTerms(const DataKey& key, std::string_view q) {
  if (q.size() > kMaxQueryBytes) return BadFilter("q must be at most 1000 bytes");
  const std::vector<std::string> tokens = internal::Tokenize(q);
  if (tokens.empty()) {
    return BadFilter("q has no searchable term (words of 2 to 64 letters or digits)");
  }
  if (tokens.size() > kMaxQueryTerms) return BadFilter("q must have at most 16 terms");
  NCBNET_ASSIGN_OR_RETURN(const std::string index_key, internal::IndexKey(key));
  std::vector<std::string> terms;
  terms.reserve(tokens.size());
  for (const std::string& t : tokens) terms.push_back(internal::BlindTerm(index_key, t));
  return terms;
}

// Adds the paging condition: strictly older than `before`, which must be a message of this
// mailbox (an absent and a foreign id get the same answer).
Status AddBefore(store::Transaction& tx, std::string_view agency_id, std::string_view before,
                 Query& q) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT m.accepted_ms FROM messages m WHERE m.id = ? AND " + std::string(kParty),
                  {before, agency_id, agency_id}));
  if (!row) return BadFilter("before is not a message of this mailbox");
  const std::int64_t at = row->front().AsInt();
  q.Add("(m.accepted_ms < ? OR (m.accepted_ms = ? AND m.id < ?))", {at, at, before});
  return Status::Ok();
}

Status AddFilters(store::Transaction& tx, const DataKey& key, std::string_view me,
                  const MailboxFilter& f, Query& q) {
  if (!f.correspondent.empty()) {
    q.Add(
        "((m.sender_agency = ? AND EXISTS (SELECT 1 FROM message_recipients r"
        " WHERE r.message_id = m.id AND r.agency_id = ?)) OR (m.sender_agency = ? AND EXISTS"
        " (SELECT 1 FROM message_recipients r WHERE r.message_id = m.id AND r.agency_id = ?)))",
        {f.correspondent, me, me, f.correspondent});
  }
  if (f.from_ms) q.Add("m.accepted_ms >= ?", {*f.from_ms});
  if (f.to_ms) q.Add("m.accepted_ms < ?", {*f.to_ms});
  if (f.priority) q.Add("m.priority = ?", {PriorityName(*f.priority)});
  if (f.classification) q.Add("m.classification = ?", {ClassificationName(*f.classification)});
  if (f.unread_only) {
    q.Add(
        "EXISTS (SELECT 1 FROM message_recipients r WHERE r.message_id = m.id"
        " AND r.agency_id = ? AND r.state <> 'read')",
        {me});
  }
  if (!f.thread_id.empty()) q.Add("(m.thread_id = ? OR m.id = ?)", {f.thread_id, f.thread_id});
  if (!f.query.empty()) {
    NCBNET_ASSIGN_OR_RETURN(std::vector<std::string> terms, BlindQueryTerms(key, f.query));
    for (const std::string& term : terms) {
      q.Add("EXISTS (SELECT 1 FROM message_terms t WHERE t.message_id = m.id AND t.term = ?)",
            {term});
    }
  }
  if (!f.before.empty()) NCBNET_RETURN_IF_ERROR(AddBefore(tx, me, f.before, q));
  return Status::Ok();
}

Result<MailboxEntry> LoadEntry(store::Transaction& tx, const DataKey& key, std::string_view me,
                               std::string_view id) {
  Result<std::optional<StoredMessage>> loaded =
      internal::LoadMessage(tx, key, id, /*with_body=*/false);
  MailboxEntry entry;
  if (!loaded.ok() && loaded.status().code() == StatusCode::kDataLoss) {
    // One damaged message must not hide the rest of the caller's mailbox.
    entry.message.id = std::string(id);
    entry.damaged_reason = loaded.status().reason();
    return entry;
  }
  NCBNET_ASSIGN_OR_RETURN(std::optional<StoredMessage> message, std::move(loaded));
  if (!message) return Status::DataLoss("mailbox_corrupt", "listed message vanished");
  entry.message = *std::move(message);
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT state FROM message_recipients WHERE message_id = ? AND agency_id = ?",
                  {id, me}));
  if (row) {
    entry.my_state = internal::ParseReceiptState((*row)[0].AsText());
    if (!entry.my_state) return Status::DataLoss("message_tampered", "unknown receipt state");
  }
  return entry;
}

}  // namespace

Result<MailboxPage> SearchMailbox(store::Transaction& tx, const DataKey& key,
                                  std::string_view agency_id, const MailboxFilter& filter) {
  NCBNET_RETURN_IF_ERROR(internal::CheckDataKey(key));
  if (filter.limit < 1 || filter.limit > kMaxSearchLimit) {
    return BadFilter("limit must be 1 to 200");
  }
  if (filter.from_ms && filter.to_ms && *filter.from_ms > *filter.to_ms) {
    return BadFilter("from must not be after to");
  }
  Query q;
  q.params() = {agency_id, agency_id};
  NCBNET_RETURN_IF_ERROR(AddFilters(tx, key, agency_id, filter, q));
  // One more than asked: tells whether another page follows.
  q.params().emplace_back(filter.limit + 1);
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows,
                          tx.Query("SELECT m.id FROM messages m WHERE " + std::string(kParty) +
                                       q.sql() + " ORDER BY m.accepted_ms DESC, m.id DESC LIMIT ?",
                                   q.params()));
  MailboxPage page;
  const bool more = rows.size() > static_cast<std::size_t>(filter.limit);
  if (more) rows.pop_back();
  for (const store::Row& row : rows) {
    NCBNET_ASSIGN_OR_RETURN(MailboxEntry entry, LoadEntry(tx, key, agency_id, row[0].AsText()));
    page.entries.push_back(std::move(entry));
  }
  if (more && !page.entries.empty()) page.next_before = page.entries.back().message.id;
  return page;
}

}  // namespace ncbnet::messaging
