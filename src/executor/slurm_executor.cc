// SlurmExecutor: the worker thread that submits, polls and cancels jobs,
// and turns what Slurm and the supervisors left into StepResults.
#include "executor/slurm_executor.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "executor/program.h"
#include "executor/step_record.h"

namespace loom::executor {

namespace {

constexpr std::chrono::seconds kCommandTimeout{60};

// The last non-empty line of `text` (a command's stderr, the job's output file).
std::string LastLine(const std::string& text) {
  size_t end = text.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return "";
  size_t start = text.find_last_of('\n', end);
  start = start == std::string::npos ? 0 : start + 1;
  return text.substr(start, end - start + 1);
}

std::string ReadTail(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  std::streamoff from = std::max<std::streamoff>(0, size - 4096);
  in.seekg(from);
  std::string text(static_cast<size_t>(size - from), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  return text;
}

// Slurm's commands say why in a line or two ("sbatch: error: Memory
// specification can not be satisfied" before "Batch job submission failed").
std::string Lines(const std::string& text) {
  std::string joined;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    joined += (joined.empty() ? "" : "; ") + line;
  }
  return joined.size() > 1000 ? joined.substr(0, 1000) + "..." : joined;
}

std::string Failed(const Result<ProgramOutput>& run, const std::string& what) {
  if (!run.ok()) return what + ": " + run.error();
  std::string why = Lines(run->stderr_text);
  return what + " failed (exit " + std::to_string(run->exit_code) + ")" +
         (why.empty() ? "" : ": " + why);
}

}  // namespace

SlurmExecutor::SlurmExecutor(SlurmExecutorOptions options)
    : options_(std::move(options)), wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  worker_ = std::thread([this] { Run(); });
}

SlurmExecutor::~SlurmExecutor() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_.notify_all();
  worker_.join();
  std::vector<std::string> left;
  for (const auto& [id, job] : jobs_) {
    if (job.slurm_id > 0) left.push_back(std::to_string(job.slurm_id));
  }
  if (!left.empty()) {
    std::vector<std::string> argv = {options_.scancel};
    argv.insert(argv.end(), left.begin(), left.end());
    RunProgram(argv, kCommandTimeout);
  }
  if (wake_fd_ >= 0) close(wake_fd_);
}

std::string SlurmExecutor::LogPath(const std::string& id) const {
  return options_.work_dir + "/" + id + "/log";
}

void SlurmExecutor::Start(StepRequest request) {
  outstanding_.fetch_add(1);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    to_submit_.push_back(std::move(request));
  }
  work_.notify_all();
}

void SlurmExecutor::Kill(const std::string& id) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    to_cancel_.push_back(id);
  }
  work_.notify_all();
}

std::vector<StepResult> SlurmExecutor::Wait(std::chrono::milliseconds timeout) {
  pollfd fd{wake_fd_, POLLIN, 0};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!finished_.empty()) timeout = std::chrono::milliseconds(0);
  }
  poll(&fd, 1, static_cast<int>(timeout.count()));
  uint64_t drained = 0;
  while (read(wake_fd_, &drained, sizeof drained) > 0) {
  }
  std::vector<StepResult> results;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    results.swap(finished_);
  }
  outstanding_.fetch_sub(results.size());
  return results;
}

std::vector<StepNote> SlurmExecutor::TakeNotes() {
  std::vector<StepNote> notes;
  std::lock_guard<std::mutex> lock(mutex_);
  notes.swap(notes_);
  return notes;
}

void SlurmExecutor::Wake() {
  uint64_t one = 1;
  [[maybe_unused]] ssize_t written = write(wake_fd_, &one, sizeof one);
}

void SlurmExecutor::Run() {
  while (true) {
    std::vector<StepRequest> submit;
    std::vector<std::string> cancel;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_.wait_for(lock, options_.result_interval,
                     [&] { return stopping_ || !to_submit_.empty() || !to_cancel_.empty(); });
      if (stopping_) return;
      submit.swap(to_submit_);
      cancel.swap(to_cancel_);
    }
    for (StepRequest& request : submit) Submit(std::move(request));
    if (!cancel.empty()) Cancel(cancel);
    if (!jobs_.empty() && std::chrono::steady_clock::now() >= next_poll_) {
      Poll();
      next_poll_ = std::chrono::steady_clock::now() + options_.poll_interval;
    }
    CollectResults();
  }
}

void SlurmExecutor::Submit(StepRequest request) {
  Job job;
  job.dir = options_.work_dir + "/" + request.id;
  job.handed_at = Clock::now();
  if (request.log_path.empty()) request.log_path = job.dir + "/log";
  job.request = std::move(request);
  std::error_code error;
  std::filesystem::create_directories(job.dir, error);
  Status recorded =
      error ? Status::Error("cannot make the step folder " + job.dir + ": " + error.message())
            : WriteStepRecord(job.dir, {job.request, options_.isolation, job.handed_at});
  if (!recorded.ok()) {
    StepResult result = Failure(job, recorded.message());
    result.started = false;
    Finish(std::move(result));
    return;
  }
  std::vector<std::string> command = options_.supervisor;
  command.push_back(job.dir);
  std::vector<std::string> argv = {options_.sbatch};
  for (std::string& arg :
       SbatchArguments(job.request, job.dir, command, options_.sbatch_options, job.handed_at)) {
    argv.push_back(std::move(arg));
  }
  auto run = RunProgram(argv, kCommandTimeout);
  auto id = run.ok() && run->exit_code == 0 ? ParseJobId(run->stdout_text)
                                            : Result<int64_t>::Error(Failed(run, "sbatch"));
  if (!id.ok()) {
    // Slurm refused the job (e.g. "Requested node configuration is not
    // available"): the step never started.
    StepResult result = Failure(job, id.error());
    result.started = false;
    Finish(std::move(result));
    return;
  }
  job.slurm_id = *id;
  std::ofstream(job.dir + "/slurm.job") << job.slurm_id << "\n";
  std::string step_id = job.request.id;
  jobs_[step_id] = std::move(job);
}

void SlurmExecutor::Cancel(const std::vector<std::string>& ids) {
  std::vector<std::string> argv = {options_.scancel};
  for (const std::string& id : ids) {
    auto it = jobs_.find(id);
    if (it == jobs_.end() || it->second.cancel_requested) continue;
    it->second.cancel_requested = true;
    argv.push_back(std::to_string(it->second.slurm_id));
  }
  if (argv.size() > 1) RunProgram(argv, kCommandTimeout);
  // A queued job leaves nothing for a supervisor to record: the next poll
  // sees it CANCELLED and reports the step killed.
  next_poll_ = std::chrono::steady_clock::now();
}

void SlurmExecutor::Poll() {
  auto run = RunProgram({options_.squeue, "--json", "--states=all"}, kCommandTimeout);
  if (!run.ok() || run->exit_code != 0) return;  // Slurm busy or down: ask again next interval
  auto states = ParseSqueueJson(run->stdout_text);
  if (!states.ok()) return;
  auto now = std::chrono::steady_clock::now();
  std::vector<std::string> never;
  for (auto& [id, job] : jobs_) {
    auto found = states->find(job.slurm_id);
    if (found == states->end()) {
      // Not listed: purged after it ended, or Slurm lost it.
      job.last_seen.state.clear();
      job.last_seen.stage = JobStage::kEnded;
    } else {
      job.last_seen = found->second;
    }
    if (job.last_seen.stage == JobStage::kEnded && !job.ended_at) job.ended_at = now;
    if (std::string note = QueuedNote(job.last_seen); note != job.note) {
      job.note = note;
      std::lock_guard<std::mutex> lock(mutex_);
      notes_.push_back({id, std::move(note)});
    }
    if (!job.cancel_requested && !NeverStarts(job.last_seen).empty()) never.push_back(id);
  }
  for (const std::string& id : never) {
    Job& job = jobs_[id];
    std::string why = NeverStarts(job.last_seen);
    RunProgram({options_.scancel, std::to_string(job.slurm_id)}, kCommandTimeout);
    StepResult result = Failure(job, why);
    result.started = false;
    jobs_.erase(id);
    Finish(std::move(result));
  }
}

void SlurmExecutor::CollectResults() {
  // Jobs Slurm last listed as queued can have ended since, if they were
  // short; with few of them, looking costs little and saves a poll interval.
  const bool look_at_queued = jobs_.size() <= options_.max_result_looks;
  std::vector<std::string> done;
  for (auto& [id, job] : jobs_) {
    if (job.last_seen.stage == JobStage::kQueued && !job.cancel_requested && !look_at_queued) {
      continue;
    }
    if (auto result = Outcome(job)) {
      done.push_back(id);
      Finish(std::move(*result));
    }
  }
  for (const std::string& id : done) jobs_.erase(id);
}

std::optional<StepResult> SlurmExecutor::Outcome(Job& job) {
  const bool ended = job.last_seen.stage == JobStage::kEnded;
  std::optional<StepResult> recorded = ReadStepResult(job.dir);
  // Killed without our asking: Slurm ended the job (a node failed, a time
  // limit, preemption). Slurm's state says why once squeue shows it ended.
  bool killed_by_slurm = recorded && recorded->killed && !job.cancel_requested;
  if (recorded && !killed_by_slurm) return recorded;
  if (!ended) return std::nullopt;
  const JobState& slurm = job.last_seen;
  bool waited =
      job.ended_at && std::chrono::steady_clock::now() - *job.ended_at >= options_.result_grace;
  if (job.cancel_requested) {
    StepResult result = Failure(job, "cancelled (scancel " + std::to_string(job.slurm_id) + ")");
    result.killed = true;
    return result;
  }
  if (slurm.state.empty() || slurm.state == "COMPLETED") {
    if (!waited) return std::nullopt;
    std::string what = slurm.state.empty()
                           ? "Slurm no longer knows job " + std::to_string(job.slurm_id)
                           : "Slurm job " + std::to_string(job.slurm_id) + " completed";
    return Failure(job, what + " but its step left no result in " + job.dir +
                            " (is that folder on a filesystem the Slurm nodes share?)");
  }
  std::string message = DescribeEnd(slurm);
  if (std::string last = LastLine(ReadTail(job.dir + "/slurm.out")); !last.empty()) {
    message += ": " + last;
  }
  StepResult result = Failure(job, message);
  result.deadline_exceeded = slurm.state == "TIMEOUT" || slurm.state == "DEADLINE";
  if (recorded) {
    result.started_at = recorded->started_at;
    result.exit_code = recorded->exit_code;
  }
  return result;
}

StepResult SlurmExecutor::Failure(const Job& job, const std::string& message) const {
  StepResult result;
  result.id = job.request.id;
  result.started = true;  // it may have run: a failure its retryStrategy handles
  result.exit_code = -1;
  result.message = message;
  result.started_at = job.handed_at;
  result.finished_at = Clock::now();
  return result;
}

void SlurmExecutor::Finish(StepResult result) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_.push_back(std::move(result));
  }
  Wake();
}

}  // namespace loom::executor
