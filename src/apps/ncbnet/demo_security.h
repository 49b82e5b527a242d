// The demo network's security features a newcomer can see (docs/security.md): a border-police
// handheld reported lost, whose certificate the network CA revoked, so that the CRL the hub
// publishes (GET /v1/pki/crl) is not empty; the health check; and the capability that reading
// notices needs. Written straight to the store before the hub starts.
//
// Thread safety: none needed; called once, before serving.
#pragma once

#include <string>

#include "apps/ncbnet/data_dir.h"
#include "core/status.h"
#include "crypto/sign.h"
#include "store/store.h"

namespace ncbnet::apps {

// Creates the lost handheld under `parent_agency`, issues its certificate and revokes it, in one
// transaction with an audit entry.
Status SeedDemoRevokedCertificate(const DataDir& dir, store::Store& store,
                                  const crypto::SigningKey& audit_key,
                                  const std::string& parent_agency);

// The demo banner's lines about health, the CRL and reading notices.
void PrintSecurityDemo(const std::string& url, const std::string& data_dir);

// The demo banner's lines about the audit log's transparency: an NCB's accesses, offline proofs,
// a witness (docs/audit-log-format.md).
void PrintAuditDemo(const std::string& self, const std::string& url, const std::string& data_dir);

}  // namespace ncbnet::apps
