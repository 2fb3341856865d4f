// The Store that every backend shares: validation, group commit through one
// writer thread, journal folding, and loading nodes as snapshot + journal.
// The backend (backend.h) only speaks its database's SQL.
#pragma once

#include <memory>

#include "store/backend.h"
#include "store/store.h"

namespace loom::store {

// Starts the writer thread. Closing the store (destroying it) commits what
// is queued, then stops the writer.
//
// A failed commit is sticky: from then on every write and Sync() returns
// that error (reads still work), because the writes of that group are lost
// and the caller must learn it. A change the caller got wrong (UpdateHeader
// or Append of a workflow that does not exist) is dropped and reported once,
// by the next Sync().
//
// Object writes (CreateObject...) go through the same writer thread, each
// waiting for the commit of its group, so a SQLite database keeps one writer.
std::unique_ptr<Store> NewJournalStore(Backend backend);

}  // namespace loom::store
