// The executor of `loom server`: each step runs under a supervisor process of
// its own (supervisor.h) that outlives this executor, and this process, so a
// server killed at any moment loses no step. A server started afterwards
// adopts each step it finds in a step folder (Adopt): the recorded result if
// it has ended, the live supervisor if it has not, and if neither, a failure
// that the step's retryStrategy can handle.
//
// A step's folder is the folder of its log (StepRequest::log_path), else
// work_dir/<id>. Starting a step costs a process more than LocalExecutor
// (the supervisor's exec), which is why `loom run` does not use this.
//
// Thread safety: as Executor.
#pragma once

#include <sys/types.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "executor/executor.h"
#include "executor/local_executor.h"

namespace loom::executor {

struct SupervisedExecutorOptions {
  // The supervisor program and its first arguments; the step's folder is
  // appended (`loom __supervise`, or a test's stand-in).
  std::vector<std::string> supervisor;
  Isolation isolation = Isolation::kAuto;
  std::string work_dir;  // step folders of requests without a log_path
};

// The result of an adopted step whose supervisor is gone without a record.
inline constexpr char kLostStepMessage[] =
    "the step's process was lost while the Loom server was down";

class SupervisedExecutor : public Executor {
 public:
  explicit SupervisedExecutor(SupervisedExecutorOptions options);
  // Steps still running are left to their supervisors (a later server adopts them).
  ~SupervisedExecutor() override;

  void Start(StepRequest request) override;
  // Asks the step's supervisor (SIGTERM) to kill the step's tree.
  void Kill(const std::string& id) override;
  std::optional<TimePoint> Adopt(const StepRequest& request) override;
  std::vector<StepResult> Wait(std::chrono::milliseconds timeout) override;
  void Wake() override;
  size_t running() const override { return supervisors_.size() + finished_.size(); }

  // The folder where the step's files are kept.
  std::string StepDir(const StepRequest& request) const;

 private:
  struct Supervisor {
    std::string dir;
    pid_t pid = 0;
    int pidfd = -1;
    bool child = false;  // ours to reap (started here, not adopted)
    TimePoint handed_at;
  };

  Status Spawn(const std::string& dir, Supervisor* supervisor);
  // The live supervisor of the step in `dir`, as a pidfd; -1 if there is none.
  int FindSupervisor(const std::string& dir, pid_t* pid) const;
  bool IsSupervisorOf(pid_t pid, const std::string& dir, int pidfd) const;
  // The result its supervisor recorded, or a failure saying why there is none.
  StepResult Collect(const std::string& id, const Supervisor& supervisor,
                     const std::string& why) const;

  SupervisedExecutorOptions options_;
  int wake_fd_;
  std::unordered_map<std::string, Supervisor> supervisors_;  // by step id
  std::vector<StepResult> finished_;
};

}  // namespace loom::executor
