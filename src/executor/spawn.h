// Starting a step's process fast: clone(CLONE_VM | CLONE_VFORK) like
// posix_spawn, with the sandbox set up by the child itself between clone and
// exec using plain system calls only (no extra exec, no allocation). Exec
// and setup failures come back to the caller as values.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "executor/process.h"

namespace loom::executor {

// A bind mount the child makes (recursively) before it changes root.
struct BindMount {
  std::string source;  // host path
  std::string target;  // host path below the view root, as seen before chroot
};

// Everything the child needs, fully prepared by the parent.
struct SpawnSpec {
  std::vector<std::string> argv;
  std::vector<std::string> env;       // NAME=value
  std::vector<std::string> programs;  // paths to try for argv[0], in PATH order
  std::string cwd;                    // after the root change
  int stdout_fd = -1;
  int stderr_fd = -1;
  // Isolation: when overlay_fd >= 0, the child gets its own mount and PID
  // namespaces, attaches this detached overlay mount at view_root, makes
  // `mounts` in order and chroots into view_root.
  int overlay_fd = -1;
  std::string view_root;
  std::vector<BindMount> mounts;
};

struct SpawnError {
  std::string message;     // e.g. `exec "exit": No such file or directory`
  bool isolation = false;  // the sandbox could not be set up (the command never ran)
};

// Owns the child's stack; reuse one Spawner for every spawn of a thread.
class Spawner {
 public:
  Spawner();
  ~Spawner();
  Spawner(const Spawner&) = delete;
  Spawner& operator=(const Spawner&) = delete;

  std::variant<Process, SpawnError> Spawn(const SpawnSpec& spec);

 private:
  void* stack_;
};

}  // namespace loom::executor
