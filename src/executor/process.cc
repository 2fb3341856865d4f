// Process: kill and reap one step process through its pid and pidfd.
#include "executor/process.h"

#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace loom::executor {

namespace {

int ExitCode(int status) {
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

}  // namespace

Process::Process(Process&& other) noexcept
    : pid_(other.pid_),
      pidfd_(other.pidfd_),
      own_pid_namespace_(other.own_pid_namespace_),
      reaped_(other.reaped_) {
  other.pidfd_ = -1;
  other.reaped_ = true;
}

Process::~Process() {
  if (!reaped_) {
    KillTree();
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (pidfd_ >= 0) close(pidfd_);
}

void Process::KillTree() {
  if (reaped_) return;
  // The pid cannot be reused before we reap it, and neither can its process
  // group id while the group leader (this zombie or process) exists.
  syscall(SYS_pidfd_send_signal, pidfd_, SIGKILL, nullptr, 0);
  if (!own_pid_namespace_) kill(-pid_, SIGKILL);
}

std::optional<int> Process::Reap() {
  if (reaped_) return std::nullopt;
  int status = 0;
  siginfo_t info{};
  // WNOWAIT: look first, so the group can be killed while its id is still ours.
  if (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
      info.si_pid == 0) {
    return std::nullopt;
  }
  if (!own_pid_namespace_) kill(-pid_, SIGKILL);  // leftovers of the step, as a container's end
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  return ExitCode(status);
}

}  // namespace loom::executor
