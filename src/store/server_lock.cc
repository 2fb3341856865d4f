// The server lock: flock() beside a SQLite database, an advisory lock in
// PostgreSQL. Both descriptors are close-on-exec, so the step supervisors a
// server starts (which outlive it) never hold the lock.
#include "store/server_lock.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/url.h"

namespace loom::store {

namespace {

// The lock is (this constant, the store's schema): any constant will do as
// long as no other tool on the database uses it, and stores kept in
// different schemas of one database are different stores.
constexpr char kAdvisoryKey[] = "730572908";

class FileLock : public ServerLock {
 public:
  explicit FileLock(int fd) : fd_(fd) {}
  ~FileLock() override { close(fd_); }  // closing releases the flock

 private:
  int fd_;
};

class AdvisoryLock : public ServerLock {
 public:
  explicit AdvisoryLock(PGconn* conn) : conn_(conn) {}
  ~AdvisoryLock() override { PQfinish(conn_); }  // the session's end releases the lock

 private:
  PGconn* conn_;
};

Result<std::unique_ptr<ServerLock>> LockFile(const std::string& database) {
  std::string path = database + ".server-lock";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Error("cannot open " + path + ": " + std::strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char pid[32] = {};
    ssize_t n = pread(fd, pid, sizeof(pid) - 1, 0);
    close(fd);
    std::string holder = n > 0 ? " (pid " + std::string(pid, static_cast<size_t>(n)) + ")" : "";
    return Status::Error("another Loom server" + holder + " is using the store " + database +
                         " (it holds " + path + "); one server per store");
  }
  std::string self = std::to_string(getpid());
  if (ftruncate(fd, 0) != 0 || pwrite(fd, self.data(), self.size(), 0) < 0) {
    close(fd);
    return Status::Error("cannot write " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<ServerLock>(new FileLock(fd));
}

Result<std::unique_ptr<ServerLock>> LockDatabase(const std::string& uri) {
  PGconn* conn = PQconnectdb(uri.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = RedactPassword(PQerrorMessage(conn), uri);
    PQfinish(conn);
    return Status::Error("cannot connect to " + RedactUrl(uri) + ": " + message);
  }
  int socket = PQsocket(conn);
  if (socket >= 0) fcntl(socket, F_SETFD, fcntl(socket, F_GETFD) | FD_CLOEXEC);
  std::string sql =
      std::string("SELECT pg_try_advisory_lock(") + kAdvisoryKey + ", hashtext(current_schema()))";
  PGresult* result = PQexec(conn, sql.c_str());
  if (PQresultStatus(result) != PGRES_TUPLES_OK) {
    std::string message = PQresultErrorMessage(result);
    PQclear(result);
    PQfinish(conn);
    return Status::Error("cannot lock the store " + RedactUrl(uri) + ": " + message);
  }
  bool locked = std::string(PQgetvalue(result, 0, 0)) == "t";
  PQclear(result);
  if (!locked) {
    PQfinish(conn);
    return Status::Error("another Loom server is using the store " + RedactUrl(uri) +
                         " (it holds the store's advisory lock); one server per store");
  }
  return std::unique_ptr<ServerLock>(new AdvisoryLock(conn));
}

}  // namespace

Result<std::unique_ptr<ServerLock>> LockForServer(const std::string& url) {
  auto parsed = ParseStoreUrl(url);
  if (!parsed.ok()) return parsed.status();
  if (parsed->kind == StoreUrl::Kind::kSqlite) return LockFile(parsed->target);
  return LockDatabase(parsed->target);
}

}  // namespace loom::store
