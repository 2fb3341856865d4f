// Pieces the clients and verbs share: reading Workflow objects, and what
// the embedded-store client does that a server does on its side (selecting
// workflows by label, reading step logs).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cli/workflow_client.h"
#include "engine/node.h"
#include "store/label_selector.h"
#include "store/step_logs.h"

namespace loom::cli {

using store::Completed;
using store::RunDir;

// The engine's view of a Workflow object (for the summary and the live view).
Result<engine::WorkflowStatus> StatusOf(const Json& workflow);

// The -l selectors of a ListQuery, matched against a Workflow's labels
// (with Argo's workflows.argoproj.io/phase and /completed among them).
class WorkflowMatcher {
 public:
  static Result<WorkflowMatcher> Make(const ListQuery& query);
  bool Matches(const Json& workflow) const;

 private:
  std::vector<store::LabelSelector> selectors_;
};

// A LogQuery as the store's log follower takes it (--grep compiled: Go's syntax).
Result<store::StepLogOptions> LogOptions(const LogQuery& query);

}  // namespace loom::cli
