#include "api/routes.h"

namespace ncbnet::api {

Router BuildRouter(bool public_metrics) {
  Router router;
  AddOpsRoutes(router, public_metrics);
  AddAuthRoutes(router);
  AddAgencyRoutes(router);
  AddGrantRoutes(router);
  AddAuditRoutes(router);
  AddMessageRoutes(router);
  AddMessageSearchRoutes(router);
  AddKeyRoutes(router);
  AddCountryGroupRoutes(router);
  AddAttachmentRoutes(router);
  AddRecordRoutes(router);
  AddCheckRoutes(router);
  AddScreeningRoutes(router);
  // Hits (issue 4, item 7).
  AddHitRoutes(router);
  AddReplicaRoutes(router);
  return router;
}

}  // namespace ncbnet::api
