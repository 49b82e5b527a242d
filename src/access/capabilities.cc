#include "access/capabilities.h"

#include <algorithm>

namespace ncbnet::access {

const std::vector<std::string>& DatabaseCodes() {
  static const std::vector<std::string>* const kCodes = new std::vector<std::string>{
      "SLTD", "SMV", "NOMINAL", "FIREARMS", "WOA", "SAD", "VESSELS", "NOTICES"};
  return *kCodes;
}

bool IsManagedDatabase(std::string_view code) { return code == "NOTICES"; }

const std::vector<std::string>& AllCapabilities() {
  static const std::vector<std::string>* const kAll = [] {
    auto* all = new std::vector<std::string>{std::string(kAgencyAdmin), std::string(kAuditRead),
                                             std::string(kMessageSend), std::string(kMlaRequest),
                                             std::string(kNoticeRead),  std::string(kNoticeRequest),
                                             std::string(kNoticeReview)};
    for (const std::string& db : DatabaseCodes()) {
      all->push_back("record.check:" + db);
      if (!IsManagedDatabase(db)) all->push_back("record.write:" + db);
    }
    return all;
  }();
  return *kAll;
}

bool IsKnownCapability(std::string_view capability) {
  const auto& all = AllCapabilities();
  return std::find(all.begin(), all.end(), capability) != all.end();
}

std::vector<std::string> DefaultNcbCapabilities() {
  std::vector<std::string> out;
  for (const std::string& c : AllCapabilities()) {
    if (c != kNoticeReview) out.push_back(c);
  }
  return out;
}

}  // namespace ncbnet::access
