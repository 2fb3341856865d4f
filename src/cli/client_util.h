// Pieces the clients and verbs share: reading Workflow objects, and what
// the embedded-store client does that a server does on its side (selecting
// workflows by label; choosing, filtering and tailing step logs).
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cli/workflow_client.h"
#include "engine/node.h"
#include "expr/regex.h"
#include "store/label_selector.h"

namespace loom::cli {

// Whether a Workflow object has finished (its completed label, or finishedAt).
bool Completed(const Json& workflow);

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

struct LogStep {
  std::string id;
  std::string display_name;
};

class LogFilter {
 public:
  static Result<LogFilter> Make(const LogQuery& query);
  // The steps (Pod nodes) whose logs are wanted, in the order they started;
  // an error when the query names a node the workflow does not have.
  Result<std::vector<LogStep>> Steps(const Json& workflow) const;
  // Emits the lines that pass --grep; the first batch of each step only its last --tail lines.
  void Emit(const LogStep& step, std::vector<std::string> lines,
            const std::function<void(const LogLine&)>& emit);

 private:
  LogQuery query_;
  std::shared_ptr<const expr::Regex> grep_;
  std::set<std::string> started_;  // steps whose first batch was emitted
};

}  // namespace loom::cli
