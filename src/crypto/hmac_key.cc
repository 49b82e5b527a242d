// The pad states are plain SHA256_CTX values, copied per tag. OpenSSL 3 marks the SHA256_*
// functions deprecated in favour of EVP, but an EVP context cannot be copied without an
// allocation (the provider duplicates it), which costs more than the two blocks hashed here
// (measured: 0.11 us with SHA256_CTX, 0.24 us with EVP_MD_CTX_copy_ex). They remain in
// OpenSSL 3.x, and both paths use the same SHA-extension code.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/hmac_key.h"

#include <array>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "core/check.h"

namespace ncbnet::crypto {

namespace {

constexpr std::size_t kBlockBytes = 64;  // SHA-256's block, HMAC's B

SHA256_CTX PadState(const std::array<std::uint8_t, kBlockBytes>& key_block, std::uint8_t pad) {
  std::array<std::uint8_t, kBlockBytes> padded{};
  for (std::size_t i = 0; i < kBlockBytes; ++i) padded[i] = key_block[i] ^ pad;
  SHA256_CTX ctx;
  NCBNET_CHECK(SHA256_Init(&ctx) == 1 && SHA256_Update(&ctx, padded.data(), padded.size()) == 1,
               "SHA-256 failed");
  OPENSSL_cleanse(padded.data(), padded.size());
  return ctx;
}

}  // namespace

struct HmacSha256Key::State {
  SHA256_CTX inner;  // after H(K ^ ipad)'s first block
  SHA256_CTX outer;  // after H(K ^ opad)'s first block
  ~State() { OPENSSL_cleanse(this, sizeof *this); }
};

HmacSha256Key::HmacSha256Key(std::string_view key) : state_(std::make_unique<State>()) {
  // RFC 2104: a key longer than the block is replaced by its hash; then zero-padded.
  std::array<std::uint8_t, kBlockBytes> key_block{};
  if (key.size() > kBlockBytes) {
    NCBNET_CHECK(SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                        key_block.data()) != nullptr,
                 "SHA-256 failed");
  } else {
    for (std::size_t i = 0; i < key.size(); ++i) key_block[i] = static_cast<std::uint8_t>(key[i]);
  }
  state_->inner = PadState(key_block, 0x36);
  state_->outer = PadState(key_block, 0x5c);
  OPENSSL_cleanse(key_block.data(), key_block.size());
}

HmacSha256Key::HmacSha256Key(HmacSha256Key&&) noexcept = default;
HmacSha256Key& HmacSha256Key::operator=(HmacSha256Key&&) noexcept = default;
HmacSha256Key::~HmacSha256Key() = default;

void HmacSha256Key::Tag(std::string_view data, std::span<std::uint8_t, kTagBytes> tag) const {
  NCBNET_CHECK(state_ != nullptr, "HmacSha256Key used after a move");
  std::array<std::uint8_t, kTagBytes> inner_hash{};
  SHA256_CTX ctx = state_->inner;
  bool ok = SHA256_Update(&ctx, data.data(), data.size()) == 1 &&
            SHA256_Final(inner_hash.data(), &ctx) == 1;
  ctx = state_->outer;
  ok = ok && SHA256_Update(&ctx, inner_hash.data(), inner_hash.size()) == 1 &&
       SHA256_Final(tag.data(), &ctx) == 1;
  NCBNET_CHECK(ok, "SHA-256 failed");
  // The working state holds the key's pad state: leave none of it on the stack.
  OPENSSL_cleanse(&ctx, sizeof ctx);
}

}  // namespace ncbnet::crypto
