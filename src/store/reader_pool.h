// Reader connections kept open between reads, so that a read does not pay
// for connecting and concurrent readers do not queue on one connection.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "base/result.h"
#include "store/backend.h"

namespace loom::store {

class ReaderPool {
 public:
  using Opener = std::function<Result<std::unique_ptr<ReadConnection>>()>;
  explicit ReaderPool(Opener open) : open_(std::move(open)) {}

  // A connection no other thread is using: an idle one, or a new one.
  Result<std::unique_ptr<ReadConnection>> Take();
  // Returns a connection taken from Take(); kept if healthy and few are idle.
  void Give(std::unique_ptr<ReadConnection> connection);

 private:
  Opener open_;
  std::mutex mu_;
  std::vector<std::unique_ptr<ReadConnection>> idle_;
};

}  // namespace loom::store
