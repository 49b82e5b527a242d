#include "records/internal/version_mac.h"

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/kdf.h"

namespace ncbnet::records::internal {
namespace {

void Field(std::string& out, std::string_view bytes) {
  out += std::to_string(bytes.size());
  out += ':';
  out += bytes;
  out += '\n';
}

void Field(std::string& out, std::int64_t n) { Field(out, std::to_string(n)); }

}  // namespace

std::string VersionMac(std::string_view mac_key, const VersionColumns& v) {
  std::string out = "ncbnet-record-version-v1\n";
  for (std::string_view s : {v.id, v.database, v.owner_agency, v.owner_country, v.external_id}) {
    Field(out, s);
  }
  Field(out, v.created_ms);
  Field(out, v.version);
  for (std::string_view s : {v.status, v.visibility, v.countries}) Field(out, s);
  Field(out, v.frontline);
  Field(out, v.action);
  Field(out, v.fields);
  Field(out, v.updated_ms);
  Field(out, v.review_ms);
  for (std::string_view s : {v.changed_by_agency, v.changed_by_user, v.cancel_reason, v.keys}) {
    Field(out, s);
  }
  return crypto::HexEncode(crypto::HmacSha256(mac_key, out));
}

bool VersionMacValid(std::string_view mac_key, const VersionColumns& v, std::string_view stored) {
  const std::string expected = VersionMac(mac_key, v);
  return expected.size() == stored.size() && crypto::ConstantTimeEquals(expected, stored);
}

}  // namespace ncbnet::records::internal
