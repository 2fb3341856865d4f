// The PostgreSQL backend: the store's schema (backend.h) in a shared
// server, JSON columns as jsonb, reached through libpq. Commits are as
// durable as the server makes them (synchronous_commit, on by default).
// The tables go to the first schema of the connection's search_path, so
// `?options=-csearch_path%3Dloom` in the URL keeps them apart from others'.
// One Loom process writes a given workflow at a time.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "store/store.h"

namespace loom::store {

// Connects to the libpq URI `uri` (postgres://...), creating the tables if
// they are missing.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri);

}  // namespace loom::store
