// The hub's endpoints, one file per resource; BuildRouter() assembles the table
// (docs/openapi.yaml describes it for clients).
#pragma once

#include "api/router.h"

namespace ncbnet::api {

void AddOpsRoutes(Router& router, bool public_metrics);  // ops_handlers.cc
void AddAuthRoutes(Router& router);                      // auth_handlers.cc: /v1/auth/*, /v1/me
void AddAgencyRoutes(Router& router);                    // agency_handlers.cc: /v1/agencies
void AddGrantRoutes(Router& router);                     // grant_handlers.cc: /v1/grants
void AddAuditRoutes(Router& router);                     // audit_handlers.cc: /v1/audit
void AddAuditProofRoutes(Router& router);     // audit_proof_handlers.cc: tree heads, proofs
void AddMessageRoutes(Router& router);        // message_handlers.cc: /v1/messages, /v1/mailbox
void AddMessageSearchRoutes(Router& router);  // message_search_handlers.cc: GET /v1/messages
void AddKeyRoutes(Router& router);            // key_handlers.cc: /v1/keys, /v1/agencies/{id}/keys
void AddCountryGroupRoutes(Router& router);   // country_group_handlers.cc: /v1/country-groups
void AddAttachmentRoutes(Router& router);     // attachment_handlers.cc: /v1/attachments, downloads
void AddRecordRoutes(Router& router);         // record_handlers.cc: /v1/databases, /v1/records
void AddCheckRoutes(Router& router);          // check_handlers.cc: /v1/checks
void AddScreeningRoutes(Router& router);      // screening_handlers.cc: /v1/search, /v1/screening

// Hits (issue 4, item 7).
void AddBorderCheckRoutes(Router& router);  // border_check_handlers.cc: /v1/border-checks
void AddHitRoutes(Router& router);          // hit_handlers.cc: /v1/hits

// Delegation (issue 5, item 1).
void AddUserRoutes(Router& router);         // user_handlers.cc: users of an agency
void AddCertificateRoutes(Router& router);  // certificate_handlers.cc: client certificates

// The offline replica (issue 5, item 4).
void AddReplicaRoutes(Router& router);  // replica_handlers.cc, replica_uploads.cc: /v1/replicas

// Notices (issue 6).
void AddNoticeRoutes(Router& router);        // notice_handlers.cc: /v1/notices, /v1/diffusions
void AddNoticeImageRoutes(Router& router);   // notice_image_handlers.cc: images, history
void AddPublicNoticeRoutes(Router& router);  // public_notice_handlers.cc: /v1/public/notices
// Mutual legal assistance and extradition requests (issue 6, item 5).
void AddMlaRoutes(Router& router);  // mla_handlers.cc: /v1/mla-requests

// The console's dashboard (issue 15, item 4).
void AddStatsRoutes(Router& router);  // stats_handlers.cc: /v1/stats/activity

// `public_metrics`: /metrics without authentication (HubConfig::public_metrics).
Router BuildRouter(bool public_metrics);

}  // namespace ncbnet::api
