#include "crypto/signature_memo.h"

#include <deque>
#include <mutex>
#include <string>
#include <unordered_set>

#include <sodium.h>

#include "crypto/internal/sodium.h"
#include "crypto/sign.h"

namespace ncbnet::crypto {
namespace {

constexpr std::size_t kCapacity = 4096;

class Memo {
 public:
  bool Contains(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    return known_.count(key) != 0;
  }

  void Add(std::string key) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!known_.insert(key).second) return;
    order_.push_back(std::move(key));
    if (order_.size() > kCapacity) {
      known_.erase(order_.front());
      order_.pop_front();
    }
  }

 private:
  std::mutex mu_;
  std::unordered_set<std::string> known_;  // guarded by mu_
  std::deque<std::string> order_;          // guarded by mu_; oldest first
};

Memo& TheMemo() {
  static Memo* const memo = new Memo();  // never destroyed: used until the process exits
  return *memo;
}

void HashPrefixed(crypto_generichash_state& state, std::string_view part) {
  const std::string prefix = std::to_string(part.size()) + ":";
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(prefix.data()),
                            prefix.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(part.data()),
                            part.size());
}

// BLAKE2b-256 of the length-prefixed triple, without copying the message (up to 1 MiB).
std::string KeyOf(std::string_view public_key, std::string_view message,
                  std::string_view signature) {
  internal::EnsureSodiumInitialized();
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, crypto_generichash_BYTES);
  HashPrefixed(state, public_key);
  HashPrefixed(state, message);
  HashPrefixed(state, signature);
  std::string key(crypto_generichash_BYTES, '\0');
  crypto_generichash_final(&state, reinterpret_cast<unsigned char*>(key.data()), key.size());
  return key;
}

}  // namespace

bool VerifySignatureMemo(std::string_view public_key, std::string_view message,
                         std::string_view signature) {
  std::string key = KeyOf(public_key, message, signature);
  if (TheMemo().Contains(key)) return true;
  if (!VerifySignature(public_key, message, signature)) return false;
  TheMemo().Add(std::move(key));
  return true;
}

void RememberValidSignature(std::string_view public_key, std::string_view message,
                            std::string_view signature) {
  TheMemo().Add(KeyOf(public_key, message, signature));
}

}  // namespace ncbnet::crypto
