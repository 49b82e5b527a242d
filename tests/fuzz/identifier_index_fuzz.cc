// Index files come from disk and identifiers from officers and national systems: neither may
// crash us. The bytes are loaded as an index file, and split at the first two NUL bytes into
// three fields given to every normaliser; what normalises must normalise to itself again.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "core/check.h"
#include "index/identifier_index.h"
#include "index/identifiers.h"

namespace {

using namespace ncbnet::index;

void FuzzLoad(std::string_view bytes) {
  char path[] = "/tmp/ncbnet_idx_fuzz_XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return;
  const bool written =
      ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  ::close(fd);
  if (written) {
    ncbnet::Result<IdentifierIndex> index = IdentifierIndex::LoadFrom(path);
    if (index.ok()) {
      // A loaded index answers and changes without crashing.
      (void)index->Lookup({1, 2});
      NCBNET_CHECK(index->Insert({1, 2}, 3).ok(), "insert into a loaded index");
      NCBNET_CHECK(index->Lookup({1, 2}).size() >= 1, "inserted key is found");
    }
  }
  ::unlink(path);
}

void FuzzNormalisers(std::string_view a, std::string_view b) {
  if (auto doc = NormaliseDocumentNumber(a); doc.ok()) {
    NCBNET_CHECK(*NormaliseDocumentNumber(*doc) == *doc, "document number is idempotent");
  }
  for (const bool na : {false, true}) {
    if (auto vin = NormaliseVin(a, na); vin.ok()) {
      NCBNET_CHECK(*NormaliseVin(*vin, na) == *vin, "VIN is idempotent");
    }
  }
  (void)VinCheckDigit(a);
  (void)NormalisePlate(a, b);
  if (auto gun = NormaliseFirearm(a, b); gun.ok()) {
    const std::size_t colon = gun->rfind(':');
    NCBNET_CHECK(colon != std::string::npos, "make:serial");
    NCBNET_CHECK(*NormaliseFirearm(gun->substr(0, colon), gun->substr(colon + 1)) == *gun,
                 "firearm is idempotent");
  }
  if (auto imo = NormaliseImo(a); imo.ok()) {
    NCBNET_CHECK(*NormaliseImo(*imo) == *imo, "IMO is idempotent");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  FuzzLoad(bytes);
  const std::size_t nul = bytes.find('\0');
  const std::string_view a = bytes.substr(0, nul);
  const std::string_view b = nul == std::string_view::npos ? "" : bytes.substr(nul + 1);
  FuzzNormalisers(a, b);
  FuzzNormalisers(b, a);
  return 0;
}
