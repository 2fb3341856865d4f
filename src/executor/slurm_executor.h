// The Slurm executor: each step becomes one Slurm batch job (slurm_job.h
// says how requests map to sbatch options) that runs `loom __supervise
// STEP_DIR` on whichever node Slurm picks. The supervisor runs the step
// there exactly as `loom run` runs one here (same isolation, inputs placed,
// outputs collected) and records its result in STEP_DIR (step_record.h).
// So STEP_DIR, the artifact repository and the `loom` binary must be on a
// filesystem every node shares, as they are at Slurm sites.
//
// Status comes from Slurm itself: one `squeue --json` per poll interval for
// all of this executor's jobs (never one call per job), and between polls a
// look for the result files of jobs Slurm last said had started (of every
// job, while there are few: short steps then end without waiting a poll). A job that
// ends without a result (a node that died, a time limit, a cancel, a job
// Slurm will never start) gives a failure that says so in Slurm's words,
// and the step's retryStrategy decides what runs again: jobs are submitted
// with --no-requeue, so Slurm never reruns a step behind Loom's back.
//
// Start() and Kill() never block: a worker thread of this executor runs
// sbatch, squeue and scancel.
//
// Thread safety: as Executor.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "executor/executor.h"
#include "executor/local_executor.h"
#include "executor/slurm_job.h"

namespace loom::executor {

struct SlurmExecutorOptions {
  // The supervisor program and its first arguments (`loom __supervise`);
  // the step folder is appended. Runs on the Slurm node.
  std::vector<std::string> supervisor;
  Isolation isolation = Isolation::kAuto;          // how the supervisor runs the step
  std::string work_dir;                            // step folders: work_dir/<step id>
  std::vector<std::string> sbatch_options;         // added to every job's sbatch
  std::chrono::milliseconds poll_interval{1000};   // between squeue calls
  std::chrono::milliseconds result_interval{100};  // between looks for result files
  // Up to this many jobs, every job's result file is looked for each
  // result_interval; beyond it, only those of jobs squeue saw start (a
  // shared filesystem pays for every look).
  size_t max_result_looks = 256;
  // How long a job Slurm reports COMPLETED may take to show its result
  // (shared filesystems cache) before the step counts as lost.
  std::chrono::milliseconds result_grace{10000};
  std::string sbatch = "sbatch", squeue = "squeue", scancel = "scancel";
};

class SlurmExecutor : public Executor {
 public:
  explicit SlurmExecutor(SlurmExecutorOptions options);
  // Cancels the jobs of steps still running.
  ~SlurmExecutor() override;

  void Start(StepRequest request) override;
  // scancel: Slurm signals the job (its supervisor kills the step's tree).
  void Kill(const std::string& id) override;
  std::vector<StepResult> Wait(std::chrono::milliseconds timeout) override;
  // While Slurm keeps a job queued, its reason (QueuedNote), as squeue gives it.
  std::vector<StepNote> TakeNotes() override;
  void Wake() override;
  size_t running() const override { return outstanding_.load(); }

  // Host path of the step's combined output (as LocalExecutor::LogPath).
  std::string LogPath(const std::string& id) const;

 private:
  struct Job {
    StepRequest request;  // what the result is reported for
    std::string dir;
    int64_t slurm_id = 0;
    TimePoint handed_at;
    JobState last_seen;  // from the latest squeue; stage kQueued until then
    bool cancel_requested = false;
    std::optional<std::chrono::steady_clock::time_point> ended_at;  // first seen ended or gone
    std::string note;                                               // the last StepNote given on it
  };

  void Run();  // the worker thread
  void Submit(StepRequest request);
  void Cancel(const std::vector<std::string>& ids);
  void Poll();
  void CollectResults();
  // The job's outcome if it has one now, else nullopt (keep waiting).
  std::optional<StepResult> Outcome(Job& job);
  StepResult Failure(const Job& job, const std::string& message) const;
  void Finish(StepResult result);

  SlurmExecutorOptions options_;
  int wake_fd_;
  std::atomic<size_t> outstanding_{0};

  std::mutex mutex_;  // guards the five members below
  std::condition_variable work_;
  std::vector<StepRequest> to_submit_;
  std::vector<std::string> to_cancel_;
  std::vector<StepResult> finished_;
  std::vector<StepNote> notes_;
  bool stopping_ = false;

  // The worker's own.
  std::unordered_map<std::string, Job> jobs_;  // by step id
  std::chrono::steady_clock::time_point next_poll_;
  std::thread worker_;
};

}  // namespace loom::executor
