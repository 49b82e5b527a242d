#include "api/authorization.h"

#include <gtest/gtest.h>

namespace ncbnet::api {
namespace {

access::Principal Holding(std::set<std::string, std::less<>> capabilities,
                          access::AuthMethod method = access::AuthMethod::kSession,
                          std::string agency = "ncb-fra") {
  access::Principal p;
  p.agency_id = std::move(agency);
  p.method = method;
  p.capabilities = std::move(capabilities);
  return p;
}

Route Rule(std::string capability, Caller caller = Caller::kAny) {
  Route r;
  r.access = capability.empty() ? Access::kAuthenticated : Access::kCapability;
  r.capability = std::move(capability);
  r.caller = caller;
  r.scope = Scope::kRecords;
  return r;
}

std::string ReasonOf(const access::Principal& p, const Route& r, const std::string& db = "") {
  std::map<std::string, std::string> params;
  if (!db.empty()) params["db"] = db;
  const Status s = Authorize(p, r, params);
  return s.ok() ? "ok" : std::string(s.reason());
}

TEST(Authorize, AFixedCapability) {
  EXPECT_EQ(ReasonOf(Holding({"agency.admin"}), Rule("agency.admin")), "ok");
  EXPECT_EQ(ReasonOf(Holding({"audit.read"}), Rule("agency.admin")), "missing_capability");
  EXPECT_EQ(ReasonOf(Holding({}), Rule("")), "ok");
}

TEST(Authorize, TheDatabaseOfThePath) {
  const Route check = Rule("record.check:{db}");
  EXPECT_EQ(ReasonOf(Holding({"record.check:SLTD"}), check, "SLTD"), "ok");
  EXPECT_EQ(ReasonOf(Holding({"record.check:SLTD"}), check, "SMV"), "missing_capability");
  EXPECT_EQ(ReasonOf(Holding({"record.write:SLTD"}), check, "SLTD"), "missing_capability");
  EXPECT_EQ(ReasonOf(Holding({"record.check:SLTD"}), check, "NOPE"), "unknown_database");
}

TEST(Authorize, AManagedDatabaseIsWrittenByNobody) {
  const Route write = Rule("record.write:{db}");
  EXPECT_EQ(ReasonOf(Holding({"record.write:SLTD"}), write, "SLTD"), "ok");
  EXPECT_EQ(ReasonOf(Holding({"record.check:NOTICES", "record.write:NOTICES"}), write, "NOTICES"),
            "managed_database");
  // Its owners export what the notice service wrote for them with record.check.
  const Route own = Rule("record.own:{db}");
  EXPECT_EQ(ReasonOf(Holding({"record.check:NOTICES"}), own, "NOTICES"), "ok");
  EXPECT_EQ(ReasonOf(Holding({"record.check:SLTD"}), own, "SLTD"), "missing_capability");
  EXPECT_EQ(ReasonOf(Holding({"record.write:SLTD"}), own, "SLTD"), "ok");
}

TEST(Authorize, AnyDatabaseAndAlternatives) {
  const Route any = Rule("record.check:*");
  EXPECT_EQ(ReasonOf(Holding({"record.check:VESSELS"}), any), "ok");
  EXPECT_EQ(ReasonOf(Holding({"record.write:SLTD", "record.checkered"}), any),
            "missing_capability");
  const Route travellers = Rule("record.check:SLTD|record.check:NOMINAL");
  EXPECT_EQ(ReasonOf(Holding({"record.check:NOMINAL"}), travellers), "ok");
  EXPECT_EQ(ReasonOf(Holding({"record.check:SMV"}), travellers), "missing_capability");
}

TEST(Authorize, TheKindOfCaller) {
  using access::AuthMethod;
  EXPECT_EQ(ReasonOf(Holding({}, AuthMethod::kCertificate), Rule("", Caller::kSession)),
            "session_required");
  EXPECT_EQ(ReasonOf(Holding({}, AuthMethod::kSession), Rule("", Caller::kSession)), "ok");
  EXPECT_EQ(ReasonOf(Holding({"record.check:SLTD"}, AuthMethod::kSession),
                     Rule("record.check:*", Caller::kCertificate)),
            "replica_needs_certificate");
  EXPECT_EQ(ReasonOf(Holding({"agency.admin"}), Rule("agency.admin", Caller::kGs)), "gs_only");
  EXPECT_EQ(ReasonOf(Holding({"agency.admin"}, AuthMethod::kSession, "gs"),
                     Rule("agency.admin", Caller::kGs)),
            "ok");
  // The capability is judged first: whoever lacks it hears that, whatever its kind.
  EXPECT_EQ(
      ReasonOf(Holding({}, AuthMethod::kSession), Rule("record.check:*", Caller::kCertificate)),
      "missing_capability");
  EXPECT_EQ(ReasonOf(Holding({}), Rule("agency.admin", Caller::kGs)), "missing_capability");
}

}  // namespace
}  // namespace ncbnet::api
