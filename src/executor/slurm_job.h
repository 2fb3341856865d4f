// Loom steps as Slurm batch jobs, in pure functions: the sbatch command line
// that runs one step, and what `squeue --json` says about jobs. No I/O here,
// so the mapping is tested without a cluster; slurm_executor.h talks to Slurm.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "executor/step.h"

namespace loom::executor {

// Per-template settings, as metadata.annotations of the template:
//   loom.dev/slurm-partition: gpu
//   loom.dev/slurm-account: vision
//   loom.dev/slurm-options: "--qos=long --constraint=a100"   (split on spaces)
inline constexpr char kSlurmPartitionAnnotation[] = "loom.dev/slurm-partition";
inline constexpr char kSlurmAccountAnnotation[] = "loom.dev/slurm-account";
inline constexpr char kSlurmOptionsAnnotation[] = "loom.dev/slurm-options";

// The sbatch arguments (after "sbatch") that run `job_command` for `request`:
//   --parsable --no-requeue (Loom's retryStrategy decides what runs again)
//   --job-name=<node name> --comment="loom node <id>"
//   --output=<step_dir>/slurm.out --chdir=<step_dir>
//   --cpus-per-task (cpu request rounded up), --mem (MiB, rounded up),
//   --gres=gpu:N, --time (minutes left to the deadline, rounded up, plus one:
//   Loom ends the step at its deadline itself, Slurm's limit is the backstop)
//   then `options` (every job's, e.g. --slurm-option), then the template's
//   partition, account and options, then --wrap="exec <job_command>".
std::vector<std::string> SbatchArguments(const StepRequest& request, const std::string& step_dir,
                                         const std::vector<std::string>& job_command,
                                         const std::vector<std::string>& options, TimePoint now);

// The job id `sbatch --parsable` printed ("123" or "123;cluster").
Result<int64_t> ParseJobId(const std::string& sbatch_stdout);

// Where a job is, from its Slurm state.
enum class JobStage {
  kQueued,   // PENDING, REQUEUED, ...: not started
  kRunning,  // RUNNING, COMPLETING, SUSPENDED, ...
  kEnded,    // COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL, ...
};

struct JobState {
  int64_t id = 0;
  std::string state;   // Slurm's job_state: "RUNNING", "NODE_FAIL", ...
  std::string reason;  // state_reason: "Resources", "PartitionConfig", "None", ...
  std::string nodes;   // where it ran or runs ("" when queued)
  JobStage stage = JobStage::kQueued;
};

JobStage StageOf(const std::string& slurm_state);

// The jobs in `squeue --json` output, by id. (Slurm 22.05 ignores --jobs
// with --json: every job comes back, and callers pick theirs.)
Result<std::unordered_map<int64_t, JobState>> ParseSqueueJson(const std::string& text);

// Why a job pending for `reason` will never start (the request exceeds
// what the partition's nodes have, or names an account or QOS it may not
// use); "" when it may still start.
std::string NeverStarts(const JobState& job);

// The note (executor::StepNote) on a job Slurm keeps queued: "Slurm job 12
// is queued: Resources" ("Priority", "Dependency", ...), without a reason
// before Slurm's scheduler first looked at it; "" once it left the queue.
std::string QueuedNote(const JobState& job);

// Slurm's word on a job that ended otherwise than COMPLETED, for a node's
// message: "Slurm job 12 ended NODE_FAIL on n2".
std::string DescribeEnd(const JobState& job);

}  // namespace loom::executor
