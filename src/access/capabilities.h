// The capabilities a grant can give, and the default sets of the network's agencies.
//
// A capability is "<area>.<verb>" or, for database access, "<area>.<verb>:<DATABASE>"
// (record.check:SLTD). The catalogue is closed: a grant of anything else is refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ncbnet::access {

inline constexpr std::string_view kAgencyAdmin = "agency.admin";
inline constexpr std::string_view kAuditRead = "audit.read";
inline constexpr std::string_view kMessageSend = "message.send";
// Send, follow and answer mutual legal assistance and extradition requests (mla/mla.h).
inline constexpr std::string_view kMlaRequest = "mla.request";
// Read the network's live notices and the diffusions addressed to the caller's country
// (GET /v1/notices, /v1/diffusions and their items). Not needed to match a traveller against
// the NOTICES database in a check, which is record.check:NOTICES.
inline constexpr std::string_view kNoticeRead = "notice.read";
inline constexpr std::string_view kNoticeRequest = "notice.request";
inline constexpr std::string_view kNoticeReview = "notice.review";

// The databases of the network's catalogue, by code (records/catalogue_data.cc; a test keeps
// the two lists equal).
const std::vector<std::string>& DatabaseCodes();

// Whether `code` is a managed database (the catalogue's "managed": written only by a service
// of the hub, NOTICES): record.write:<code> is then no capability, so no grant can give it.
bool IsManagedDatabase(std::string_view code);

// Every capability, in a stable order.
const std::vector<std::string>& AllCapabilities();

bool IsKnownCapability(std::string_view capability);

// What the GS grants each NCB at network creation: everything but notice.review, which is
// the General Secretariat's own (record.check of every database, NOTICES included;
// record.write of every database but the managed ones, which is no capability at all).
std::vector<std::string> DefaultNcbCapabilities();

}  // namespace ncbnet::access
