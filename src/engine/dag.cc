// DAG templates. Each task keeps a count of dependencies not yet final; when
// it reaches zero the task's `depends` is evaluated and it runs or is
// Omitted. Finishing a task touches only its dependents, so the cost of an
// event does not grow with the DAG.
//
// The DAG's phase follows Argo's assessDAGPhase: only target tasks (dag.target,
// else the leaves) count; a Skipped or Omitted task inherits the "branch
// phase" of its dependencies, preferring Failed/Error. After a target
// fails, tasks whose dependencies resolve still start (Argo's executeDAGTask
// runs whatever is ready before assessDAGPhase looks), and the DAG fails once
// none is running; dag.failFast (default true) only lets it fail without
// waiting for targets not yet started. Only the template-level `failFast:
// true` (checkParallelism) stops new tasks after a failure.
#include <sstream>

#include "engine/bindings.h"
#include "engine/frames.h"
#include "engine/launch.h"
#include "engine/names.h"
#include "expr/template.h"

namespace loom::engine {

namespace {

constexpr unsigned kBranchSucceeded = 1, kBranchFailed = 2, kBranchError = 4;

bool ContinuesOn(const spec::Invocation& task, NodePhase phase) {
  if (!task.continue_on) return false;
  return (phase == NodePhase::kFailed && task.continue_on->failed) ||
         (phase == NodePhase::kError && task.continue_on->error);
}

// `dependencies: [A, B]` as the equivalent depends expression.
std::string DependsFromList(const std::vector<std::string>& names,
                            const std::vector<const spec::Invocation*>& deps) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& n = names[i];
    std::string term = n + ".Succeeded || " + n + ".Skipped || " + n + ".Daemoned";
    if (deps[i] && deps[i]->continue_on) {
      if (deps[i]->continue_on->failed) term += " || " + n + ".Failed";
      if (deps[i]->continue_on->error) term += " || " + n + ".Errored";
    }
    out += (out.empty() ? "(" : " && (") + term + ")";
  }
  return out;
}

}  // namespace

void DagFrame::Begin(WorkflowRun& run) {
  const spec::Dag& dag = tmpl->dag;
  fail_fast = dag.fail_fast.value_or(true);
  halt_on_failure = tmpl->fail_fast.value_or(false);
  if (tmpl->parallelism) {
    try {
      parallelism = std::stoul(*tmpl->parallelism);
    } catch (const std::exception&) {
    }
  }
  tasks.resize(dag.tasks.size());
  for (size_t i = 0; i < dag.tasks.size(); ++i) {
    tasks[i].spec = &dag.tasks[i];
    index[dag.tasks[i].name] = static_cast<int>(i);
  }
  for (size_t i = 0; i < tasks.size(); ++i) {
    Task& task = tasks[i];
    std::string logic;
    if (task.spec->depends) {
      logic = *task.spec->depends;
    } else if (!task.spec->dependencies.empty()) {
      std::vector<const spec::Invocation*> deps;
      for (const std::string& d : task.spec->dependencies) {
        auto it = index.find(d);
        deps.push_back(it == index.end() ? nullptr : tasks[it->second].spec);
      }
      logic = DependsFromList(task.spec->dependencies, deps);
    }
    if (logic.empty()) continue;
    auto parsed = expr::DependsExpression::Parse(logic);
    if (!parsed.ok()) {
      run.Complete(node_id, NodePhase::kError,
                   "task '" + task.spec->name + "': invalid depends: " + parsed.error());
      return;
    }
    for (const std::string& name : parsed->tasks()) {
      auto it = index.find(name);
      if (it == index.end()) {
        run.Complete(node_id, NodePhase::kError,
                     "task '" + task.spec->name + "' depends on unknown task '" + name + "'");
        return;
      }
      task.dependencies.push_back(it->second);
      tasks[it->second].dependents.push_back(static_cast<int>(i));
    }
    task.unresolved = static_cast<int>(task.dependencies.size());
    task.depends = std::move(*parsed);
  }

  if (dag.target) {
    auto text = expr::Substitute(*dag.target, *scope);
    if (!text.ok()) {
      run.Complete(node_id, NodePhase::kError, text.error());
      return;
    }
    std::istringstream names(*text);
    for (std::string name; names >> name;) {
      auto it = index.find(name);
      if (it == index.end()) {
        run.Complete(node_id, NodePhase::kError, "target '" + name + "' is not a task of the DAG");
        return;
      }
      if (!tasks[it->second].target) targets.push_back(it->second);
      tasks[it->second].target = true;
    }
  } else {
    for (size_t i = 0; i < tasks.size(); ++i) {
      if (!tasks[i].dependents.empty()) continue;
      tasks[i].target = true;
      targets.push_back(static_cast<int>(i));
    }
  }
  std::vector<int> stack = targets;
  while (!stack.empty()) {
    int t = stack.back();
    stack.pop_back();
    if (tasks[t].needed) continue;
    tasks[t].needed = true;
    for (int d : tasks[t].dependencies) stack.push_back(d);
  }
  // A task's count covers only needed dependencies (all of them are needed).
  targets_pending = static_cast<int>(targets.size());
  for (size_t i = 0; i < tasks.size(); ++i) {
    if (tasks[i].needed && tasks[i].unresolved == 0) Ready(run, static_cast<int>(i));
  }
  CheckFinished(run);
}

void DagFrame::Ready(WorkflowRun& run, int t) {
  if (Halted()) return;
  if (parallelism && active >= static_cast<int>(*parallelism) &&
      run.shutdown() == Shutdown::kNone) {
    waiting.push_back(t);
    return;
  }
  Launch(run, t);
}

expr::TaskResults DagFrame::ResultsOf(WorkflowRun& run, int t) {
  const Node& node = run.node(tasks[t].node_id);
  expr::TaskResults r;
  r.succeeded = node.phase == NodePhase::kSucceeded;
  r.failed = node.phase == NodePhase::kFailed;
  r.errored = node.phase == NodePhase::kError;
  r.skipped = node.phase == NodePhase::kSkipped;
  r.omitted = node.phase == NodePhase::kOmitted;
  if (node.type == NodeType::kTaskGroup) {
    r.all_failed = !tasks[t].item_ids.empty();
    for (const std::string& id : tasks[t].item_ids) {
      NodePhase p = run.node(id).phase;
      r.any_succeeded = r.any_succeeded || p == NodePhase::kSucceeded;
      r.all_failed = r.all_failed && p == NodePhase::kFailed;
    }
  }
  return r;
}

void DagFrame::Launch(WorkflowRun& run, int t) {
  Task& task = tasks[t];
  task.started = true;
  ++active;
  ++in_flight;
  Node& self = run.node(node_id);
  Invocation base;
  base.node_name = self.name + "." + task.spec->name;
  base.display_name = task.spec->name;
  base.boundary_id = node_id;
  base.parent_id = node_id;
  base.slot = t;
  base.depth = invocation.depth + 1;
  base.on_exit = invocation.on_exit;
  base.deadline = invocation.deadline;

  auto connect = [&](const std::string& id) {
    if (task.dependencies.empty()) {
      run.AddChild(node_id, id);
      return;
    }
    for (int d : task.dependencies) {
      for (const std::string& o : run.OutboundNodes(tasks[d].node_id)) run.AddChild(o, id);
    }
  };

  if (task.depends && !task.depends->Evaluate(
                          [&](const std::string& name) { return ResultsOf(run, index[name]); })) {
    std::string error;
    base.tmpl = run.ResolveTemplate(*task.spec, &error);
    task.node_id = run.CreateFinishedNode(base, NodeType::kSkipped, NodePhase::kOmitted,
                                          "omitted: depends condition not met");
    connect(task.node_id);
    return;
  }
  if (!IsLoop(*task.spec)) {
    task.node_id = LaunchInstance(run, *task.spec, *scope, std::nullopt, base);
    connect(task.node_id);
    return;
  }
  auto items = ExpandItems(*task.spec, *scope);
  if (!items.ok() || items->empty()) {
    task.node_id = items.ok() ? run.CreateFinishedNode(base, NodeType::kSkipped,
                                                       NodePhase::kSkipped, kEmptyLoopMessage)
                              : run.CreateFinishedNode(base, NodeType::kSkipped, NodePhase::kError,
                                                       items.error());
    connect(task.node_id);
    return;
  }
  Node& group = run.CreateNode(base.node_name, base.display_name, NodeType::kTaskGroup,
                               task.spec->template_name, node_id);
  task.node_id = group.id;
  connect(task.node_id);
  task.items_pending = static_cast<int>(items->size());
  for (size_t k = 0; k < items->size(); ++k) {
    const Json& item = (*items)[k];
    Invocation child = base;
    std::string suffix = "(" + std::to_string(k) + ":" + ItemLabel(item) + ")";
    child.node_name += suffix;
    child.display_name += suffix;
    std::string id = LaunchInstance(run, *task.spec, *scope, item, child);
    task.item_ids.push_back(id);
    run.AddChild(task.node_id, id);
  }
}

void DagFrame::OnChildDone(WorkflowRun& run, int t, const std::string& child_id) {
  Task& task = tasks[t];
  if (task.hook_running) {
    task.hook_running = false;
    Finalize(run, t);
    return;
  }
  if (!task.item_ids.empty() || run.node(task.node_id).type == NodeType::kTaskGroup) {
    if (child_id == task.node_id) return;
    if (--task.items_pending > 0) return;
    NodePhase phase = NodePhase::kSucceeded;
    for (const std::string& id : task.item_ids) {
      NodePhase p = run.node(id).phase;
      if (p == NodePhase::kFailed || p == NodePhase::kError) phase = p;
    }
    run.Complete(task.node_id, phase);
  }
  TaskNodeDone(run, t);
}

void DagFrame::TaskNodeDone(WorkflowRun& run, int t) {
  Task& task = tasks[t];
  --active;
  while (!waiting.empty() && !Halted() &&
         (!parallelism || active < static_cast<int>(*parallelism))) {
    int next = waiting.front();
    waiting.pop_front();
    Launch(run, next);
  }
  const Node& node = run.node(task.node_id);
  std::string prefix = "tasks." + task.spec->name;
  if (node.type == NodeType::kTaskGroup) {
    std::vector<const Node*> children;
    for (const std::string& id : task.item_ids) children.push_back(&run.node(id));
    RecordAggregateResults(*scope, prefix, children, node);
  } else {
    RecordNodeResults(*scope, prefix, node);
  }
  auto hook = FindExitHook(*task.spec);
  bool completed = node.phase == NodePhase::kSucceeded || node.phase == NodePhase::kFailed ||
                   node.phase == NodePhase::kError;
  if (hook && completed) {
    task.hook_running = true;
    LaunchExitHook(run, *hook, *scope, node, node_id, node_id, t, invocation.depth, true);
    return;
  }
  Finalize(run, t);
}

void DagFrame::Finalize(WorkflowRun& run, int t) {
  Task& task = tasks[t];
  task.final = true;
  --in_flight;
  const Node& node = run.node(task.node_id);
  switch (node.phase) {
    case NodePhase::kSucceeded:
      task.branch = kBranchSucceeded;
      break;
    case NodePhase::kFailed:
      task.branch = kBranchFailed;
      break;
    case NodePhase::kError:
      task.branch = kBranchError;
      break;
    default:
      for (int d : task.dependencies) task.branch |= tasks[d].branch;
      if (task.branch == 0) task.branch = kBranchSucceeded;
  }
  if (task.target) {
    --targets_pending;
    NodePhase failed = (task.branch & kBranchFailed) ? NodePhase::kFailed : NodePhase::kError;
    if ((task.branch & (kBranchFailed | kBranchError)) && !ContinuesOn(*task.spec, failed) &&
        !failed_target) {
      failed_target = failed;
    }
  }
  for (int d : task.dependents) {
    if (tasks[d].needed && --tasks[d].unresolved == 0 && !tasks[d].started) Ready(run, d);
  }
  CheckFinished(run);
}

bool DagFrame::Halted() const { return finished || (halt_on_failure && failed_target); }

void DagFrame::OnShutdown(WorkflowRun& run) {
  while (!waiting.empty() && !Halted()) {
    int next = waiting.front();
    waiting.pop_front();
    Launch(run, next);
  }
}

void DagFrame::CheckFinished(WorkflowRun& run) {
  if (finished) return;
  // Like assessDAGPhase, a failing DAG stays Running until the tasks already
  // started have finished.
  bool failing = failed_target && (fail_fast || targets_pending == 0);
  if (failing ? in_flight > 0 : targets_pending > 0) return;
  finished = true;
  Node& self = run.node(node_id);
  for (int t : targets) {
    if (tasks[t].node_id.empty()) continue;
    for (std::string& o : run.OutboundNodes(tasks[t].node_id)) self.outbound_nodes.push_back(o);
  }
  if (failed_target) {
    run.Complete(node_id, *failed_target);
    return;
  }
  auto outputs = ComputeTemplateOutputs(*tmpl, *scope);
  if (!outputs.ok()) {
    run.Complete(node_id, NodePhase::kError, outputs.error());
    return;
  }
  self.outputs = std::move(*outputs);
  run.PublishGlobalOutputs(self);
  run.Complete(node_id, NodePhase::kSucceeded);
}

}  // namespace loom::engine
