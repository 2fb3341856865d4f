// A running step process we own: its pid and pidfd (polled for its exit),
// killing its whole tree, and reaping exactly this child (never anyone
// else's). A Process that is destroyed while running is killed and reaped,
// so no zombie is ever left behind.
#pragma once

#include <sys/types.h>

#include <optional>

namespace loom::executor {

class Process {
 public:
  // `own_pid_namespace`: the process is init of its own PID namespace, so
  // killing it kills everything it started, daemons included.
  Process(pid_t pid, int pidfd, bool own_pid_namespace)
      : pid_(pid), pidfd_(pidfd), own_pid_namespace_(own_pid_namespace) {}
  Process(Process&& other) noexcept;
  Process& operator=(Process&&) = delete;
  Process(const Process&) = delete;
  ~Process();

  // Readable (POLLIN) once the process has exited.
  int pidfd() const { return pidfd_; }

  // SIGKILLs the whole tree: the PID namespace, or the process group.
  void KillTree();

  // Once pidfd() is readable: kills what the process left running (as a
  // container's end does), reaps it and returns its exit code (128+N for
  // signal N). nullopt if it has not exited yet.
  std::optional<int> Reap();

 private:
  pid_t pid_;
  int pidfd_;
  bool own_pid_namespace_;
  bool reaped_ = false;
};

}  // namespace loom::executor
