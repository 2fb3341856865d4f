// Turning one step (of a steps template) or task (of a dag) into nodes:
// expanding withItems/withParam/withSequence into instances, then for each
// instance evaluating `when`, resolving arguments and invoking the template.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "engine/workflow_run.h"
#include "expr/scope.h"
#include "spec/workflow.h"

namespace loom::engine {

// The message of the Skipped node that stands for a loop with no items.
inline constexpr const char* kEmptyLoopMessage = "Skipped, empty params";

// Whether the step fans out over a loop.
bool IsLoop(const spec::Invocation& step);

// The items of a looped step, in order. Errors: withParam that is not a JSON
// list, a bad withSequence.
Result<std::vector<Json>> ExpandItems(const spec::Invocation& step, const expr::Scope& scope);

// Launches one instance of `step` (with its loop item, if any) under `base`
// (name, display name, boundary, parent and slot set by the caller). Always
// creates a node, possibly already final (Skipped, Error). Returns its id.
std::string LaunchInstance(WorkflowRun& run, const spec::Invocation& step, const expr::Scope& scope,
                           const std::optional<Json>& item, Invocation base);

// The exit hook of a step or task (hooks.exit, or the older onExit), if any.
struct ExitHook {
  std::string template_name;
  const spec::Arguments* arguments = nullptr;
};
std::optional<ExitHook> FindExitHook(const spec::Invocation& step);

// Invokes a step's exit hook as node "<step node name>.onExit". Returns its id.
std::string LaunchExitHook(WorkflowRun& run, const ExitHook& hook, const expr::Scope& scope,
                           const Node& step_node, const std::string& boundary_id,
                           const std::string& parent_id, int slot, int depth, bool on_exit);

}  // namespace loom::engine
