// Who is making a request, once authenticated: a user acting for an agency (bearer session)
// or an agency's system (client certificate). Capabilities are the agency's live grants at
// the time of the request.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace ncbnet::access {

enum class AuthMethod { kSession, kCertificate, kLocal };

struct Principal {
  std::string user_id;    // empty for a certificate
  std::string user_name;  // empty for a certificate
  std::string agency_id;
  AuthMethod method = AuthMethod::kSession;
  std::string session_token_hash;        // kSession only: identifies the session for logout
  std::int64_t session_expires_ms = 0;   // kSession only: the fixed end of the session
  std::int64_t session_idle_end_ms = 0;  // kSession only: when it ends unless used again
  std::string certificate_serial;        // kCertificate only
  std::set<std::string, std::less<>> capabilities;

  bool Has(std::string_view capability) const { return capabilities.count(capability) > 0; }
};

std::string_view AuthMethodName(AuthMethod method);

}  // namespace ncbnet::access
