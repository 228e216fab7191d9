// Result<T> and Status: expected failures as values (STYLE.md "Errors").
// Thread-safety: plain values; safe to copy between threads.
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

namespace ucsc::core {

// Canonical error codes, as abseil's. Only `server` maps them to HTTP.
enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kUnauthenticated,
  kFailedPrecondition,
  kConflict,
  kUnavailable,
  kDeadlineExceeded,
  kResourceExhausted,
  kInternal,
};

std::string_view ErrorCodeName(ErrorCode code);

// One failure: a code, a human message and, for bad input, the JSON pointer of the field
// ("/level"). `field` is empty when the error is not about one field.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string field;

  std::string ToString() const;
};

template <class T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

inline tl::unexpected<Error> MakeError(ErrorCode code, std::string message,
                                       std::string field = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(field)});
}
inline tl::unexpected<Error> InvalidArgument(std::string message, std::string field = {}) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(message), std::move(field));
}
inline tl::unexpected<Error> NotFound(std::string message) {
  return MakeError(ErrorCode::kNotFound, std::move(message));
}
inline tl::unexpected<Error> Internal(std::string message) {
  return MakeError(ErrorCode::kInternal, std::move(message));
}
inline Status Ok() { return {}; }

}  // namespace ucsc::core

// Propagates the error of a Status/Result expression.
#define UCSC_RETURN_IF_ERROR(expr)                                  \
  do {                                                              \
    auto ucsc_status_ = (expr);                                     \
    if (!ucsc_status_) return tl::unexpected(ucsc_status_.error()); \
  } while (false)

#define UCSC_CONCAT_INNER_(a, b) a##b
#define UCSC_CONCAT_(a, b) UCSC_CONCAT_INNER_(a, b)
// Declares `lhs` from a Result expression, or returns its error.
#define UCSC_ASSIGN_OR_RETURN(lhs, expr) \
  UCSC_ASSIGN_OR_RETURN_IMPL_(UCSC_CONCAT_(ucsc_result_, __LINE__), lhs, expr)
#define UCSC_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp) return tl::unexpected(tmp.error());     \
  lhs = std::move(*tmp)
