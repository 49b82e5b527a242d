// POST /v1/messages, GET /v1/mailbox, GET /v1/messages/{id}, GET /v1/messages/{id}/receipts.
// The messaging rules (addressing, signatures, idempotency, confidentiality) live in
// messaging/message_service.h; this only translates. Reading the mailbox or a message changes
// the store (delivered and read receipts), so those reads run in ctx.Write and share the
// request's audit entry.
#include <charconv>
#include <limits>

#include "access/capabilities.h"
#include "api/errors.h"
#include "api/messages_json.h"
#include "api/routes.h"
#include "messaging/message_service.h"

namespace ncbnet::api {
namespace {

constexpr std::int64_t kDefaultMailboxLimit = 100;
constexpr std::int64_t kMaxMailboxLimit = 500;

Result<std::int64_t> IntQuery(const RequestContext& ctx, const char* name, std::int64_t fallback,
                              std::int64_t lo, std::int64_t hi) {
  const auto it = ctx.query.find(name);
  if (it == ctx.query.end()) return fallback;
  const std::string& text = it->second;
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi) {
    return Status::InvalidArgument("invalid_request",
                                   std::string("'") + name + "' must be an integer in [" +
                                       std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  return v;
}

std::int64_t RetentionMillis(const HubConfig& config) {
  return std::int64_t{config.message_retention_days} * 24 * 3600 * 1000;
}

Result<HttpResponse> SendMessage(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(SendRequest request, SendRequestFromJson(ctx.body));
  ctx.audit_object = request.content.sender_agency + " " + request.content.idempotency_key;
  const messaging::Sender sender{ctx.principal->agency_id, ctx.principal->user_id};
  messaging::Accepted accepted;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        accepted, messaging::Send(tx, ctx.hub.data_key, sender, request.content, request.signature,
                                  ctx.NowMillis(), RetentionMillis(ctx.hub.config)));
    // The audit entry names the message and its recipients, never its subject or body.
    std::string object = accepted.message_id + (accepted.duplicate ? " duplicate" : "") + " to:";
    for (const std::string& r : accepted.recipients) object += " " + r;
    ctx.audit_object = std::move(object);
    return Status::Ok();
  }));
  return JsonResponse(accepted.duplicate ? 200 : 201, {{"message_id", accepted.message_id},
                                                       {"duplicate", accepted.duplicate},
                                                       {"recipients", accepted.recipients}});
}

Result<HttpResponse> FetchMailbox(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(std::int64_t after,
                          IntQuery(ctx, "after", 0, 0, std::numeric_limits<std::int64_t>::max()));
  NCBNET_ASSIGN_OR_RETURN(std::int64_t limit,
                          IntQuery(ctx, "limit", kDefaultMailboxLimit, 1, kMaxMailboxLimit));
  ctx.audit_object = ctx.agency() + " after " + std::to_string(after);
  std::vector<messaging::MailboxEvent> events;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(events,
                            messaging::FetchMailbox(tx, ctx.hub.data_key, ctx.agency(), after,
                                                    static_cast<int>(limit), ctx.NowMillis()));
    return Status::Ok();
  }));
  nlohmann::json list = nlohmann::json::array();
  std::int64_t next = after;
  for (const messaging::MailboxEvent& e : events) {
    list.push_back(MailboxEventJson(e));
    next = e.cursor;
  }
  return JsonResponse(200, {{"events", list}, {"next_cursor", next}});
}

Result<HttpResponse> GetMessage(RequestContext& ctx) {
  const std::string& id = ctx.params.at("id");
  ctx.audit_object = id;
  messaging::StoredMessage message;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        message, messaging::ReadMessage(tx, ctx.hub.data_key, ctx.agency(), id, ctx.NowMillis()));
    return Status::Ok();
  }));
  return JsonResponse(200, StoredMessageJson(message));
}

Result<HttpResponse> GetReceipts(RequestContext& ctx) {
  const std::string& id = ctx.params.at("id");
  ctx.audit_object = id;
  std::vector<messaging::Receipt> receipts;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(receipts, messaging::Receipts(tx, ctx.agency(), id));
    return Status::Ok();
  }));
  nlohmann::json list = nlohmann::json::array();
  for (const messaging::Receipt& r : receipts) list.push_back(ReceiptJson(r));
  return JsonResponse(200, {{"receipts", list}});
}

}  // namespace

void AddMessageRoutes(Router& router) {
  const std::string send(access::kMessageSend);
  router.Add({"POST", "/v1/messages", Access::kCapability, send, true, false, SendMessage});
  router.Add({"GET", "/v1/mailbox", Access::kAuthenticated, "", false, false, FetchMailbox});
  router.Add({"GET", "/v1/messages/{id}", Access::kAuthenticated, "", false, false, GetMessage});
  router.Add(
      {"GET", "/v1/messages/{id}/receipts", Access::kAuthenticated, "", false, false, GetReceipts});
}

}  // namespace ncbnet::api
