#include "api/request_context.h"

#include "api/audit_trail.h"

namespace ncbnet::api {

Status RequestContext::Write(const std::function<Status(store::Transaction&)>& fn) {
  Status s = hub.store.Write([&](store::Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(fn(tx));
    return AppendRequestAudit(tx, *this, "ok");
  });
  if (s.ok()) audited = true;
  return s;
}

const std::string& RequestContext::agency() const {
  static const std::string* const kNone = new std::string();
  return principal ? principal->agency_id : *kNone;
}

}  // namespace ncbnet::api
