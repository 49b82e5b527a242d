// What the notice and diffusion handlers share (notice_handlers.cc, notice_image_handlers.cc):
// the caller as a notices::Actor, the service's keys, and what follows a committed change.
#pragma once

#include <string_view>

#include "api/request_context.h"
#include "core/status.h"
#include "notices/notices.h"
#include "store/store.h"

namespace ncbnet::api {

// The caller's agency (kind, country) and capabilities. Errors: kPermissionDenied
// "agency_disabled" if the agency is gone or disabled.
Result<notices::Actor> NoticeActorOf(const RequestContext& ctx, store::Transaction& tx);

// The hub's data key, messaging key and index secret; kUnavailable when the hub has no
// messaging key ("hub_messages_off") or no record indexes ("records_unavailable").
Result<notices::Keys> NoticeKeysOf(const RequestContext& ctx);

// The {id} of a route of `channel` (notice: "ntc_...", diffusion: "dif_..."); another is
// kNotFound "notice_not_found", as an unknown id.
Result<std::string> NoticeIdOf(const RequestContext& ctx, std::string_view channel);

// After a committed change of `n`: the record indexes catch up (a published notice matches at
// once, a cancelled one stops at once) and the feeds of the agencies told wake up.
Status AfterNoticeChange(RequestContext& ctx, const notices::Notice& n);

}  // namespace ncbnet::api
