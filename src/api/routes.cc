#include "api/routes.h"

namespace ncbnet::api {

Router BuildRouter(bool public_metrics) {
  Router router;
  AddOpsRoutes(router, public_metrics);
  AddAuthRoutes(router);
  AddAgencyRoutes(router);
  // Delegation (issue 5, item 1).
  AddUserRoutes(router);
  AddCertificateRoutes(router);
  AddGrantRoutes(router);
  AddAuditRoutes(router);
  AddAuditProofRoutes(router);
  AddMessageRoutes(router);
  AddMessageSearchRoutes(router);
  AddKeyRoutes(router);
  AddCountryGroupRoutes(router);
  AddAttachmentRoutes(router);
  AddRecordRoutes(router);
  AddCheckRoutes(router);
  AddScreeningRoutes(router);
  // Frontline (issue 5).
  AddBorderCheckRoutes(router);
  // Hits (issue 4, item 7).
  AddHitRoutes(router);
  AddReplicaRoutes(router);
  // Notices and diffusions (issue 6).
  AddNoticeRoutes(router);
  AddNoticeImageRoutes(router);
  AddPublicNoticeRoutes(router);
  // Mutual legal assistance and extradition requests (issue 6, item 5).
  AddMlaRoutes(router);
  AddStatsRoutes(router);
  return router;
}

}  // namespace ncbnet::api
