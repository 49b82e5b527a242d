#include "api/metrics.h"

#include <gtest/gtest.h>

namespace ncbnet::api {
namespace {

TEST(Metrics, CountsHitsByDatabaseAndFollowUpsBySideAndState) {
  Metrics m;
  m.AddHits("SLTD", 2);
  m.AddHits("SLTD", 1);
  m.AddHits("SMV", 1);
  m.AddFollowUp("owner", "confirmed");
  m.AddFollowUp("owner", "confirmed");
  m.AddFollowUp("checker", "action_taken");
  std::string out;
  m.Render(out);
  EXPECT_NE(out.find("# TYPE ncbnet_hits_total counter\n"), std::string::npos) << out;
  EXPECT_NE(out.find("ncbnet_hits_total{database=\"SLTD\"} 3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("ncbnet_hits_total{database=\"SMV\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("ncbnet_hit_follow_ups_total{side=\"owner\",state=\"confirmed\"} 2\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("ncbnet_hit_follow_ups_total{side=\"checker\",state=\"action_taken\"} 1\n"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace ncbnet::api
