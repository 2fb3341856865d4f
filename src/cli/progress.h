// What `loom run` shows while a workflow runs, on stderr: a live view that
// redraws in place on a terminal, plain lines (one per step start and end)
// otherwise, and `--log` lines of step output prefixed by node name.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "engine/node.h"

namespace loom::cli {

class LiveView;

class ProgressReporter {
 public:
  // `enabled` false prints nothing but --log lines (e.g. with -o json).
  ProgressReporter(std::ostream& out, bool enabled);
  ~ProgressReporter();

  // Called after every event with the ids of nodes that changed.
  void Update(const engine::WorkflowStatus& status, const std::vector<std::string>& changed);
  void LogLine(const std::string& node_name, const std::string& line);
  // A message for the user (e.g. "stopping..."), kept clear of the live view.
  void Print(const std::string& text);
  void Finish(const engine::WorkflowStatus& status);

 private:
  void PrintPlain(const engine::WorkflowStatus& status, const std::vector<std::string>& changed);

  std::ostream& out_;
  bool enabled_;
  std::unique_ptr<LiveView> live_;
};

}  // namespace loom::cli
