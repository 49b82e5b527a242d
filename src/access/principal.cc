#include "access/principal.h"

namespace ncbnet::access {

std::string_view AuthMethodName(AuthMethod method) {
  switch (method) {
    case AuthMethod::kSession:
      return "session";
    case AuthMethod::kCertificate:
      return "certificate";
    case AuthMethod::kLocal:
      return "local";
  }
  return "session";
}

}  // namespace ncbnet::access
