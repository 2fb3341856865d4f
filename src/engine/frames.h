// The frame kinds: the behaviour of each unfinished node type. A frame is
// created with its node and destroyed when the node completes.
//   PodFrame      a container/script step handed to the executor
//   SuspendFrame  a suspend template: waits for a duration or Resume()
//   StepsFrame    a steps template: runs its groups in order
//   DagFrame      a dag template: runs tasks as their dependencies allow
//   RetryFrame    a template with retryStrategy: runs attempts until one succeeds
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/workflow_run.h"
#include "expr/depends.h"
#include "expr/scope.h"

namespace loom::engine {

// Starts a template without retry: creates the node of the template's kind
// and its frame. `scope` holds the template's inputs; ownership passes to the frame.
// A template with `synchronization` first takes its locks: the node waits
// Pending until the lock table admits it.
void StartTemplate(WorkflowRun& run, const Invocation& invocation, const std::string& node_id,
                   const NodeInputs& inputs, std::unique_ptr<expr::Scope> scope);

// The second half of StartTemplate, once the node holds its locks: the
// frame of the template's kind. `invocation` carries the node's deadline.
void RunTemplate(WorkflowRun& run, const Invocation& invocation, const std::string& node_id,
                 std::unique_ptr<expr::Scope> scope);

class PodFrame : public Frame {
 public:
  void OnChildDone(WorkflowRun&, int, const std::string&) override {}
  // The executor's report for this Pod.
  void OnFinished(WorkflowRun& run, const executor::StepResult& result);

  const spec::Template* tmpl = nullptr;
  std::vector<const spec::Parameter*> output_parameters;  // in template order
  std::vector<std::pair<std::string, std::optional<std::string>>> parameter_defaults;
};

class SuspendFrame : public Frame {
 public:
  void OnChildDone(WorkflowRun&, int, const std::string&) override {}
  void Resume(WorkflowRun& run);
};

// One group of a steps template, or the children of a looped step.
struct StepsGroupState {
  std::string node_id;
  int pending = 0;  // children not yet finished
  std::vector<std::pair<const spec::Invocation*, std::string>> children;  // step, child node id
  std::unordered_map<std::string, int> hooks_pending;  // child node id -> exit hook running
  std::deque<std::function<void()>> waiting;           // launches held back by parallelism
  int active = 0;
};

class StepsFrame : public Frame {
 public:
  void OnChildDone(WorkflowRun& run, int slot, const std::string& child_id) override;
  void OnShutdown(WorkflowRun& run) override;
  void StartGroup(WorkflowRun& run, size_t index);

  const spec::Template* tmpl = nullptr;
  std::unique_ptr<expr::Scope> scope;
  size_t group_index = 0;
  StepsGroupState group;
  std::vector<std::string> previous_outbound;  // outbound nodes of the finished group
  std::optional<size_t> parallelism;

 private:
  void FinishGroup(WorkflowRun& run);
  void RecordStep(WorkflowRun& run, const spec::Invocation& step,
                  const std::vector<std::string>& node_ids, bool looped);
  void Launch(WorkflowRun& run, std::function<void()> launch);
};

class DagFrame : public Frame {
 public:
  struct Task {
    const spec::Invocation* spec = nullptr;
    std::vector<int> dependencies;
    std::vector<int> dependents;
    std::optional<expr::DependsExpression> depends;
    int unresolved = 0;   // dependencies not yet final
    bool needed = false;  // a target or an ancestor of one
    bool target = false;
    bool started = false;
    bool final = false;
    bool hook_running = false;
    std::string node_id;                // the task's node (TaskGroup for loops)
    std::vector<std::string> item_ids;  // loop children
    int items_pending = 0;
    unsigned branch = 0;  // bit set of Succeeded(1) Failed(2) Error(4) reaching this task
  };

  void OnChildDone(WorkflowRun& run, int slot, const std::string& child_id) override;
  void OnShutdown(WorkflowRun& run) override;
  // Prepares tasks and starts the roots. False if the DAG completed at once.
  void Begin(WorkflowRun& run);

  const spec::Template* tmpl = nullptr;
  std::unique_ptr<expr::Scope> scope;
  std::vector<Task> tasks;
  std::unordered_map<std::string, int> index;
  std::vector<int> targets;
  int targets_pending = 0;
  std::optional<NodePhase> failed_target;  // first target branch that failed
  bool fail_fast = true;                   // dag.failFast
  bool halt_on_failure = false;  // the template's own failFast: no new task after a failure
  bool finished = false;
  std::optional<size_t> parallelism;
  int active = 0;
  int in_flight = 0;        // tasks started and not yet final (exit hooks included)
  std::deque<int> waiting;  // ready tasks held back by parallelism

 private:
  // Whether no new task may start: the DAG is done, or failing with halt_on_failure.
  bool Halted() const;
  void Ready(WorkflowRun& run, int task);
  void Launch(WorkflowRun& run, int task);
  void TaskNodeDone(WorkflowRun& run, int task);
  void Finalize(WorkflowRun& run, int task);
  void CheckFinished(WorkflowRun& run);
  expr::TaskResults ResultsOf(WorkflowRun& run, int task);
};

class RetryFrame : public Frame {
 public:
  void OnChildDone(WorkflowRun& run, int slot, const std::string& child_id) override;
  // A retry waiting out its backoff ends with the last attempt's phase.
  void OnShutdown(WorkflowRun& run) override;
  void StartAttempt(WorkflowRun& run);

  NodeInputs inputs;
  int attempts = 0;
  std::optional<int64_t> limit;  // nullopt = unlimited
  std::string policy;
  std::optional<std::string> expression;
  double backoff_seconds = 0;
  double backoff_factor = 1;
  std::optional<double> backoff_cap;
  std::optional<double> max_duration;
  TimePoint first_started;
  std::string backing_off_after;  // the failed attempt a backoff timer is waiting after
};

}  // namespace loom::engine
