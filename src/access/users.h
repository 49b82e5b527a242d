// Users: people who log in with a password (argon2id) and, where enrolled, a TOTP second
// factor. A user belongs to one agency and acts with that agency's capabilities.
// Functions work inside a caller's store transaction; password hashing is slow (~0.1 s), so
// callers hash before they open a write transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace ncbnet::access {

inline constexpr std::size_t kMinPasswordBytes = 12;
inline constexpr std::size_t kMaxPasswordBytes = 1024;

struct User {
  std::string id;
  std::string agency_id;
  std::string name;
  std::string display_name;
  std::string password_hash;
  std::optional<std::string> totp_secret;          // enrolled second factor
  std::optional<std::string> totp_pending_secret;  // enrolment awaiting confirmation
  std::int64_t totp_last_step = 0;
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> disabled_ms;
};

// Login names: 3 to 64 of [a-z0-9._-], starting with a letter or digit.
bool IsValidUserName(std::string_view name);

// Errors: kInvalidArgument "weak_password" (shorter than kMinPasswordBytes),
// "invalid_request" (longer than kMaxPasswordBytes).
Status CheckPasswordPolicy(std::string_view password);

Result<std::optional<User>> FindUserByName(store::Transaction& tx, std::string_view name);
Result<std::optional<User>> FindUserById(store::Transaction& tx, std::string_view id);

// Errors: kInvalidArgument "invalid_request" (bad name or display name), kAlreadyExists
// "user_exists".
Result<User> InsertUser(store::Transaction& tx, std::string_view agency_id, std::string_view name,
                        std::string_view display_name, std::string password_hash,
                        std::int64_t now_ms);

// The users of `agency_id`, enabled or not, oldest first.
Result<std::vector<User>> ListUsers(store::Transaction& tx, std::string_view agency_id);

Status SetPendingTotp(store::Transaction& tx, std::string_view user_id, std::string_view secret);
// Moves the pending secret to the enrolled one and records the step that confirmed it.
Status ConfirmTotp(store::Transaction& tx, std::string_view user_id, std::int64_t step);
// Records the last TOTP step used, so a code cannot be replayed.
Status SetTotpLastStep(store::Transaction& tx, std::string_view user_id, std::int64_t step);

}  // namespace ncbnet::access
