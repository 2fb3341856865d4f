// See sqlite_db.h.
#include "store/sqlite_db.h"

#include <sqlite3.h>

namespace loom::store {
namespace {

// How long a statement waits for another connection's lock (another
// process's writer, a checkpoint) before it fails.
constexpr int kBusyTimeoutMs = 10000;

}  // namespace

SqliteStatement::~SqliteStatement() { sqlite3_finalize(statement_); }

void SqliteStatement::Bind(int index, std::string_view text) {
  sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
}

void SqliteStatement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
}

void SqliteStatement::BindNull(int index) { sqlite3_bind_null(statement_, index); }

Result<bool> SqliteStatement::Step() {
  int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Status::Error(sqlite3_errmsg(db_));
}

Status SqliteStatement::Run() {
  while (true) {
    auto row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

void SqliteStatement::Reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

int64_t SqliteStatement::Int(int column) const { return sqlite3_column_int64(statement_, column); }

std::string_view SqliteStatement::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  if (text == nullptr) return {};
  return {text, static_cast<size_t>(sqlite3_column_bytes(statement_, column))};
}

bool SqliteStatement::IsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Status::Error(message);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  return std::unique_ptr<SqliteDb>(new SqliteDb(db));
}

SqliteDb::~SqliteDb() { sqlite3_close(db_); }

Status SqliteDb::Exec(const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK) return Status::Ok();
  std::string message = error ? error : sqlite3_errmsg(db_);
  sqlite3_free(error);
  return Status::Error(message);
}

Result<std::unique_ptr<SqliteStatement>> SqliteDb::Prepare(const std::string& sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &statement, nullptr) != SQLITE_OK) {
    return Status::Error(sqlite3_errmsg(db_));
  }
  return std::make_unique<SqliteStatement>(db_, statement);
}

Result<std::string> SqliteDb::QueryText(const std::string& sql) {
  auto statement = Prepare(sql);
  if (!statement.ok()) return statement.status();
  auto row = (*statement)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Error(sql + " returned nothing");
  return std::string((*statement)->Text(0));
}

Result<int64_t> SqliteDb::QueryInt(const std::string& sql) {
  auto statement = Prepare(sql);
  if (!statement.ok()) return statement.status();
  auto row = (*statement)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Error(sql + " returned nothing");
  return (*statement)->Int(0);
}

int64_t SqliteDb::changes() const { return sqlite3_changes64(db_); }

}  // namespace loom::store
