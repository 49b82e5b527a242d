#include "access/users.h"

#include "crypto/random.h"

namespace ncbnet::access {
namespace {

constexpr std::string_view kUserColumns =
    "id, agency_id, name, display_name, password_hash, totp_secret, totp_pending_secret, "
    "totp_last_step, created_ms, disabled_ms";

User UserFromRow(const store::Row& row) {
  User u;
  u.id = row[0].AsText();
  u.agency_id = row[1].AsText();
  u.name = row[2].AsText();
  u.display_name = row[3].AsText();
  u.password_hash = row[4].AsText();
  u.totp_secret = row[5].AsOptionalText();
  u.totp_pending_secret = row[6].AsOptionalText();
  u.totp_last_step = row[7].AsInt();
  u.created_ms = row[8].AsInt();
  u.disabled_ms = row[9].AsOptionalInt();
  return u;
}

Result<std::optional<User>> FindUserBy(store::Transaction& tx, std::string_view column,
                                       std::string_view value) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne("SELECT " + std::string(kUserColumns) + " FROM users WHERE " +
                                          std::string(column) + " = ?",
                                      {value}));
  if (!row) return std::optional<User>();
  return std::optional<User>(UserFromRow(*row));
}

}  // namespace

bool IsValidUserName(std::string_view name) {
  if (name.size() < 3 || name.size() > 64) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

Status CheckPasswordPolicy(std::string_view password) {
  if (password.size() < kMinPasswordBytes) {
    return Status::InvalidArgument("weak_password", "a password needs at least 12 characters");
  }
  if (password.size() > kMaxPasswordBytes) {
    return Status::InvalidArgument("invalid_request", "password longer than 1024 bytes");
  }
  return Status::Ok();
}

Result<std::optional<User>> FindUserByName(store::Transaction& tx, std::string_view name) {
  return FindUserBy(tx, "name", name);
}

Result<std::optional<User>> FindUserById(store::Transaction& tx, std::string_view id) {
  return FindUserBy(tx, "id", id);
}

Result<User> InsertUser(store::Transaction& tx, std::string_view agency_id, std::string_view name,
                        std::string_view display_name, std::string password_hash,
                        std::int64_t now_ms) {
  if (!IsValidUserName(name)) {
    return Status::InvalidArgument("invalid_request",
                                   "name must be 3-64 characters of a-z 0-9 . _ -");
  }
  if (display_name.empty() || display_name.size() > 200) {
    return Status::InvalidArgument("invalid_request", "display_name must be 1 to 200 bytes");
  }
  User u;
  u.id = crypto::NewId("usr");
  u.agency_id = std::string(agency_id);
  u.name = std::string(name);
  u.display_name = std::string(display_name);
  u.password_hash = std::move(password_hash);
  u.created_ms = now_ms;
  auto r = tx.Exec(
      "INSERT INTO users (id, agency_id, name, display_name, password_hash, created_ms) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {u.id, u.agency_id, u.name, u.display_name, u.password_hash, u.created_ms});
  if (!r.ok() && r.status().code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("user_exists", "a user with that name exists");
  }
  NCBNET_RETURN_IF_ERROR(r.status());
  return u;
}

Result<std::vector<User>> ListUsers(store::Transaction& tx, std::string_view agency_id) {
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows,
                          tx.Query("SELECT " + std::string(kUserColumns) +
                                       " FROM users WHERE agency_id = ? ORDER BY created_ms, id",
                                   {agency_id}));
  std::vector<User> out;
  out.reserve(rows.size());
  for (const store::Row& row : rows) out.push_back(UserFromRow(row));
  return out;
}

Status SetPendingTotp(store::Transaction& tx, std::string_view user_id, std::string_view secret) {
  return tx
      .Exec("UPDATE users SET totp_pending_secret = ? WHERE id = ?",
            {store::Blob{std::string(secret)}, user_id})
      .status();
}

Status ConfirmTotp(store::Transaction& tx, std::string_view user_id, std::int64_t step) {
  return tx
      .Exec(
          "UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, "
          "totp_last_step = ? WHERE id = ? AND totp_pending_secret IS NOT NULL",
          {step, user_id})
      .status();
}

Status SetTotpLastStep(store::Transaction& tx, std::string_view user_id, std::int64_t step) {
  return tx.Exec("UPDATE users SET totp_last_step = ? WHERE id = ?", {step, user_id}).status();
}

}  // namespace ncbnet::access
