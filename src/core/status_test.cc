#include "core/status.h"

#include <gtest/gtest.h>

namespace ncbnet {
namespace {

Result<int> Half(int v) {
  if (v % 2 != 0) return Status::InvalidArgument("odd", "value is odd");
  return v / 2;
}

Result<int> Quarter(int v) {
  NCBNET_ASSIGN_OR_RETURN(int half, Half(v));
  NCBNET_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

Status Nested(int v) {
  auto inner = [&]() -> Status {
    NCBNET_RETURN_IF_ERROR(Half(v).status());
    return Status::Ok();
  };
  NCBNET_RETURN_IF_ERROR(inner());
  return Status::Ok();
}

TEST(Status, CarriesCodeReasonAndMessage) {
  const Status s = Status::PermissionDenied("missing_capability", "requires agency.admin");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(s.reason(), "missing_capability");
  EXPECT_EQ(s.ToString(), "PERMISSION_DENIED missing_capability: requires agency.admin");
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(Result, PropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().reason(), "odd");
  EXPECT_EQ(Quarter(5).status().reason(), "odd");
}

TEST(Result, ReturnIfErrorNestsInLambdas) {
  EXPECT_TRUE(Nested(2).ok());
  EXPECT_EQ(Nested(3).reason(), "odd");
}

}  // namespace
}  // namespace ncbnet
