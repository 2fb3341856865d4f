// The engine's private state for one workflow run: the node map, the active
// frames (one per unfinished Steps/DAG/group/Retry/Pod/Suspend node), the
// global scope, timers and the outgoing command queue.
//
// Life of a node: a parent frame Invoke()s a template for a step or task; the
// node is created with a frame of its kind; when the node reaches a final
// phase, Complete() records it and queues a notification to the parent frame,
// which Drain() delivers after the current event. Delivering notifications
// from a queue (never by direct recursion) keeps a frame's own loops safe
// when a child finishes synchronously (skipped, omitted, failed to resolve).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/engine.h"
#include "engine/node.h"
#include "expr/scope.h"
#include "spec/workflow.h"

namespace loom::engine {

class WorkflowRun;

// Arguments resolved in the caller's scope, ready to bind to a template's inputs.
struct ResolvedArguments {
  std::vector<ParameterValue> parameters;
  std::vector<ArtifactValue> artifacts;
};

// Everything needed to invoke a template for a step, task, hook or the entrypoint.
struct Invocation {
  std::string node_name;
  std::string display_name;
  const spec::Template* tmpl = nullptr;
  ResolvedArguments arguments;
  std::string boundary_id;
  std::string parent_id;  // frame to notify on completion ("" = a top-level node)
  int slot = 0;           // the parent's index for this child
  int depth = 0;
  bool on_exit = false;               // part of an exit handler: runs even after Stop()
  std::optional<TimePoint> deadline;  // inherited from enclosing templates' timeouts
  std::string retries;                // the attempt number, inside a retried template
};

// An unfinished node with behaviour: reacts when one of its children ends.
class Frame {
 public:
  virtual ~Frame() = default;
  // A child this frame started (identified by `slot`) reached a final phase.
  virtual void OnChildDone(WorkflowRun& run, int slot, const std::string& child_id) = 0;
  // The workflow is shutting down (stop, terminate, deadline): stop starting children.
  virtual void OnShutdown(WorkflowRun&) {}

  Invocation invocation;  // how this node was invoked (for retries and notifications)
  std::string node_id;
};

enum class Shutdown { kNone, kStop, kTerminate, kDeadline };

class WorkflowRun {
 public:
  WorkflowRun(const spec::Workflow& workflow, EngineOptions options);

  // --- Engine API, see engine.h ---
  void Start();
  std::vector<Command> TakeCommands();
  void StepStarted(const std::string& id, TimePoint at, const std::string& log_path);
  void StepNoted(const std::string& id, const std::string& message);
  void StepFinished(const executor::StepResult& result);
  void Tick();
  std::optional<TimePoint> NextWakeup() const;
  void RequestShutdown(Shutdown kind);
  void Resume();
  void LockGranted(const std::string& node_id);
  bool Done() const { return done_; }
  const WorkflowStatus& status() const { return status_; }
  std::vector<std::string> TakeChangedNodes();

  // --- for frames ---
  TimePoint Now() const { return options_.clock(); }
  const EngineOptions& options() const { return options_; }
  const spec::Workflow& workflow() const { return workflow_; }
  const expr::Scope& global_scope() const { return global_scope_; }
  Shutdown shutdown() const { return shutdown_; }

  Node& node(const std::string& id) { return status_.nodes.at(id); }
  Node* FindNode(const std::string& id);
  // The id the node named `name` has, or gets when created: Argo's hash of
  // the name, unless another node already holds that id (32-bit hashes do
  // collide in workflows of 100,000 nodes), then the next free rehash.
  std::string IdFor(const std::string& name) const;
  // Creates a node with the id IdFor(name).
  Node& CreateNode(const std::string& name, const std::string& display_name, NodeType type,
                   const std::string& template_name, const std::string& boundary_id);
  void AddChild(const std::string& parent_id, const std::string& child_id);
  void MarkChanged(const std::string& id);
  // Gives a node its final phase and tells its parent frame (after the current event).
  void Complete(const std::string& id, NodePhase phase, const std::string& message = "");
  // Argo's outbound nodes of a node (what dependents attach to).
  std::vector<std::string> OutboundNodes(const std::string& id);

  // Invokes a template: creates its node and starts it. Returns the node id.
  std::string Invoke(Invocation invocation);
  // Creates a final node that runs nothing (Skipped, Omitted, or an Error before running).
  std::string CreateFinishedNode(const Invocation& invocation, NodeType type, NodePhase phase,
                                 const std::string& message);
  // Finds a template referenced by a step/task (template: or templateRef:).
  const spec::Template* ResolveTemplate(const spec::Invocation& step, std::string* error);

  void AddFrame(std::unique_ptr<Frame> frame);
  // Records that `invocation.parent_id`'s frame is told when node `id` completes.
  void LinkParent(const std::string& id, const Invocation& invocation);
  Frame* FindFrame(const std::string& id);

  void StartPod(executor::StepRequest request);
  void KillPod(const std::string& id);
  // Runs `fn` at `when` unless the run is over by then.
  void AddTimer(TimePoint when, std::function<void()> fn);

  // Takes the locks of `tmpl.synchronization` for node `node_id` (invoked
  // as `invocation`, its names resolved in `scope`). True: held, start it
  // now. False: it waits (Pending, `scope` kept until it is admitted, then
  // RunTemplate) or could not (it is Error).
  bool TakeLocks(const Invocation& invocation, const std::string& node_id,
                 std::unique_ptr<expr::Scope>& scope);

  // Publishes a node's outputs that carry a globalName.
  void PublishGlobalOutputs(const Node& node);
  // Whether a node invoked under `invocation` may still start (not after shutdown).
  bool MayStart(const Invocation& invocation) const;
  // The message a node gets when the shutdown stops it.
  std::string ShutdownMessage() const;

 private:
  void Drain();
  void OnRootDone();
  void StartExitHandler();
  void Finish(WorkflowPhase phase, const std::string& message);
  void Notify(const std::string& id);
  void CheckDone();
  void InitGlobalScope();
  void FireDeadline();
  void ReleasePodSlot();
  // The run after the workflow-level locks are held: deadline, entrypoint.
  void Begin();

  // --- synchronization (locking.cc) ---
  scheduler::LockTable& locks() { return options_.locks ? *options_.locks : *own_locks_; }
  scheduler::Holder HolderOf(const std::string& node_id) const;
  // Takes spec.synchronization; false if the workflow waits or failed.
  bool TakeWorkflowLocks();
  // Records what node_id ("" = the workflow) holds, in status.synchronization too.
  void Held(const std::string& node_id, const std::vector<scheduler::LockName>& locks);
  void Waits(const std::string& node_id, const scheduler::LockTable::Outcome& outcome);
  void StopWaiting(const std::string& node_id);
  // Frees what a finished node held, or takes it out of the queues.
  void ReleaseLocks(const std::string& node_id);
  // The holders and waiters of the restored run (LockTable::Restore) become this run's.
  void AdoptRestoredLocks();
  void Admit(const std::string& node_id);
  int Priority() const { return workflow_.spec.priority.value_or(0); }

  const spec::Workflow& workflow_;
  EngineOptions options_;
  WorkflowStatus status_;
  expr::Scope global_scope_;
  std::unordered_map<std::string, std::unique_ptr<Frame>> frames_;
  std::vector<std::unique_ptr<Frame>> finished_frames_;  // freed after the current event
  struct ParentLink {
    std::string frame_id;
    int slot = 0;
  };
  std::unordered_map<std::string, ParentLink> parents_;  // node id -> frame to notify
  std::deque<std::string> notifications_;                // ids of nodes that just completed
  std::vector<Command> commands_;
  std::vector<std::string> changed_;
  std::unordered_map<std::string, bool> changed_set_;

  struct Timer {
    TimePoint when;
    uint64_t seq;
    std::function<void()> fn;
    bool operator>(const Timer& o) const { return when != o.when ? when > o.when : seq > o.seq; }
  };
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers_;
  uint64_t timer_seq_ = 0;

  // Workflow-level parallelism: Pods beyond the limit wait here.
  std::deque<executor::StepRequest> waiting_pods_;
  size_t running_pods_ = 0;  // Pods handed out and not yet finished
  std::optional<size_t> pod_limit_;

  // Synchronization: nodes waiting for locks, with what starts them once
  // admitted; what each holder holds; which lock each waiter waits for.
  struct LockWait {
    Invocation invocation;
    std::unique_ptr<expr::Scope> scope;
    std::vector<scheduler::LockName> locks;
  };
  std::unique_ptr<scheduler::LockTable> own_locks_;       // when options_.locks is unset
  std::unordered_map<std::string, LockWait> lock_waits_;  // by node id
  std::vector<scheduler::LockName> workflow_locks_;       // spec.synchronization, resolved
  bool waiting_for_workflow_locks_ = false;
  std::unordered_map<std::string, std::vector<scheduler::LockName>> held_;  // by node id
  std::unordered_map<std::string, std::string> waits_for_;                  // node id -> lock key
  std::unordered_map<std::string, int> waiters_of_;  // lock key -> our waiters

  std::string root_id_;
  std::string exit_id_;
  NodePhase root_phase_ = NodePhase::kPending;
  std::string root_message_;
  Shutdown shutdown_ = Shutdown::kNone;
  bool done_ = false;
  bool exit_started_ = false;
  bool finishing_ = false;  // final phase decided; waiting for running steps to end
  WorkflowPhase final_phase_ = WorkflowPhase::kRunning;
  std::string final_message_;
};

}  // namespace loom::engine
