// What the engine asks an executor to run (StepRequest) and what comes back
// when it ends (StepResult). Every value here is fully resolved: no `{{...}}`
// tags, no references to other nodes. This is the contract between the engine
// and every backend (local processes now; Slurm and Kubernetes later).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace loom::executor {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

// An input artifact to place at `path` inside the step's view before it starts.
struct InputArtifact {
  std::string name;
  std::string path;                     // absolute, or relative to the working dir
  std::optional<std::string> raw_data;  // inline contents (raw:); else `source`
  std::string source;                   // host path of a stored artifact (see OutputArtifact)
  bool source_is_archive = false;       // source is a .tar.gz to unpack at `path`
  std::optional<int> mode;
};

// An output parameter read from a file the step wrote.
struct OutputParameter {
  std::string name;
  std::string path;
};

// An output artifact collected from `path` after the step exits and stored at
// `destination` on the host: a .tar.gz of the file or directory when `archive`,
// else a plain copy (file or directory tree).
struct OutputArtifact {
  std::string name;
  std::string path;
  std::string destination;
  bool archive = true;
  bool optional = false;
};

// Resource requests, already parsed. Fixed point: millicores and bytes.
struct ResourceRequest {
  int64_t cpu_millis = 0;
  int64_t memory_bytes = 0;
  int64_t gpus = 0;
};

struct StepRequest {
  std::string id;  // node id, unique within the workflow; names the step's files
  // Where the step's combined output goes; "" = the executor's default
  // (LocalExecutor: work_dir/<id>/log). A server running many workflows on
  // one executor keeps each workflow's logs in its own run folder.
  std::string log_path;
  std::string name;                  // node name, for logs and messages
  std::vector<std::string> command;  // command + args; must not be empty
  std::optional<std::string>
      script;  // script source: written to a 0755 file whose path is appended to command
  std::vector<std::pair<std::string, std::string>> env;
  std::string working_dir;  // "" means the step's "/"
  std::vector<InputArtifact> input_artifacts;
  std::vector<OutputParameter> output_parameters;
  std::vector<OutputArtifact> output_artifacts;
  std::vector<std::string> empty_dirs;  // mount paths of emptyDir volumes: empty scratch dirs
  ResourceRequest resources;
  std::optional<TimePoint> deadline;  // killed at this time; the result says so
  // The template's metadata.annotations, substituted: where a workflow tells
  // a backend more than Argo's fields say (e.g. loom.dev/slurm-partition).
  std::map<std::string, std::string> annotations;
};

struct StepResult {
  std::string id;
  bool started = false;  // false: the command could not be executed (the step Fails)
  int exit_code = -1;    // valid when started; 128+N for a signal N
  bool deadline_exceeded = false;
  bool killed = false;           // ended by Kill()
  std::string message;           // why it failed, in words ("" on success)
  std::string stdout_text;       // the first 256 KiB of stdout, for outputs.result
  std::string stderr_last_line;  // the last non-empty stderr line: why a failed step failed
  std::map<std::string, std::optional<std::string>>
      parameters;                         // name -> value; nullopt = file missing
  std::map<std::string, bool> artifacts;  // name -> collected?
  TimePoint started_at;
  TimePoint finished_at;
};

// What a started step is waiting for, when that changes: a cluster's reason
// for keeping its job queued ("Slurm job 12 is queued: Resources"), or ""
// once it runs. Becomes the node's message, as a pending pod's reason does in Argo.
struct StepNote {
  std::string id;
  std::string message;
};

}  // namespace loom::executor
