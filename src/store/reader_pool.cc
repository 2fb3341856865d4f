// See reader_pool.h.
#include "store/reader_pool.h"

#include <utility>

namespace loom::store {
namespace {
// More than a few concurrent reads are rare; more idle connections would
// only hold server memory (PostgreSQL) or file descriptors (SQLite).
constexpr size_t kMaxIdle = 4;
}  // namespace

Result<std::unique_ptr<ReadConnection>> ReaderPool::Take() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<ReadConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
  }
  return open_();
}

void ReaderPool::Give(std::unique_ptr<ReadConnection> connection) {
  if (!connection->healthy()) return;
  std::lock_guard lock(mu_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(connection));
}

}  // namespace loom::store
