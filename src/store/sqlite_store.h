// The SQLite backend: the whole store in one database file in WAL mode, so
// that readers never wait for the writer. Commits are synchronous=FULL (the
// WAL is fsynced on every commit): with NORMAL a commit is not durable until
// the next checkpoint, which would break what Sync() promises.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "store/store.h"

namespace loom::store {

// Opens the database file at `path`, creating it (and its folder) and the
// schema if need be.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);

}  // namespace loom::store
