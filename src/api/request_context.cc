#include "api/request_context.h"

#include <algorithm>
#include <charconv>

#include "api/audit_trail.h"
#include "api/idempotency.h"

namespace ncbnet::api {

Status RequestContext::Write(const std::function<Status(store::Transaction&)>& fn) {
  const bool reserve = idempotency.has_value() && !idempotency_reserved;
  Status s = hub.store.Write([&](store::Transaction& tx) -> Status {
    if (reserve) NCBNET_RETURN_IF_ERROR(ReserveKey(tx, *idempotency, NowMillis()));
    NCBNET_RETURN_IF_ERROR(fn(tx));
    return AppendRequestAudit(tx, *this, "ok");
  });
  if (s.ok()) {
    audited = true;
    if (reserve) idempotency_reserved = true;
  }
  return s;
}

const std::string& RequestContext::agency() const {
  static const std::string* const kNone = new std::string();
  return principal ? principal->agency_id : *kNone;
}

Status OnlyQueryParams(const RequestContext& ctx, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : ctx.query) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return Status::InvalidArgument("invalid_request",
                                     "unknown parameter '" + key.substr(0, 32) + "'");
    }
  }
  return Status::Ok();
}

Result<std::int64_t> IntQueryParam(const RequestContext& ctx, const char* name,
                                   std::int64_t fallback, std::int64_t lo, std::int64_t hi) {
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

}  // namespace ncbnet::api
