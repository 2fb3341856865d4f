// A thin RAII layer over libpq for the PostgreSQL backend: a connection,
// its prepared statements and their results, errors as Status in the
// server's words. Each object is used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

struct pg_conn;
struct pg_result;

namespace loom::store {

// A query's rows, all as text.
class PgResult {
 public:
  explicit PgResult(pg_result* result) : result_(result) {}
  ~PgResult();
  PgResult(PgResult&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  PgResult& operator=(PgResult&&) = delete;
  PgResult(const PgResult&) = delete;

  int rows() const;
  // Rows an INSERT, UPDATE or DELETE changed.
  int64_t changed() const;
  std::string_view Text(int row, int column) const;
  int64_t Int(int row, int column) const;
  bool IsNull(int row, int column) const;

 private:
  pg_result* result_;
};

// A statement parameter in text form, or SQL NULL. It points into memory
// the caller keeps alive while the statement runs.
struct PgParam {
  PgParam(const std::string& text) : data(text.c_str()) {}  // NOLINT: implicit by design
  PgParam(std::nullptr_t) {}                                // NOLINT: implicit by design
  const char* data = nullptr;
};

class PgConn {
 public:
  // Connects to the libpq connection URI `uri`.
  static Result<std::unique_ptr<PgConn>> Connect(const std::string& uri);
  ~PgConn();
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  // Runs statements that take no parameters.
  Status Exec(const std::string& sql);
  Status Prepare(const char* name, const char* sql);
  // Runs the statement prepared as `name`.
  Result<PgResult> Run(const char* name, std::initializer_list<PgParam> params);
  // Runs `sql`, whose $1, $2... are `params`.
  Result<PgResult> Query(const std::string& sql, const std::vector<PgParam>& params);
  // False once the connection is lost or left inside a transaction.
  bool healthy() const;

 private:
  explicit PgConn(pg_conn* conn) : conn_(conn) {}
  Result<PgResult> Check(pg_result* result);
  pg_conn* conn_;
};

}  // namespace loom::store
