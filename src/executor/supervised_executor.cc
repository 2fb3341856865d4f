// SupervisedExecutor: spawns supervisors (posix_spawn, in a session of their
// own, with no inherited descriptors), polls their pidfds, reads the results
// they record, and finds the live supervisor of a step folder after a restart.
#include "executor/supervised_executor.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "executor/step_record.h"

extern char** environ;

namespace loom::executor {

namespace fs = std::filesystem;

namespace {

int PidfdOpen(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

bool Exited(int pidfd) {
  pollfd fd{pidfd, POLLIN, 0};
  return poll(&fd, 1, 0) > 0;
}

// /proc/PID/cmdline as its arguments ("" for a zombie or a process gone).
std::vector<std::string> CommandLine(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline");
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::string> args;
  std::string all = text.str();
  size_t start = 0;
  while (start < all.size()) {
    size_t end = all.find('\0', start);
    if (end == std::string::npos) end = all.size();
    args.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  return args;
}

StepResult Failed(const std::string& id, const std::string& message, TimePoint started_at) {
  StepResult result;
  result.id = id;
  result.started = true;  // it may have run: a failure its retryStrategy handles
  result.exit_code = -1;
  result.message = message;
  result.started_at = started_at;
  result.finished_at = Clock::now();
  return result;
}

}  // namespace

SupervisedExecutor::SupervisedExecutor(SupervisedExecutorOptions options)
    : options_(std::move(options)), wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

SupervisedExecutor::~SupervisedExecutor() {
  for (auto& [id, supervisor] : supervisors_) close(supervisor.pidfd);
  if (wake_fd_ >= 0) close(wake_fd_);
}

std::string SupervisedExecutor::StepDir(const StepRequest& request) const {
  if (request.log_path.empty()) return options_.work_dir + "/" + request.id;
  return fs::path(request.log_path).parent_path().string();
}

void SupervisedExecutor::Start(StepRequest request) {
  std::string id = request.id;
  std::string dir = StepDir(request);
  if (request.log_path.empty()) request.log_path = dir + "/log";
  std::error_code error;
  fs::create_directories(dir, error);
  Status s = error ? Status::Error("mkdir " + dir + ": " + error.message()) : Status::Ok();
  StepRecord record{std::move(request), options_.isolation, Clock::now()};
  if (s.ok()) s = WriteStepRecord(dir, record);
  Supervisor supervisor;
  if (s.ok()) s = Spawn(dir, &supervisor);
  supervisor.handed_at = record.handed_at;
  if (!s.ok()) {
    StepResult result;
    result.id = id;
    result.message = s.message();
    result.started_at = result.finished_at = Clock::now();
    finished_.push_back(std::move(result));
    return;
  }
  supervisors_[id] = std::move(supervisor);
}

Status SupervisedExecutor::Spawn(const std::string& dir, Supervisor* supervisor) {
  std::vector<std::string> args = options_.supervisor;
  args.push_back(dir);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&files, 1, 2);
  // The server's sockets must not live on in a supervisor (a restarted
  // server could not listen again).
  posix_spawn_file_actions_addclosefrom_np(&files, 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t blocked, defaults;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGTERM);  // until the supervisor's handler is in place
  sigemptyset(&defaults);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&attr, &blocked);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, argv[0], &files, &attr, argv.data(), environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&files);
  if (spawned != 0) {
    return Status::Error("cannot start the step's supervisor " + args[0] + ": " +
                         std::strerror(spawned));
  }
  // Our unreaped child: its pid cannot be reused, so this pidfd is its.
  int pidfd = PidfdOpen(pid);
  if (pidfd < 0) {
    Status s = Status::Error(std::string("pidfd_open: ") + std::strerror(errno));
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return s;
  }
  WriteSupervisorPid(dir, pid);  // without it, adoption looks through /proc
  supervisor->dir = dir;
  supervisor->pid = pid;
  supervisor->pidfd = pidfd;
  supervisor->child = true;
  return Status::Ok();
}

void SupervisedExecutor::Kill(const std::string& id) {
  auto it = supervisors_.find(id);
  if (it == supervisors_.end()) return;
  syscall(SYS_pidfd_send_signal, it->second.pidfd, SIGTERM, nullptr, 0);
}

bool SupervisedExecutor::IsSupervisorOf(pid_t pid, const std::string& dir, int pidfd) const {
  std::vector<std::string> args = CommandLine(pid);
  // A process still in execve has no command line yet (a vfork parent resumes
  // before the new one is set up); a zombie has none any more.
  for (int tries = 0; args.empty() && tries < 200 && !Exited(pidfd); ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    args = CommandLine(pid);
  }
  const std::vector<std::string>& ours = options_.supervisor;
  if (args.size() != ours.size() + 1 || args.back() != dir) return false;
  // The program by name: the path it was started by may have been spelt otherwise.
  if (fs::path(args[0]).filename() != fs::path(ours[0]).filename()) return false;
  return std::equal(ours.begin() + 1, ours.end(), args.begin() + 1);
}

int SupervisedExecutor::FindSupervisor(const std::string& dir, pid_t* pid) const {
  std::vector<pid_t> candidates;
  if (auto recorded = ReadSupervisorPid(dir)) {
    candidates.push_back(*recorded);
  } else if (DIR* proc = opendir("/proc")) {
    // Started, but the server died before it wrote the pid down.
    while (dirent* e = readdir(proc)) {
      if (e->d_name[0] >= '1' && e->d_name[0] <= '9') candidates.push_back(std::atoi(e->d_name));
    }
    closedir(proc);
  }
  for (pid_t candidate : candidates) {
    // Open first, then check: the pidfd pins the process the check looked at.
    int pidfd = PidfdOpen(candidate);
    if (pidfd < 0) continue;
    if (IsSupervisorOf(candidate, dir, pidfd) && !Exited(pidfd)) {
      *pid = candidate;
      return pidfd;
    }
    close(pidfd);
  }
  return -1;
}

std::optional<TimePoint> SupervisedExecutor::Adopt(const StepRequest& request) {
  std::string dir = StepDir(request);
  auto record = ReadStepRecord(dir);
  // No record, or one of another step that had this folder (an earlier run).
  if (!record.ok() || record->request.id != request.id) return std::nullopt;
  Supervisor supervisor;
  supervisor.dir = dir;
  supervisor.handed_at = record->handed_at;
  supervisor.pidfd = FindSupervisor(dir, &supervisor.pid);
  if (supervisor.pidfd >= 0) {
    supervisors_[request.id] = std::move(supervisor);
  } else {
    // Gone: it recorded the end (it writes the result before it exits), or it was lost.
    finished_.push_back(Collect(request.id, supervisor, kLostStepMessage));
  }
  return record->handed_at;
}

StepResult SupervisedExecutor::Collect(const std::string& id, const Supervisor& supervisor,
                                       const std::string& why) const {
  std::optional<StepResult> result = ReadStepResult(supervisor.dir);
  if (!result || result->id != id) return Failed(id, why, supervisor.handed_at);
  return std::move(*result);
}

void SupervisedExecutor::Wake() {
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
}

std::vector<StepResult> SupervisedExecutor::Wait(std::chrono::milliseconds timeout) {
  if (finished_.empty()) {
    std::vector<pollfd> fds{pollfd{wake_fd_, POLLIN, 0}};
    std::vector<std::string> ids;
    for (const auto& [id, supervisor] : supervisors_) {
      fds.push_back(pollfd{supervisor.pidfd, POLLIN, 0});
      ids.push_back(id);
    }
    int ready = poll(fds.data(), fds.size(), static_cast<int>(timeout.count()));
    for (size_t i = 0; ready > 0 && i < fds.size(); ++i) {
      if (!fds[i].revents) continue;
      if (i == 0) {
        uint64_t count;
        [[maybe_unused]] ssize_t n = read(wake_fd_, &count, sizeof count);
        continue;
      }
      auto it = supervisors_.find(ids[i - 1]);
      Supervisor& supervisor = it->second;
      if (supervisor.child) {
        while (waitpid(supervisor.pid, nullptr, 0) < 0 && errno == EINTR) {
        }
      }
      close(supervisor.pidfd);
      finished_.push_back(
          Collect(it->first, supervisor, "the step's supervisor ended without its result"));
      supervisors_.erase(it);
    }
  }
  std::vector<StepResult> out;
  out.swap(finished_);
  return out;
}

}  // namespace loom::executor
