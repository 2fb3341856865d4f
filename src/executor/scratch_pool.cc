// ScratchPool: take, empty and reuse scratch folders.
#include "executor/scratch_pool.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

namespace loom::executor {

namespace fs = std::filesystem;

namespace {

// Removes what is inside `dir` (but the entries named in `keep`), keeping `dir` itself.
bool Empty(const std::string& dir, const std::vector<std::string>& keep = {}) {
  std::error_code error;
  for (auto it = fs::directory_iterator(dir, error); !error && it != fs::directory_iterator();
       it.increment(error)) {
    if (std::find(keep.begin(), keep.end(), it->path().filename()) != keep.end()) continue;
    fs::remove_all(it->path(), error);
    if (error) return false;
  }
  return !error;
}

}  // namespace

ScratchPool::~ScratchPool() {
  std::error_code ignored;
  if (created_ > 0) fs::remove_all(root_, ignored);
}

Result<Scratch> ScratchPool::Take() {
  if (!free_.empty()) {
    Scratch scratch = std::move(free_.back());
    free_.pop_back();
    return scratch;
  }
  std::string dir = root_ + "/" + std::to_string(created_++);
  Scratch scratch{dir, dir + "/root", dir + "/work", dir + "/tmp"};
  std::error_code error;
  for (const std::string& d : {scratch.root, scratch.work, scratch.tmp}) {
    fs::create_directories(d, error);
    if (error) return Result<Scratch>::Error("mkdir " + d + ": " + error.message());
  }
  chmod(scratch.tmp.c_str(), 01777);
  return scratch;
}

void ScratchPool::Give(Scratch scratch) {
  if (Empty(scratch.dir, {"root", "work", "tmp"}) && Empty(scratch.root) && Empty(scratch.tmp)) {
    chmod(scratch.root.c_str(), 0755);  // the step's "/" and /tmp, should it have changed them
    chmod(scratch.tmp.c_str(), 01777);
    free_.push_back(std::move(scratch));
  } else {
    std::error_code ignored;
    fs::remove_all(scratch.dir, ignored);
  }
}

}  // namespace loom::executor
