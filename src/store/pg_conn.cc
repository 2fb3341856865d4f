// See pg_conn.h.
#include "store/pg_conn.h"

#include <libpq-fe.h>

#include <charconv>

namespace loom::store {
namespace {

// libpq's messages end in a newline and may run over lines; ours are one line.
std::string OneLine(const char* message) {
  std::string line;
  for (const char* c = message; *c; ++c) {
    bool space = *c == '\n' || *c == '\t' || *c == ' ';
    if (space && (line.empty() || line.back() == ' ')) continue;
    line += space ? ' ' : *c;
  }
  if (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace

PgResult::~PgResult() { PQclear(result_); }

int PgResult::rows() const { return PQntuples(result_); }

int64_t PgResult::changed() const {
  const char* count = PQcmdTuples(result_);
  int64_t n = 0;
  std::from_chars(count, count + std::char_traits<char>::length(count), n);
  return n;
}

std::string_view PgResult::Text(int row, int column) const {
  return {PQgetvalue(result_, row, column), static_cast<size_t>(PQgetlength(result_, row, column))};
}

int64_t PgResult::Int(int row, int column) const {
  std::string_view text = Text(row, column);
  int64_t n = 0;
  std::from_chars(text.data(), text.data() + text.size(), n);
  return n;
}

bool PgResult::IsNull(int row, int column) const { return PQgetisnull(result_, row, column); }

Result<std::unique_ptr<PgConn>> PgConn::Connect(const std::string& uri) {
  // Parameters before dbname are defaults the URI may override.
  const char* keywords[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {"10", "loom", uri.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return Status::Error("out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = OneLine(PQerrorMessage(conn));
    PQfinish(conn);
    return Status::Error(message);
  }
  // The server's notices ("relation already exists, skipping") are not ours to print.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  if (PQsetClientEncoding(conn, "UTF8") != 0) {
    std::string message = OneLine(PQerrorMessage(conn));
    PQfinish(conn);
    return Status::Error(message);
  }
  return std::unique_ptr<PgConn>(new PgConn(conn));
}

PgConn::~PgConn() { PQfinish(conn_); }

Status PgConn::Exec(const std::string& sql) { return Check(PQexec(conn_, sql.c_str())).status(); }

Status PgConn::Prepare(const char* name, const char* sql) {
  return Check(PQprepare(conn_, name, sql, 0, nullptr)).status();
}

Result<PgResult> PgConn::Run(const char* name, std::initializer_list<PgParam> params) {
  std::vector<const char*> values;
  for (const PgParam& param : params) values.push_back(param.data);
  return Check(PQexecPrepared(conn_, name, static_cast<int>(values.size()), values.data(), nullptr,
                              nullptr, 0));
}

Result<PgResult> PgConn::Query(const std::string& sql, const std::vector<PgParam>& params) {
  std::vector<const char*> values;
  for (const PgParam& param : params) values.push_back(param.data);
  return Check(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                            values.data(), nullptr, nullptr, 0));
}

bool PgConn::healthy() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

Result<PgResult> PgConn::Check(pg_result* raw) {
  PgResult result(raw);
  ExecStatusType status = PQresultStatus(raw);
  if (raw != nullptr && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)) return result;
  const char* primary = raw ? PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  return Status::Error(OneLine(primary ? primary : PQerrorMessage(conn_)));
}

}  // namespace loom::store
