// The outcome of an API operation: a value, or the HTTP status and message
// the client gets instead ({"code": N, "message": "..."}, as Argo Server's
// grpc-gateway errors read).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace loom::server {

struct ApiError {
  int code = 500;
  std::string message;
};

template <typename T>
class ApiResult {
 public:
  ApiResult(T value) : state_(std::move(value)) {}         // NOLINT: implicit by design
  ApiResult(ApiError error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  const ApiError& error() const { return std::get<ApiError>(state_); }

 private:
  std::variant<T, ApiError> state_;
};

inline ApiError BadRequest(std::string message) { return {400, std::move(message)}; }
inline ApiError NotFound(std::string message) { return {404, std::move(message)}; }
inline ApiError Conflict(std::string message) { return {409, std::move(message)}; }
inline ApiError Internal(std::string message) { return {500, std::move(message)}; }

}  // namespace loom::server
