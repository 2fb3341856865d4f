// Reading the logs of a stored workflow's steps, once or following them as
// they grow: what `loom logs` on the embedded store and the server's log
// endpoint both serve. Each step's log is <run dir>/steps/<node id>/log,
// the run dir being the workflow's `loom.dev/run-dir` annotation.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace loom::store {

// Whether a Workflow object has finished (status.finishedAt is set; its
// workflows.argoproj.io/completed label is derived from that).
bool Completed(const Json& workflow);

// The run folder of a Workflow object (or its document as submitted), which
// holds steps/<node id>/log and artifacts/: its loom.dev/run-dir annotation,
// "" if it has none.
std::string RunDir(const Json& workflow);

// The Pod nodes of `workflow` (a Workflow object with status.nodes) that
// `pod` names by id, name or display name ("" = every one), in the order
// they started; steps that started in the same second keep the order of the
// workflow's tree (the order their steps and tasks are written).
std::vector<Json> SelectPods(const Json& workflow, const std::string& pod);

struct StepLogOptions {
  std::string pod;  // see SelectPods
  bool follow = false;
  std::optional<size_t> tail;                         // of each step, what was there at first
  std::function<bool(const std::string& line)> keep;  // e.g. --grep; null keeps every line
  std::chrono::milliseconds poll = std::chrono::milliseconds(250);
};

class StepLogFollower {
 public:
  // `load` gives the Workflow object (with nodes) as it is now.
  StepLogFollower(std::function<Result<Json>()> load, StepLogOptions options);

  // Calls `emit(node id, line)` for each line, in step order; one pass, or
  // with follow until the workflow has completed and every log is drained.
  // Stops early when `emit` returns false. Errors are the loader's.
  Status Run(const std::function<bool(const std::string& node, const std::string& line)>& emit);

 private:
  struct Source {
    std::string path;
    std::streamoff offset = 0;
    std::string partial;  // a line not ended yet
    bool tailed = false;
  };
  bool Drain(const std::string& id, Source& source, bool end,
             const std::function<bool(const std::string&, const std::string&)>& emit);

  std::function<Result<Json>()> load_;
  StepLogOptions options_;
  std::map<std::string, Source> sources_;
  std::vector<std::string> order_;
};

}  // namespace loom::store
