// POST /v1/messages, GET /v1/mailbox (with long polling), GET /v1/mailbox/stream (a WebSocket
// feed), GET /v1/messages/{id}, GET /v1/messages/{id}/receipts.
// The messaging rules (addressing, signatures, idempotency, confidentiality) live in
// messaging/message_service.h; this only translates. Reading the mailbox or a message changes
// the store (delivered and read receipts), so those reads run in ctx.Write and share the
// request's audit entry. After a commit that adds mailbox events, the handler notifies the
// agencies' mailbox topics (api/wakeups.h) so that their waiting long polls and feeds go on.
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
constexpr std::int64_t kMaxWaitSeconds = 60;

std::int64_t RetentionMillis(const HubConfig& config) {
  return std::int64_t{config.message_retention_days} * 24 * 3600 * 1000;
}

// The senders of the messages just delivered get receipt events.
void NotifySenders(Wakeups& wakeups, const std::vector<messaging::MailboxEvent>& events) {
  for (const messaging::MailboxEvent& e : events) {
    if (e.message) wakeups.Notify(MailboxTopic(e.message->content.sender_agency));
  }
}

struct MailboxPage {
  std::vector<messaging::MailboxEvent> events;
  std::int64_t next_cursor = 0;
};

// The events after `after`, marked delivered, with the request's audit entry.
Result<MailboxPage> FetchPage(RequestContext& ctx, std::int64_t after, std::int64_t limit) {
  ctx.audit_object = ctx.agency() + " after " + std::to_string(after);
  MailboxPage page;
  page.next_cursor = after;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(page.events,
                            messaging::FetchMailbox(tx, ctx.hub.data_key, ctx.agency(), after,
                                                    static_cast<int>(limit), ctx.NowMillis()));
    return Status::Ok();
  }));
  NotifySenders(ctx.hub.wakeups, page.events);
  for (const messaging::MailboxEvent& e : page.events) {
    if (!e.damaged_reason.empty()) {
      ctx.hub.metrics.ReportDamaged("message", e.message_id, e.damaged_reason);
    }
  }
  if (!page.events.empty()) page.next_cursor = page.events.back().cursor;
  return page;
}

// Whether there is anything after `after`; if not, `wait` is what to wait on. Reads the
// topic's version first, so that an event committed after the look still wakes the waiter.
Result<bool> NothingYet(RequestContext& ctx, std::int64_t after, Wait& wait) {
  wait.wakeups = &ctx.hub.wakeups;
  wait.topic = MailboxTopic(ctx.agency());
  wait.seen = ctx.hub.wakeups.Version(wait.topic);
  bool any = false;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(any, messaging::HasMailboxEvents(tx, ctx.agency(), after));
    return Status::Ok();
  }));
  return !any;
}

Result<HttpResponse> SendMessage(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(SendRequest request, SendRequestFromJson(ctx.body));
  ctx.audit_object = request.content.sender_agency + " " + request.content.idempotency_key;
  const messaging::Sender sender{ctx.principal->agency_id, ctx.principal->user_id,
                                 ctx.principal->user_name};
  // Verified here, in parallel with other requests, rather than in the serialised write; an
  // invalid signature is refused by Send() inside the write, audited there like any refusal.
  static_cast<void>(ctx.Read([&](store::Transaction& tx) {
    return messaging::PrecheckSignature(tx, request.content, request.signature);
  }));
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
  for (const std::string& r : accepted.recipients) ctx.hub.wakeups.Notify(MailboxTopic(r));
  return JsonResponse(accepted.duplicate ? 200 : 201, {{"message_id", accepted.message_id},
                                                       {"duplicate", accepted.duplicate},
                                                       {"recipients", accepted.recipients}});
}

Result<HttpResponse> FetchMailbox(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(
      std::int64_t after,
      IntQueryParam(ctx, "after", 0, 0, std::numeric_limits<std::int64_t>::max()));
  NCBNET_ASSIGN_OR_RETURN(std::int64_t limit,
                          IntQueryParam(ctx, "limit", kDefaultMailboxLimit, 1, kMaxMailboxLimit));
  NCBNET_ASSIGN_OR_RETURN(std::int64_t wait_s, IntQueryParam(ctx, "wait", 0, 0, kMaxWaitSeconds));
  // A long poll runs in the background of a console or a script: not the user's activity.
  if (wait_s > 0) ctx.user_activity = false;
  if (wait_s > 0 && !ctx.http.wait_over) {
    Wait wait;
    wait.timeout_ms = static_cast<int>(wait_s * 1000);
    NCBNET_ASSIGN_OR_RETURN(const bool nothing, NothingYet(ctx, after, wait));
    if (nothing) {
      HttpResponse waiting;
      waiting.wait = std::move(wait);
      return waiting;
    }
  }
  NCBNET_ASSIGN_OR_RETURN(MailboxPage page, FetchPage(ctx, after, limit));
  nlohmann::json list = nlohmann::json::array();
  for (const messaging::MailboxEvent& e : page.events) list.push_back(MailboxEventJson(e));
  return JsonResponse(200, {{"events", list}, {"next_cursor", page.next_cursor}});
}

// The first request (the upgrade) is always audited; later ones only when they carry events.
Result<HttpResponse> StreamMailbox(RequestContext& ctx) {
  if (!ctx.http.websocket_upgrade && !ctx.http.feed_continuation) {
    return Status::InvalidArgument("websocket_required",
                                   "this endpoint upgrades to a WebSocket; to poll over plain "
                                   "HTTP use GET /v1/mailbox?after=N&wait=S");
  }
  NCBNET_ASSIGN_OR_RETURN(
      std::int64_t after,
      IntQueryParam(ctx, "after", 0, 0, std::numeric_limits<std::int64_t>::max()));
  HttpResponse response;
  Feed& feed = response.feed.emplace();
  NCBNET_ASSIGN_OR_RETURN(const bool nothing, NothingYet(ctx, after, feed.wait));
  if (nothing) {
    if (ctx.http.websocket_upgrade) {
      ctx.audit_object = ctx.agency() + " after " + std::to_string(after);
      NCBNET_RETURN_IF_ERROR(ctx.Write([](store::Transaction&) { return Status::Ok(); }));
    }
    feed.next_target = "/v1/mailbox/stream?after=" + std::to_string(after);
    return response;
  }
  NCBNET_ASSIGN_OR_RETURN(MailboxPage page, FetchPage(ctx, after, kMaxMailboxLimit));
  for (const messaging::MailboxEvent& e : page.events) {
    feed.frames.push_back(MailboxEventJson(e).dump());
  }
  feed.more = static_cast<std::int64_t>(page.events.size()) == kMaxMailboxLimit;
  feed.next_target = "/v1/mailbox/stream?after=" + std::to_string(page.next_cursor);
  return response;
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
  if (message.content.sender_agency != ctx.agency()) {
    ctx.hub.wakeups.Notify(MailboxTopic(message.content.sender_agency));  // a read receipt
  }
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
  router.Add({.method = "POST",
              .pattern = "/v1/messages",
              .access = Access::kCapability,
              .capability = send,
              .scope = Scope::kMessages,
              .json_body = true,
              .handler = SendMessage});
  router.Add(
      {.method = "GET", .pattern = "/v1/mailbox", .scope = Scope::kOwn, .handler = FetchMailbox});
  router.Add({.method = "GET",
              .pattern = "/v1/mailbox/stream",
              .scope = Scope::kOwn,
              .user_activity = false,
              .handler = StreamMailbox});
  router.Add({.method = "GET",
              .pattern = "/v1/messages/{id}",
              .scope = Scope::kMessages,
              .handler = GetMessage});
  router.Add({.method = "GET",
              .pattern = "/v1/messages/{id}/receipts",
              .scope = Scope::kMessages,
              .handler = GetReceipts});
}

}  // namespace ncbnet::api
