// One Loom server per store. A starting server takes up every unfinished
// workflow it finds in its store, so two servers on one store would each run
// the other's workflows. The lock is held for the server's life and
// released by the operating system or the database when its process dies
// (even by kill -9), so a restart never waits for a stale lease:
//   - SQLite: an flock() on the file <database>.server-lock;
//   - PostgreSQL: a session-level advisory lock, on a connection of its own.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"

namespace loom::store {

class ServerLock {
 public:
  virtual ~ServerLock() = default;  // releases the lock
};

// Takes the lock of the store at `url` (see store::Open), or says who holds it.
Result<std::unique_ptr<ServerLock>> LockForServer(const std::string& url);

}  // namespace loom::store
