// Hand-built WorkflowStatus values for the engine and cli tests, shaped as the engine
// builds them: a steps workflow, a DAG diamond, and a loop of many items.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "engine/node.h"

namespace loom::engine::fixtures {

using namespace std::chrono_literals;

// 2026-12-02T05:46:00Z.
inline engine::TimePoint T0() {
  return std::chrono::sys_days{std::chrono::year{2026} / 12 / 2} + 5h + 46min;
}

inline engine::Node& AddNode(engine::WorkflowStatus& status, const std::string& id,
                             engine::NodeType type, const std::string& display_name,
                             const std::string& template_name, engine::NodePhase phase,
                             const std::string& boundary_id = "") {
  engine::Node& node = status.nodes[id];
  node.id = id;
  node.name = id;
  node.display_name = display_name;
  node.type = type;
  node.template_name = template_name;
  node.phase = phase;
  node.boundary_id = boundary_id;
  node.started_at = T0();
  if (engine::IsFulfilled(phase)) node.finished_at = T0() + 5s;
  return node;
}

inline engine::WorkflowStatus BaseStatus(engine::WorkflowPhase phase) {
  engine::WorkflowStatus status;
  status.name = "wf";
  status.namespace_ = "default";
  status.phase = phase;
  status.started_at = T0();
  if (phase != engine::WorkflowPhase::kRunning) status.finished_at = T0() + 10s;
  return status;
}

// wf: [hello1] then [hello2a, hello2b], all succeeded.
inline engine::WorkflowStatus StepsStatus() {
  using engine::NodePhase;
  using engine::NodeType;
  engine::WorkflowStatus status = BaseStatus(engine::WorkflowPhase::kSucceeded);
  AddNode(status, "wf", NodeType::kSteps, "wf", "main", NodePhase::kSucceeded).children = {"g0"};
  AddNode(status, "g0", NodeType::kStepGroup, "[0]", "", NodePhase::kSucceeded, "wf").children = {
      "hello1"};
  AddNode(status, "hello1", NodeType::kPod, "hello1", "echo", NodePhase::kSucceeded, "wf")
      .children = {"g1"};
  AddNode(status, "g1", NodeType::kStepGroup, "[1]", "", NodePhase::kSucceeded, "wf").children = {
      "hello2a", "hello2b"};
  AddNode(status, "hello2a", NodeType::kPod, "hello2a", "echo", NodePhase::kSucceeded, "wf");
  AddNode(status, "hello2b", NodeType::kPod, "hello2b", "echo", NodePhase::kSucceeded, "wf");
  return status;
}

// A DAG A -> (B, C) -> D.
inline engine::WorkflowStatus DiamondStatus() {
  using engine::NodePhase;
  using engine::NodeType;
  engine::WorkflowStatus status = BaseStatus(engine::WorkflowPhase::kSucceeded);
  AddNode(status, "wf", NodeType::kDag, "wf", "diamond", NodePhase::kSucceeded).children = {"A"};
  AddNode(status, "A", NodeType::kPod, "A", "echo", NodePhase::kSucceeded, "wf").children = {"B",
                                                                                             "C"};
  AddNode(status, "B", NodeType::kPod, "B", "echo", NodePhase::kSucceeded, "wf").children = {"D"};
  AddNode(status, "C", NodeType::kPod, "C", "echo", NodePhase::kSucceeded, "wf").children = {"D"};
  AddNode(status, "D", NodeType::kPod, "D", "echo", NodePhase::kSucceeded, "wf");
  return status;
}

// One step looping over `items` items ("train(0:0)"...), each in `phase_of(i)`;
// node ids are not in item order, as the engine's hashed ids are not.
template <typename PhaseOf>
engine::WorkflowStatus FanOutStatus(int items, engine::WorkflowPhase phase, PhaseOf phase_of) {
  using engine::NodeType;
  engine::WorkflowStatus status = BaseStatus(phase);
  engine::NodePhase group_phase =
      phase == engine::WorkflowPhase::kRunning     ? engine::NodePhase::kRunning
      : phase == engine::WorkflowPhase::kSucceeded ? engine::NodePhase::kSucceeded
                                                   : engine::NodePhase::kFailed;
  AddNode(status, "wf", NodeType::kSteps, "wf", "main", group_phase).children = {"g0"};
  engine::Node& group = AddNode(status, "g0", NodeType::kStepGroup, "[0]", "", group_phase, "wf");
  std::vector<std::string> ids;
  for (int i = 0; i < items; ++i) {
    std::string id = "wf-" + std::to_string(1000000 + i * 7919 % 1000000);
    std::string label = "train(" + std::to_string(i) + ":" + std::to_string(i) + ")";
    AddNode(status, id, NodeType::kPod, label, "train", phase_of(i), "wf");
    ids.push_back(id);
  }
  group.children = ids;
  return status;
}

}  // namespace loom::engine::fixtures
