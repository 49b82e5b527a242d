#include "core/time_format.h"

#include <gtest/gtest.h>

namespace ncbnet {
namespace {

TEST(TimeFormat, FormatsAndParsesMilliseconds) {
  EXPECT_EQ(FormatIsoMillis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoMillis(1'795'000'000'123), "2026-11-18T11:06:40.123Z");
  EXPECT_EQ(*ParseIsoMillis("2026-11-18T11:06:40.123Z"), 1'795'000'000'123);
  EXPECT_EQ(*ParseIsoMillis("2026-11-18T11:06:40Z"), 1'795'000'000'000);
  EXPECT_EQ(FormatIsoDate(1'795'000'000'123), "2026-11-18");
  EXPECT_EQ(FormatIsoDate(-1), "1969-12-31");
}

TEST(TimeFormat, RefusesMalformedTimes) {
  for (const char* bad :
       {"", "2026-11-18", "2026-11-18T11:06:40", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
        "2026-11-18T24:00:00Z", "2026-11-18T11:06:40+01", "2026-11-18 06:26:40Z",
        "2026-11-18T11:06:40.12Z", "２026-11-18T06:26:40Z"}) {
    const auto r = ParseIsoMillis(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().reason(), "invalid_timestamp");
  }
}

}  // namespace
}  // namespace ncbnet
