// Spawner: the clone()d child runs on its own small stack, sharing the
// parent's memory until it execs (the parent is suspended meanwhile, as with
// vfork), so it may only make system calls on data prepared beforehand. It
// reports a failure by writing to that shared memory and exiting.
#include "executor/spawn.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace loom::executor {

namespace {

constexpr size_t kStackSize = 256 * 1024;

enum class Stage { kNone, kSetup, kIsolation, kChdir, kExec };

// What the child reads (plain pointers into the parent's SpawnSpec) and
// writes back on failure.
struct ChildPlan {
  char* const* argv;
  char* const* envp;
  const char* const* programs;
  size_t program_count;
  const char* cwd;
  int stdout_fd;
  int stderr_fd;
  int overlay_fd;
  const char* view_root;
  const char* const* mount_sources;
  const char* const* mount_targets;
  size_t mount_count;
  // Set by the child on failure.
  Stage stage;
  int step;  // mount index, or -1 (make private), -2 (attach overlay), -3 (chroot)
  int error;
};

// The child's code must not touch ASan's bookkeeping: it runs on a foreign
// stack and dies without returning.
#define LOOM_CHILD __attribute__((no_sanitize("address", "undefined")))

[[noreturn]] LOOM_CHILD void Fail(ChildPlan* plan, Stage stage, int step) {
  plan->error = errno;
  plan->step = step;
  plan->stage = stage;
  _exit(127);
}

LOOM_CHILD void SetUpStdio(ChildPlan* plan) {
  int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd < 0 || dup2(null_fd, 0) < 0) Fail(plan, Stage::kSetup, 0);
  if (null_fd != 0) close(null_fd);
  if (dup2(plan->stdout_fd, 1) < 0 || dup2(plan->stderr_fd, 2) < 0) Fail(plan, Stage::kSetup, 1);
}

LOOM_CHILD void EnterView(ChildPlan* plan) {
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    Fail(plan, Stage::kIsolation, -1);
  }
  if (move_mount(plan->overlay_fd, "", AT_FDCWD, plan->view_root, MOVE_MOUNT_F_EMPTY_PATH) != 0) {
    Fail(plan, Stage::kIsolation, -2);
  }
  for (size_t i = 0; i < plan->mount_count; ++i) {
    if (mount(plan->mount_sources[i], plan->mount_targets[i], nullptr, MS_BIND | MS_REC, nullptr) !=
        0) {
      Fail(plan, Stage::kIsolation, static_cast<int>(i));
    }
  }
  if (chroot(plan->view_root) != 0) Fail(plan, Stage::kIsolation, -3);
}

LOOM_CHILD int ChildMain(void* arg) {
  ChildPlan* plan = static_cast<ChildPlan*>(arg);
  // A container starts with default signal dispositions and nothing blocked.
  struct sigaction default_action;
  std::memset(&default_action, 0, sizeof default_action);
  default_action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &default_action, nullptr);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  if (setsid() < 0) Fail(plan, Stage::kSetup, 2);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  SetUpStdio(plan);
  if (plan->overlay_fd >= 0) EnterView(plan);
  if (chdir(plan->cwd) != 0) Fail(plan, Stage::kChdir, 0);
  int error = ENOENT;
  for (size_t i = 0; i < plan->program_count; ++i) {
    execve(plan->programs[i], plan->argv, plan->envp);
    if (errno != ENOENT && errno != ENOTDIR) error = errno;  // e.g. EACCES wins, as in execvp
  }
  errno = error;
  Fail(plan, Stage::kExec, 0);
}

std::vector<char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

std::string Describe(const ChildPlan& plan, const SpawnSpec& spec) {
  std::string why = std::strerror(plan.error);
  switch (plan.stage) {
    case Stage::kExec:
      return "exec \"" + spec.argv[0] + "\": " + why;
    case Stage::kChdir:
      return "working directory " + spec.cwd + ": " + why;
    case Stage::kIsolation:
      if (plan.step == -1) return "making mounts private: " + why;
      if (plan.step == -2) return "attaching the overlay: " + why;
      if (plan.step == -3) return "chroot: " + why;
      return "bind mount " + spec.mounts[static_cast<size_t>(plan.step)].source + ": " + why;
    default:
      return "setting up the process: " + why;
  }
}

}  // namespace

Spawner::Spawner()
    : stack_(mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0)) {}

Spawner::~Spawner() {
  if (stack_ != MAP_FAILED) munmap(stack_, kStackSize);
}

std::variant<Process, SpawnError> Spawner::Spawn(const SpawnSpec& spec) {
  if (stack_ == MAP_FAILED) return SpawnError{"cannot allocate a stack for the child"};
  std::vector<char*> argv = CStrings(spec.argv);
  std::vector<char*> envp = CStrings(spec.env);
  std::vector<char*> programs = CStrings(spec.programs);
  std::vector<const char*> sources, targets;
  for (const BindMount& m : spec.mounts) {
    sources.push_back(m.source.c_str());
    targets.push_back(m.target.c_str());
  }
  bool isolated = spec.overlay_fd >= 0;
  ChildPlan plan{argv.data(),
                 envp.data(),
                 programs.data(),
                 spec.programs.size(),
                 spec.cwd.c_str(),
                 spec.stdout_fd,
                 spec.stderr_fd,
                 spec.overlay_fd,
                 spec.view_root.c_str(),
                 sources.data(),
                 targets.data(),
                 spec.mounts.size(),
                 Stage::kNone,
                 0,
                 0};
  int flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
  if (isolated) flags |= CLONE_NEWNS | CLONE_NEWPID;

  // No signal handler may run in the child while it shares our memory.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid = clone(ChildMain, static_cast<char*>(stack_) + kStackSize, flags, &plan);
  int clone_error = errno;
  pthread_sigmask(SIG_SETMASK, &old, nullptr);

  if (pid < 0) {
    return SpawnError{
        std::string(isolated ? "new namespaces: " : "clone: ") + std::strerror(clone_error),
        isolated};
  }
  if (plan.stage != Stage::kNone) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return SpawnError{Describe(plan, spec), plan.stage == Stage::kIsolation};
  }
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    int error = errno;
    kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return SpawnError{std::string("pidfd_open: ") + std::strerror(error)};
  }
  return Process(pid, pidfd, isolated);
}

}  // namespace loom::executor
