// A thin RAII layer over the SQLite C API for the SQLite backend: a
// connection and its prepared statements, errors as Status in SQLite's
// own words. Each object is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace loom::store {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Parameters count from 1. The text must outlive the statement's use.
  void Bind(int index, std::string_view text);
  void Bind(int index, int64_t value);
  void BindNull(int index);

  // Steps once: true when a row is ready, false when the statement is done.
  Result<bool> Step();
  // Steps to the end (a statement that returns no rows).
  Status Run();
  // Makes the statement ready for its next use and clears its parameters.
  void Reset();

  int64_t Int(int column) const;
  std::string_view Text(int column) const;
  bool IsNull(int column) const;

  // Resets the statement when a use of it ends, however it ends.
  class Use {
   public:
    explicit Use(SqliteStatement& statement) : statement_(statement) {}
    ~Use() { statement_.Reset(); }
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;

   private:
    SqliteStatement& statement_;
  };

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_;
};

class SqliteDb {
 public:
  // Opens (creating if need be) the database file at `path`.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs one or more statements that take no parameters.
  Status Exec(const std::string& sql);
  Result<std::unique_ptr<SqliteStatement>> Prepare(const std::string& sql);
  // The first column of the first row of `sql` (a PRAGMA's answer).
  Result<std::string> QueryText(const std::string& sql);
  Result<int64_t> QueryInt(const std::string& sql);
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t changes() const;

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace loom::store
