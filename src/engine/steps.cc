// Steps templates: groups run in order, the steps of a group in parallel.
// A group fails when a child fails without continueOn; the template then
// fails with the group's message and later groups never start.
#include "engine/bindings.h"
#include "engine/frames.h"
#include "engine/launch.h"
#include "engine/names.h"

namespace loom::engine {

namespace {

bool ContinuesOn(const spec::Invocation& step, NodePhase phase) {
  if (!step.continue_on) return false;
  return (phase == NodePhase::kFailed && step.continue_on->failed) ||
         (phase == NodePhase::kError && step.continue_on->error);
}

bool FailedOrError(NodePhase phase) {
  return phase == NodePhase::kFailed || phase == NodePhase::kError;
}

bool Completed(NodePhase phase) { return phase == NodePhase::kSucceeded || FailedOrError(phase); }

}  // namespace

void StepsFrame::StartGroup(WorkflowRun& run, size_t index) {
  group_index = index;
  Node& self = run.node(node_id);
  if (index >= tmpl->steps.size()) {
    auto outputs = ComputeTemplateOutputs(*tmpl, *scope);
    self.outbound_nodes = previous_outbound;
    if (!outputs.ok()) {
      run.Complete(node_id, NodePhase::kError, outputs.error());
      return;
    }
    self.outputs = std::move(*outputs);
    run.PublishGlobalOutputs(self);
    run.Complete(node_id, NodePhase::kSucceeded);
    return;
  }
  if (index == 0 && tmpl->parallelism) {
    try {
      parallelism = std::stoul(*tmpl->parallelism);
    } catch (const std::exception&) {
    }
  }
  std::string label = "[" + std::to_string(index) + "]";
  std::string group_name = self.name + label;
  Node& group_node = run.CreateNode(group_name, label, NodeType::kStepGroup, tmpl->name, node_id);
  group = StepsGroupState{};
  group.node_id = group_node.id;
  if (index == 0) {
    run.AddChild(node_id, group.node_id);
  } else {
    for (const std::string& o : previous_outbound) run.AddChild(o, group.node_id);
  }

  for (const spec::Invocation& step : tmpl->steps[index]) {
    Invocation base;
    base.boundary_id = node_id;
    base.parent_id = node_id;
    base.depth = invocation.depth + 1;
    base.on_exit = invocation.on_exit;
    base.deadline = invocation.deadline;
    auto launch_one = [&](const std::string& suffix, std::optional<Json> item) {
      Invocation child = base;
      child.node_name = group_name + "." + step.name + suffix;
      child.display_name = step.name + suffix;
      child.slot = static_cast<int>(group.children.size());
      group.children.emplace_back(&step, "");
      ++group.pending;
      Launch(run, [this, &run, &step, child, item] {
        std::string id = LaunchInstance(run, step, *scope, item, child);
        group.children[child.slot].second = id;
        run.AddChild(group.node_id, id);
      });
    };
    if (!IsLoop(step)) {
      launch_one("", std::nullopt);
      continue;
    }
    auto items = ExpandItems(step, *scope);
    if (!items.ok() || items->empty()) {
      // Argo gives a loop that cannot expand, or expands to nothing, one
      // Skipped node in place of its items.
      Invocation child = base;
      child.node_name = group_name + "." + step.name;
      child.display_name = step.name;
      child.slot = static_cast<int>(group.children.size());
      group.children.emplace_back(&step, "");
      ++group.pending;
      std::string id = items.ok() ? run.CreateFinishedNode(child, NodeType::kSkipped,
                                                           NodePhase::kSkipped, kEmptyLoopMessage)
                                  : run.CreateFinishedNode(child, NodeType::kSkipped,
                                                           NodePhase::kError, items.error());
      group.children[child.slot].second = id;
      run.AddChild(group.node_id, id);
      continue;
    }
    for (size_t k = 0; k < items->size(); ++k) {
      const Json& item = (*items)[k];
      launch_one("(" + std::to_string(k) + ":" + ItemLabel(item) + ")", item);
    }
  }
  if (group.pending == 0) FinishGroup(run);
}

void StepsFrame::Launch(WorkflowRun& run, std::function<void()> launch) {
  if (parallelism && group.active >= static_cast<int>(*parallelism) &&
      run.shutdown() == Shutdown::kNone) {
    group.waiting.push_back(std::move(launch));
    return;
  }
  ++group.active;
  launch();
}

void StepsFrame::OnShutdown(WorkflowRun&) {
  while (!group.waiting.empty()) {
    auto launch = std::move(group.waiting.front());
    group.waiting.pop_front();
    ++group.active;
    launch();
  }
}

void StepsFrame::OnChildDone(WorkflowRun& run, int slot, const std::string& child_id) {
  if (slot >= 0) {
    const spec::Invocation& step = *group.children[slot].first;
    const Node& child = run.node(child_id);
    auto hook = FindExitHook(step);
    if (hook && Completed(child.phase)) {
      RecordNodeResults(*scope, "steps." + step.name, child);
      LaunchExitHook(run, *hook, *scope, child, node_id, node_id, -1 - slot, invocation.depth,
                     true);
      return;
    }
  }
  --group.active;
  while (!group.waiting.empty() &&
         (!parallelism || group.active < static_cast<int>(*parallelism))) {
    auto launch = std::move(group.waiting.front());
    group.waiting.pop_front();
    ++group.active;
    launch();
  }
  if (--group.pending == 0) FinishGroup(run);
}

void StepsFrame::FinishGroup(WorkflowRun& run) {
  std::string failure;
  NodePhase group_phase = NodePhase::kFailed;
  std::vector<std::string> outbound;
  for (const auto& [step, id] : group.children) {
    const Node& child = run.node(id);
    if (failure.empty() && FailedOrError(child.phase) && !ContinuesOn(*step, child.phase)) {
      // A step that could not even be resolved (bad `when`, arguments or
      // loop) errors its group, as Argo's markNodeError(sgNodeName, err).
      if (child.type == NodeType::kSkipped && child.phase == NodePhase::kError) {
        group_phase = NodePhase::kError;
        failure = child.message;
      } else {
        failure = "child '" + id + "' failed";
      }
    }
    for (std::string& o : run.OutboundNodes(id)) outbound.push_back(std::move(o));
  }
  for (const spec::Invocation& step : tmpl->steps[group_index]) {
    std::vector<const Node*> nodes;
    for (const auto& [s, id] : group.children) {
      if (s == &step) nodes.push_back(&run.node(id));
    }
    if (nodes.empty()) continue;
    if (IsLoop(step)) {
      RecordAggregateResults(*scope, "steps." + step.name, nodes, run.node(group.node_id));
    } else {
      RecordNodeResults(*scope, "steps." + step.name, *nodes.front());
    }
  }
  if (outbound.empty()) outbound.push_back(group.node_id);
  previous_outbound = std::move(outbound);
  if (!failure.empty()) {
    run.Complete(group.node_id, group_phase, failure);
    run.node(node_id).outbound_nodes = previous_outbound;
    run.Complete(node_id, NodePhase::kFailed, failure);
    return;
  }
  run.Complete(group.node_id, NodePhase::kSucceeded);
  StartGroup(run, group_index + 1);
}

}  // namespace loom::engine
