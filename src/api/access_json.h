// JSON forms of the access layer's types, as docs/openapi.yaml describes them.
#pragma once

#include <nlohmann/json.hpp>

#include "access/agencies.h"
#include "access/certificates.h"
#include "access/disabling.h"
#include "access/grants.h"
#include "access/users.h"

namespace ncbnet::api {

nlohmann::json AgencyJson(const access::Agency& agency);
nlohmann::json GrantJson(const access::Grant& grant);
nlohmann::json UserJson(const access::User& user);  // never the password hash or TOTP secret
nlohmann::json CertificateJson(const access::CertificateRecord& cert);  // without the PEM
nlohmann::json DisableSummaryJson(const access::DisableSummary& summary);

}  // namespace ncbnet::api
