// The local executor: runs each step as a supervised process tree on this
// machine, by default in a private, writable overlay view of `/` with its own
// /tmp, mount and PID namespaces (see sandbox.h), its output streamed to a
// log file, and its outputs collected from that view when it exits.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "executor/executor.h"
#include "executor/scratch_pool.h"
#include "executor/spawn.h"

namespace loom::executor {

enum class Isolation {
  kAuto,     // isolate when possible; else warn once and share the host filesystem
  kOverlay,  // isolation required: steps that cannot get it fail
  kNone,     // run on the host (cwd: the working dir, else a scratch folder of its own)
};

struct LocalExecutorOptions {
  std::string work_dir;  // logs in work_dir/<step id>/log; scratch folders in work_dir/.scratch
  Isolation isolation = Isolation::kAuto;
  // Complete lines of output as they arrive (for --log); may be empty.
  std::function<void(const std::string& node_name, const std::string& line, bool is_stderr)>
      on_log_line;
};

class LocalExecutor : public Executor {
 public:
  explicit LocalExecutor(LocalExecutorOptions options);
  ~LocalExecutor() override;  // kills and reaps steps still running

  void Start(StepRequest request) override;
  void Kill(const std::string& id) override;
  std::vector<StepResult> Wait(std::chrono::milliseconds timeout) override;
  void Wake() override;
  size_t running() const override { return steps_.size() + finished_.size(); }

  // Host path of the step's combined stdout+stderr log, made when the step
  // first writes output (a step that prints nothing leaves no file), unless
  // its request named another (StepRequest::log_path).
  std::string LogPath(const std::string& id) const;

 private:
  struct Step;

  Status Launch(Step* step);
  Status PrepareIsolated(Step* step, SpawnSpec* spec);
  Status PrepareHost(Step* step, SpawnSpec* spec);
  // Whether steps get isolation; probes it once (kAuto, kOverlay).
  bool Isolated();
  Status ProbeIsolation();
  void Finish(Step* step, int exit_code);
  // Drops the step's overlay and hands its scratch folders back.
  void Clean(Step* step);
  void KillExpired();
  std::optional<std::chrono::milliseconds> UntilNextDeadline() const;

  LocalExecutorOptions options_;
  std::string view_root_;  // the (empty) folder each step's view is mounted on, in its namespace
  std::optional<Status> isolation_;  // the probe's outcome, once probed
  std::vector<std::string> host_mounts_;
  ScratchPool scratch_;  // before steps_: outlives every step's overlay
  Spawner spawner_;
  int wake_fd_;
  std::unordered_map<std::string, std::unique_ptr<Step>> steps_;
  std::vector<StepResult> finished_;
};

}  // namespace loom::executor
