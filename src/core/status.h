// Status and Result<T>: how every ncbnet function reports failure. No exceptions of our own.
//
// A Status is a code from Abseil's canonical list plus a message meant for operators. The API
// layer maps each code to one HTTP status (api/errors.cc); clients see a stable machine-readable
// error code chosen by the caller, never the operator message unless it is marked public.
//
// Thread safety: values; copy freely.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace ncbnet {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kUnauthenticated,
  kResourceExhausted,
  kFailedPrecondition,
  kUnavailable,
  kDataLoss,
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  // `reason` is a stable snake_case error code for clients (e.g. "invalid_credentials");
  // `message` is human-readable text that is safe to show the client.
  Status(StatusCode code, std::string reason, std::string message)
      : code_(code), reason_(std::move(reason)), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string reason, std::string message) {
    return {StatusCode::kInvalidArgument, std::move(reason), std::move(message)};
  }
  static Status NotFound(std::string reason, std::string message) {
    return {StatusCode::kNotFound, std::move(reason), std::move(message)};
  }
  static Status AlreadyExists(std::string reason, std::string message) {
    return {StatusCode::kAlreadyExists, std::move(reason), std::move(message)};
  }
  static Status PermissionDenied(std::string reason, std::string message) {
    return {StatusCode::kPermissionDenied, std::move(reason), std::move(message)};
  }
  static Status Unauthenticated(std::string reason, std::string message) {
    return {StatusCode::kUnauthenticated, std::move(reason), std::move(message)};
  }
  static Status ResourceExhausted(std::string reason, std::string message) {
    return {StatusCode::kResourceExhausted, std::move(reason), std::move(message)};
  }
  static Status FailedPrecondition(std::string reason, std::string message) {
    return {StatusCode::kFailedPrecondition, std::move(reason), std::move(message)};
  }
  static Status Unavailable(std::string reason, std::string message) {
    return {StatusCode::kUnavailable, std::move(reason), std::move(message)};
  }
  static Status DataLoss(std::string reason, std::string message) {
    return {StatusCode::kDataLoss, std::move(reason), std::move(message)};
  }
  static Status Internal(std::string reason, std::string message) {
    return {StatusCode::kInternal, std::move(reason), std::move(message)};
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& reason() const { return reason_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string reason_;
  std::string message_;
};

// A T, or a non-OK Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : value_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (std::get<Status>(value_).ok()) std::abort();   // an OK status carries no value
  }

  bool ok() const { return std::holds_alternative<T>(value_); }
  Status status() const { return ok() ? Status() : std::get<Status>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T& value() & { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace ncbnet

#define NCBNET_STATUS_CONCAT_INNER(a, b) a##b
#define NCBNET_STATUS_CONCAT(a, b) NCBNET_STATUS_CONCAT_INNER(a, b)

// Returns the Status of `expr` from the enclosing function if it is not OK.
#define NCBNET_RETURN_IF_ERROR(expr) \
  NCBNET_RETURN_IF_ERROR_IMPL(NCBNET_STATUS_CONCAT(ncbnet_status_, __LINE__), expr)
#define NCBNET_RETURN_IF_ERROR_IMPL(tmp, expr) \
  do {                                         \
    ::ncbnet::Status tmp = (expr);             \
    if (!tmp.ok()) return tmp;                 \
  } while (false)

// `lhs = value of expr`, or returns its Status from the enclosing function.
#define NCBNET_ASSIGN_OR_RETURN(lhs, expr) \
  NCBNET_ASSIGN_OR_RETURN_IMPL(NCBNET_STATUS_CONCAT(ncbnet_result_, __LINE__), lhs, expr)
#define NCBNET_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
