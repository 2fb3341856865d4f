// The observable state of a workflow run, shaped like Argo's
// `Workflow.status`: one Node per step, group, retry or skipped task, keyed by
// id, plus the workflow's own phase, times, message and global outputs.
// The engine owns and updates it; everything else (CLI, store, server) reads it.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loom::engine {

using TimePoint = std::chrono::system_clock::time_point;

enum class NodeType { kPod, kSteps, kStepGroup, kDag, kTaskGroup, kRetry, kSkipped, kSuspend };
enum class NodePhase { kPending, kRunning, kSucceeded, kFailed, kError, kSkipped, kOmitted };

const char* NodeTypeName(NodeType type);     // "Pod", "Steps", "StepGroup", "DAG", ...
const char* NodePhaseName(NodePhase phase);  // "Pending", "Running", ...
bool IsFulfilled(NodePhase phase);           // any phase but Pending and Running
// The inverses of the names above; nullopt for a name Argo does not use.
std::optional<NodeType> ParseNodeType(std::string_view text);
std::optional<NodePhase> ParseNodePhase(std::string_view text);

struct ParameterValue {
  std::string name;
  std::optional<std::string> value;
};

// An artifact as recorded on a node: where it is stored in the local
// artifact repository (a host path) and whether it is a .tar.gz.
struct ArtifactValue {
  std::string name;
  std::string path;      // where the step saw it
  std::string location;  // host path in the artifact repository; "" = not produced
  bool archived = true;
  std::optional<std::string> raw_data;
};

struct NodeInputs {
  std::vector<ParameterValue> parameters;
  std::vector<ArtifactValue> artifacts;
};

struct NodeOutputs {
  std::vector<ParameterValue> parameters;
  std::vector<ArtifactValue> artifacts;
  std::optional<std::string> result;
  std::optional<std::string> exit_code;
  bool empty() const { return parameters.empty() && artifacts.empty() && !result && !exit_code; }
};

struct Node {
  std::string id;
  std::string name;          // full name, e.g. "wf.steps[0].hello"
  std::string display_name;  // what Argo shows: "hello", "[0]", "A(0)", "loop(1:b)"
  NodeType type = NodeType::kPod;
  std::string template_name;
  NodePhase phase = NodePhase::kPending;
  std::string boundary_id;
  std::vector<std::string> children;
  std::vector<std::string> outbound_nodes;
  NodeInputs inputs;
  NodeOutputs outputs;
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> finished_at;
  std::string message;
  std::string log_path;          // host path of the step's combined stdout/stderr log ("" if none)
  std::string waiting_for_lock;  // synchronizationStatus.waiting: the lock it waits for
};

// One lock in Argo's status.synchronization. Holding: the holder keys of
// this workflow that hold it ("<namespace>/<workflow>" or ".../<node id>").
// Waiting: a lock this workflow waits for, with its holders when it began to.
struct LockHolding {
  std::string lock;  // "default/Mutex/m", "default/ConfigMap/my-config/key"
  std::vector<std::string> holders;
};

struct SynchronizationStatus {
  std::vector<LockHolding> semaphore_holding, semaphore_waiting;
  std::vector<LockHolding> mutex_holding, mutex_waiting;
  bool empty() const {
    return semaphore_holding.empty() && semaphore_waiting.empty() && mutex_holding.empty() &&
           mutex_waiting.empty();
  }
};

enum class WorkflowPhase { kPending, kRunning, kSucceeded, kFailed, kError };
const char* WorkflowPhaseName(WorkflowPhase phase);
std::optional<WorkflowPhase> ParseWorkflowPhase(std::string_view text);

struct WorkflowStatus {
  std::string name;  // the workflow's name (also the root node's id)
  std::string namespace_;
  WorkflowPhase phase = WorkflowPhase::kPending;
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> finished_at;
  std::string message;
  std::vector<ParameterValue> parameters;         // the workflow's arguments after -p overrides
  std::vector<ParameterValue> output_parameters;  // status.outputs.parameters (globalName)
  std::vector<ArtifactValue> output_artifacts;
  std::map<std::string, Node> nodes;  // by id
  SynchronizationStatus synchronization;
  // "N/M": Pods finished / Pods in all (Argo's progress: a fulfilled Pod is complete).
  std::string Progress() const;
};

}  // namespace loom::engine
