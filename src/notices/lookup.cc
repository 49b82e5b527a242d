#include "notices/lookup.h"

#include <algorithm>
#include <set>

namespace ncbnet::notices {
namespace {

constexpr std::size_t kPerQuery = 100;  // placeholders per statement, well under any limit

// Whether a diffusion sent to `recipients` ("*" or "FRA,DEU") from `requester` reaches
// `viewer_country`.
bool Reaches(std::string_view recipients, std::string_view requester,
             std::string_view viewer_country) {
  if (recipients == "*") return true;
  if (viewer_country.empty()) return false;  // the GS is no recipient country
  if (viewer_country == requester) return true;
  std::size_t start = 0;
  while (start <= recipients.size()) {
    const std::size_t comma = std::min(recipients.find(',', start), recipients.size());
    if (recipients.substr(start, comma - start) == viewer_country) return true;
    start = comma + 1;
  }
  return false;
}

bool IsLive(std::string_view channel, std::string_view state, std::string_view recipients,
            std::string_view requester, std::string_view viewer_country) {
  if (channel == "notice") return state == "published";
  return channel == "diffusion" && state == "circulated" &&
         Reaches(recipients, requester, viewer_country);
}

}  // namespace

Result<std::map<std::string, LiveNotice>> LookupLive(
    store::Transaction& tx, const std::vector<std::string>& control_numbers,
    std::string_view viewer_country) {
  std::set<std::string> wanted;
  for (const std::string& n : control_numbers) {
    if (!n.empty()) wanted.insert(n);
  }
  std::map<std::string, LiveNotice> live;
  auto next = wanted.begin();
  while (next != wanted.end()) {
    std::string sql =
        "SELECT control_number, kind, channel, requesting_country, state, recipients FROM notices "
        "WHERE control_number IN (";
    std::vector<store::Value> params;
    for (; next != wanted.end() && params.size() < kPerQuery; ++next) {
      sql += params.empty() ? "?" : ", ?";
      params.emplace_back(*next);
    }
    sql += ")";
    NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows, tx.Query(sql, std::move(params)));
    for (const store::Row& row : rows) {
      if (!IsLive(row[2].AsText(), row[4].AsText(), row[5].AsText(), row[3].AsText(),
                  viewer_country)) {
        continue;
      }
      LiveNotice n{row[0].AsText(), row[1].AsText(), row[2].AsText(), row[3].AsText()};
      live.emplace(n.control_number, std::move(n));
    }
  }
  return live;
}

}  // namespace ncbnet::notices
