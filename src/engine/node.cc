// Names of node types and phases as Argo spells them, and progress.
#include "engine/node.h"

namespace loom::engine {

const char* NodeTypeName(NodeType type) {
  switch (type) {
    case NodeType::kPod:
      return "Pod";
    case NodeType::kSteps:
      return "Steps";
    case NodeType::kStepGroup:
      return "StepGroup";
    case NodeType::kDag:
      return "DAG";
    case NodeType::kTaskGroup:
      return "TaskGroup";
    case NodeType::kRetry:
      return "Retry";
    case NodeType::kSkipped:
      return "Skipped";
    case NodeType::kSuspend:
      return "Suspend";
  }
  return "Unknown";
}

const char* NodePhaseName(NodePhase phase) {
  switch (phase) {
    case NodePhase::kPending:
      return "Pending";
    case NodePhase::kRunning:
      return "Running";
    case NodePhase::kSucceeded:
      return "Succeeded";
    case NodePhase::kFailed:
      return "Failed";
    case NodePhase::kError:
      return "Error";
    case NodePhase::kSkipped:
      return "Skipped";
    case NodePhase::kOmitted:
      return "Omitted";
  }
  return "Unknown";
}

bool IsFulfilled(NodePhase phase) {
  return phase != NodePhase::kPending && phase != NodePhase::kRunning;
}

const char* WorkflowPhaseName(WorkflowPhase phase) {
  switch (phase) {
    case WorkflowPhase::kPending:
      return "Pending";
    case WorkflowPhase::kRunning:
      return "Running";
    case WorkflowPhase::kSucceeded:
      return "Succeeded";
    case WorkflowPhase::kFailed:
      return "Failed";
    case WorkflowPhase::kError:
      return "Error";
  }
  return "Unknown";
}

std::string WorkflowStatus::Progress() const {
  size_t done = 0, total = 0;
  for (const auto& [id, node] : nodes) {
    if (node.type != NodeType::kPod) continue;
    ++total;
    if (IsFulfilled(node.phase)) ++done;
  }
  return std::to_string(done) + "/" + std::to_string(total);
}

namespace {

// Inverse of a *Name() function over an enum of `count` values from 0.
template <typename Enum, typename NameOf>
std::optional<Enum> ParseName(std::string_view text, int count, NameOf name_of) {
  for (int i = 0; i < count; ++i) {
    if (text == name_of(static_cast<Enum>(i))) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

std::optional<NodeType> ParseNodeType(std::string_view text) {
  return ParseName<NodeType>(text, static_cast<int>(NodeType::kSuspend) + 1, NodeTypeName);
}

std::optional<NodePhase> ParseNodePhase(std::string_view text) {
  return ParseName<NodePhase>(text, static_cast<int>(NodePhase::kOmitted) + 1, NodePhaseName);
}

std::optional<WorkflowPhase> ParseWorkflowPhase(std::string_view text) {
  return ParseName<WorkflowPhase>(text, static_cast<int>(WorkflowPhase::kError) + 1,
                                  WorkflowPhaseName);
}

}  // namespace loom::engine
