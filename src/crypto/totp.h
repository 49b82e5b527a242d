// Time-based one-time passwords, RFC 6238 (HMAC-SHA1, 30-second steps, 6 digits), the kind
// every authenticator app speaks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ncbnet::crypto {

constexpr int kTotpStepSeconds = 30;

// A new 20-byte secret.
std::string NewTotpSecret();

// The 6-digit code for time step `step` (unix_seconds / 30).
std::string TotpCode(std::string_view secret, std::int64_t step);

// Checks `code` against the steps around `unix_seconds` (one step either side for clock
// drift), refusing steps at or before `last_used_step` so a code cannot be replayed.
// Returns the step that matched. Compares in constant time.
std::optional<std::int64_t> VerifyTotp(std::string_view secret, std::string_view code,
                                       std::int64_t unix_seconds, std::int64_t last_used_step);

// otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER, for an authenticator app.
std::string TotpUri(std::string_view secret, std::string_view issuer, std::string_view account);

}  // namespace ncbnet::crypto
