// Proof bundles and tree heads (audit/proof_bundles.h): `ncbnet audit verify-proof` reads them
// from files anyone may hand an auditor, and the witness reads heads and proofs from a hub it
// does not trust. Any bytes: valid or one of the documented refusals, never a crash. The
// trusted hub key is the corpus's (seed 32 bytes of 0x2a), so that the fuzzer gets past the
// signature checks with the committed inputs and mutates what follows them.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "audit/proof_bundles.h"
#include "core/check.h"
#include "core/json.h"
#include "crypto/sign.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ncbnet::audit::TrustedKeys* keys = [] {
    const auto hub = ncbnet::crypto::SigningKey::FromSeed(std::string(32, '\x2a')).value();
    const auto witness = ncbnet::crypto::SigningKey::FromSeed(std::string(32, '\x2b')).value();
    return new ncbnet::audit::TrustedKeys{{hub.public_key()}, {witness.public_key()}, 0};
  }();
  static const std::set<std::string, std::less<>> kReasons = {
      "malformed_bundle",       "unknown_key",         "head_signature_invalid",
      "quorum_not_met",         "entry_hash_mismatch", "leaf_index_mismatch",
      "inclusion_path_invalid", "wrong_order",         "consistency_path_invalid"};
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const nlohmann::json bundle = ncbnet::ParseJson(text);
  if (bundle.is_discarded()) return 0;
  for (int quorum : {0, 1}) {
    ncbnet::audit::TrustedKeys with_quorum = *keys;
    with_quorum.quorum = quorum;
    const ncbnet::Status verdict = ncbnet::audit::VerifyBundle(bundle, with_quorum);
    NCBNET_CHECK(verdict.ok() || kReasons.count(verdict.reason()) == 1,
                 "a refusal names a documented reason");
  }
  const auto head = ncbnet::audit::TreeHeadFromJson(bundle);
  NCBNET_CHECK(head.ok() || head.status().reason() == "malformed_bundle",
               "a head is read or refused as malformed");
  return 0;
}
