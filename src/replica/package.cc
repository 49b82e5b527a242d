#include "replica/package.h"

#include "core/check.h"
#include "replica/internal/body.h"
#include "replica/internal/bytes.h"

namespace ncbnet::replica {
namespace {

using internal::ByteReader;
using internal::ByteWriter;

constexpr std::string_view kMagic{"NCBRPL1\0", 8};
constexpr std::uint32_t kVersion = 1;
// Prefixed to the signed bytes, so that no other signature of the key's owner can pass.
constexpr std::string_view kSignatureContext = "ncbnet-replica-package-v1\n";
constexpr std::size_t kFixedHeader = 48;

Status Malformed(const std::string& why) {
  return Status::InvalidArgument("replica_malformed", "replica package: " + why);
}

std::string SignedMessage(std::string_view bytes) {
  std::string m(kSignatureContext);
  m.append(bytes);
  return m;
}

struct Header {
  PackageKind kind = PackageKind::kSnapshot;
  std::int64_t from_seq = 0, to_seq = 0, issued_ms = 0;
  std::uint64_t body_bytes = 0;
  std::string_view network_id, replica_id;
};

Result<Header> ReadHeader(ByteReader& r) {
  std::string_view magic, reserved;
  std::uint8_t kind = 0;
  std::uint32_t version = 0;
  Header h;
  if (!r.Bytes(8, magic) || magic != kMagic) return Malformed("not a replica package");
  if (!r.U8(kind) || !r.Bytes(3, reserved) || !r.U32(version)) return Malformed("truncated");
  if (version != kVersion) return Malformed("version " + std::to_string(version) + " unknown");
  if (kind != 1 && kind != 2) return Malformed("unknown kind");
  if (reserved != std::string_view("\0\0\0", 3)) return Malformed("reserved bytes not zero");
  h.kind = static_cast<PackageKind>(kind);
  if (!r.I64(h.from_seq) || !r.I64(h.to_seq) || !r.I64(h.issued_ms) || !r.U64(h.body_bytes) ||
      !r.Short(h.network_id) || !r.Short(h.replica_id)) {
    return Malformed("truncated header");
  }
  if (h.from_seq < 0 || h.to_seq < h.from_seq) return Malformed("sequence out of order");
  if (h.kind == PackageKind::kSnapshot && h.from_seq != 0) return Malformed("snapshot from_seq");
  return h;
}

}  // namespace

std::string EncodePackage(const Package& p, const crypto::SigningKey& key) {
  NCBNET_CHECK(p.network_id.size() <= kMaxIdBytes && p.replica_id.size() <= kMaxIdBytes,
               "replica ids out of bounds");
  std::string body;
  internal::EncodeBody(p.databases, p.upserts, p.removals, body);
  std::string out;
  out.reserve(kFixedHeader + 2 + p.network_id.size() + p.replica_id.size() + body.size() + 64);
  ByteWriter w(out);
  w.Bytes(kMagic);
  w.U8(static_cast<std::uint8_t>(p.kind));
  w.Bytes(std::string_view("\0\0\0", 3));
  w.U32(kVersion);
  w.I64(p.from_seq);
  w.I64(p.to_seq);
  w.I64(p.issued_ms);
  w.U64(body.size());
  w.Short(p.network_id);
  w.Short(p.replica_id);
  w.Bytes(body);
  out.append(key.Sign(SignedMessage(out)));
  return out;
}

Result<Package> DecodePackage(std::string_view bytes, const Pins& pins) {
  if (bytes.size() > kMaxPackageBytes) return Malformed("larger than 2 GiB");
  if (bytes.size() < kFixedHeader + 2 + kSignatureBytes) return Malformed("too short");
  const std::string_view content = bytes.substr(0, bytes.size() - kSignatureBytes);
  ByteReader r(content);
  NCBNET_ASSIGN_OR_RETURN(Header h, ReadHeader(r));
  // The ids are read before the signature is checked, to say precisely what is wrong; the
  // signature binds them anyway.
  if (h.network_id != pins.network_id) {
    return Status::FailedPrecondition("replica_wrong_network",
                                      "the package was made for another network");
  }
  if (h.replica_id != pins.replica_id) {
    return Status::FailedPrecondition("replica_wrong_replica",
                                      "the package was made for another replica");
  }
  if (h.body_bytes != r.remaining()) return Malformed("body length does not match");
  if (!crypto::VerifySignature(pins.public_key, SignedMessage(content),
                               bytes.substr(content.size()))) {
    return Status::Unauthenticated("replica_bad_signature",
                                   "the package's signature does not verify");
  }
  std::string_view body_bytes;
  (void)r.Bytes(r.remaining(), body_bytes);
  NCBNET_ASSIGN_OR_RETURN(internal::Body body, internal::DecodeBody(body_bytes));
  if (h.kind == PackageKind::kSnapshot && !body.removals.empty()) {
    return Malformed("a snapshot removes nothing");
  }
  Package p;
  p.kind = h.kind;
  p.network_id = std::string(h.network_id);
  p.replica_id = std::string(h.replica_id);
  p.from_seq = h.from_seq;
  p.to_seq = h.to_seq;
  p.issued_ms = h.issued_ms;
  p.databases = std::move(body.databases);
  p.upserts = std::move(body.entries);
  p.removals = std::move(body.removals);
  return p;
}

}  // namespace ncbnet::replica
