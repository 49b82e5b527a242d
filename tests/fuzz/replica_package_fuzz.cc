// The offline replica's byte formats (docs/replica-format.md) from any bytes: as a package
// under fixed pins (refused, never a crash), and as a body, which, when it parses, must survive
// being signed, verified, applied to a local replica and looked up.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/check.h"
#include "replica/internal/body.h"
#include "replica/local_replica.h"
#include "replica/package.h"

namespace {

using ncbnet::replica::Package;

const ncbnet::crypto::SigningKey& Key() {
  static const auto* const key =
      new ncbnet::crypto::SigningKey(*ncbnet::crypto::SigningKey::FromSeed(std::string(32, 'f')));
  return *key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const ncbnet::replica::Pins pins{"net-0123456789abcdef", "rpl_1", Key().public_key()};
  (void)ncbnet::replica::DecodePackage(bytes, pins);
  auto body = ncbnet::replica::internal::DecodeBody(bytes);
  if (!body.ok()) return 0;
  Package p;
  p.kind = ncbnet::replica::PackageKind::kDelta;
  p.network_id = pins.network_id;
  p.replica_id = pins.replica_id;
  p.from_seq = 0;
  p.to_seq = 1;
  p.issued_ms = 1;
  p.databases = body->databases;
  p.upserts = body->entries;
  p.removals = body->removals;
  auto decoded = ncbnet::replica::DecodePackage(ncbnet::replica::EncodePackage(p, Key()), pins);
  NCBNET_CHECK(decoded.ok(), "a parsed body must round-trip through a signed package");
  NCBNET_CHECK(decoded->upserts == p.upserts && decoded->removals == p.removals, "round trip");
  p.kind = ncbnet::replica::PackageKind::kSnapshot;
  p.removals.clear();
  ncbnet::replica::LocalReplica local(pins, std::string(32, 'h'));
  if (local.Apply(p).ok()) (void)local.Lookup("SLTD", "FRA:AB123", 0);
  return 0;
}
