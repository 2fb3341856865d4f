// The pieces of a step's private view of `/`: the host mounts it must see
// again (the overlay only covers the root filesystem), and the detached
// overlay mount itself (lowerdir=/, upper and work dirs in the step's
// folder), created by the parent with the new mount API so that the parent
// can still read the merged view after the step's namespaces are gone.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace loom::executor {

// The mount points directly below the root filesystem's mount (/proc, /sys,
// /dev, data volumes, ...), read from /proc/self/mountinfo. Binding each
// recursively into the view brings back everything mounted beneath them.
Result<std::vector<std::string>> TopLevelMounts();

// A detached overlayfs mount, owned through its file descriptor. Its merged
// view is reachable at root() (a /proc/self/fd path) for as long as it lives.
class Overlay {
 public:
  static Result<Overlay> Create(const std::string& upper_dir, const std::string& work_dir);
  Overlay(Overlay&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Overlay& operator=(Overlay&& other) noexcept;
  Overlay(const Overlay&) = delete;
  ~Overlay();

  int fd() const { return fd_; }
  std::string root() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  explicit Overlay(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace loom::executor
