#include "api/http_types.h"

namespace ncbnet::api {

const std::string& HttpRequest::Header(const std::string& lower_case_name) const {
  static const std::string* const kEmpty = new std::string();
  const auto it = headers.find(lower_case_name);
  return it == headers.end() ? *kEmpty : it->second;
}

}  // namespace ncbnet::api
