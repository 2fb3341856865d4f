// The sbatch command line of a step, and reading squeue's JSON.
#include "executor/slurm_job.h"

#include <algorithm>
#include <array>
#include <sstream>
#include <string_view>

#include "base/json.h"

namespace loom::executor {

namespace {

constexpr int64_t kMiB = 1024 * 1024;

int64_t CeilDiv(int64_t value, int64_t by) { return (value + by - 1) / by; }

std::string ShellQuote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string Annotation(const StepRequest& request, const char* key) {
  auto it = request.annotations.find(key);
  return it == request.annotations.end() ? "" : it->second;
}

bool OneOf(std::string_view value, std::initializer_list<std::string_view> states) {
  return std::find(states.begin(), states.end(), value) != states.end();
}

}  // namespace

std::vector<std::string> SbatchArguments(const StepRequest& request, const std::string& step_dir,
                                         const std::vector<std::string>& job_command,
                                         const std::vector<std::string>& options, TimePoint now) {
  std::vector<std::string> args = {
      "--parsable",
      "--no-requeue",
      "--job-name=" + (request.name.empty() ? request.id : request.name),
      "--comment=loom node " + request.id,
      "--output=" + step_dir + "/slurm.out",
      "--chdir=" + step_dir,
  };
  const ResourceRequest& r = request.resources;
  if (r.cpu_millis > 0)
    args.push_back("--cpus-per-task=" + std::to_string(CeilDiv(r.cpu_millis, 1000)));
  if (r.memory_bytes > 0)
    args.push_back("--mem=" + std::to_string(CeilDiv(r.memory_bytes, kMiB)) + "M");
  if (r.gpus > 0) args.push_back("--gres=gpu:" + std::to_string(r.gpus));
  if (request.deadline) {
    auto left = std::chrono::duration_cast<std::chrono::seconds>(*request.deadline - now).count();
    args.push_back("--time=" + std::to_string(std::max<int64_t>(1, CeilDiv(left, 60)) + 1));
  }
  args.insert(args.end(), options.begin(), options.end());
  if (std::string partition = Annotation(request, kSlurmPartitionAnnotation); !partition.empty()) {
    args.push_back("--partition=" + partition);
  }
  if (std::string account = Annotation(request, kSlurmAccountAnnotation); !account.empty()) {
    args.push_back("--account=" + account);
  }
  std::istringstream extra(Annotation(request, kSlurmOptionsAnnotation));
  for (std::string option; extra >> option;) args.push_back(option);
  std::string wrap = "exec";
  for (const std::string& word : job_command) wrap += " " + ShellQuote(word);
  args.push_back("--wrap=" + wrap);
  return args;
}

Result<int64_t> ParseJobId(const std::string& sbatch_stdout) {
  std::string text = sbatch_stdout.substr(0, sbatch_stdout.find_first_of(";\n"));
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    return Result<int64_t>::Error("sbatch printed no job id: '" + sbatch_stdout + "'");
  }
  return static_cast<int64_t>(std::stoll(text));
}

JobStage StageOf(const std::string& state) {
  if (OneOf(state, {"PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD"})) {
    return JobStage::kQueued;
  }
  if (OneOf(state, {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED",
                    "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "REVOKED", "SPECIAL_EXIT"})) {
    return JobStage::kEnded;
  }
  return JobStage::kRunning;
}

Result<std::unordered_map<int64_t, JobState>> ParseSqueueJson(const std::string& text) {
  using R = Result<std::unordered_map<int64_t, JobState>>;
  Json parsed = Json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("jobs") ||
      !parsed["jobs"].is_array()) {
    return R::Error("squeue --json printed no jobs list: '" + text.substr(0, 200) + "'");
  }
  std::unordered_map<int64_t, JobState> jobs;
  for (const Json& j : parsed["jobs"]) {
    if (!j.is_object() || !j.contains("job_id") || !j["job_id"].is_number_integer()) continue;
    JobState job;
    job.id = j["job_id"].get<int64_t>();
    if (j.contains("job_state") && j["job_state"].is_string()) job.state = j["job_state"];
    if (j.contains("state_reason") && j["state_reason"].is_string()) job.reason = j["state_reason"];
    if (j.contains("nodes") && j["nodes"].is_string()) job.nodes = j["nodes"];
    job.stage = StageOf(job.state);
    jobs[job.id] = std::move(job);
  }
  return jobs;
}

std::string NeverStarts(const JobState& job) {
  if (job.stage != JobStage::kQueued) return "";
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kReasons = {{
      {"PartitionConfig", "it asks for more than any node of its partition has"},
      {"PartitionNodeLimit", "it asks for more nodes than its partition allows"},
      {"PartitionTimeLimit", "its time limit is above its partition's"},
      {"BadConstraints", "no node of its partition meets its constraints"},
      {"InvalidAccount", "its account is not valid"},
      {"InvalidQOS", "its QOS is not valid"},
      {"AccountNotAllowed", "its account may not use the partition"},
      {"QOSNotAllowed", "its QOS may not use the partition"},
  }};
  for (const auto& [reason, why] : kReasons) {
    if (job.reason == reason) {
      return "Slurm will never start job " + std::to_string(job.id) + " (pending, reason " +
             job.reason + "): " + std::string(why);
    }
  }
  return "";
}

std::string QueuedNote(const JobState& job) {
  if (job.stage != JobStage::kQueued) return "";
  std::string text = "Slurm job " + std::to_string(job.id) + " is queued";
  if (!job.reason.empty() && job.reason != "None") text += ": " + job.reason;
  return text;
}

std::string DescribeEnd(const JobState& job) {
  std::string text = "Slurm job " + std::to_string(job.id) + " ended " + job.state;
  if (!job.nodes.empty()) text += " on " + job.nodes;
  if (!job.reason.empty() && job.reason != "None") text += " (reason " + job.reason + ")";
  return text;
}

}  // namespace loom::executor
