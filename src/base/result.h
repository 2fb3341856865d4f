// Errors as values at module boundaries (the LevelDB way): a Status says
// whether an operation worked and, if not, why, in words a user can act on;
// Result<T> carries either a value or such an error.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace loom {

// The outcome of an operation with no value: ok, or an error message.
class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !message_.has_value(); }
  explicit operator bool() const { return ok(); }
  // The error message; empty when ok().
  const std::string& message() const {
    static const std::string empty;
    return message_ ? *message_ : empty;
  }

 private:
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::optional<std::string> message_;
};

// Either a T or an error message. Construct from a T for success, from
// Status::Error(...) (or Result<T>::Error) for failure.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}       // NOLINT: implicit by design
  Result(Status error) : state_(std::move(error)) {}  // NOLINT: must not be ok()
  static Result Error(std::string message) { return Result(Status::Error(std::move(message))); }

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  // The error; Status::Ok() when this holds a value.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(state_); }
  const std::string& error() const { return std::get<Status>(state_).message(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace loom
