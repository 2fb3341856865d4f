// Binding values to templates: resolving a step's arguments in its caller's
// scope, binding them to a template's inputs (defaults, enums, required
// parameters), and building the scope a template's fields are resolved in.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "engine/node.h"
#include "engine/workflow_run.h"
#include "expr/scope.h"
#include "spec/workflow.h"

namespace loom::engine {

// Resolves `{{...}}` in argument values and `from`/`fromExpression` artifact
// references. An argument that is nothing but a reference to the output of a
// skipped step is dropped, so the input's default applies (as Argo does).
Result<ResolvedArguments> ResolveArguments(const spec::Arguments& arguments,
                                           const expr::Scope& scope);

// Binds arguments to the template's inputs: argument > input value > default.
// Errors: "inputs.parameters.X was not supplied", enum violations, artifacts
// that are not supplied and not optional.
Result<NodeInputs> BindInputs(const spec::Template& tmpl, const ResolvedArguments& arguments,
                              const expr::Scope& global);

// The scope a template's fields resolve in: inputs.*, outputs.*.path, node.name.
std::unique_ptr<expr::Scope> MakeTemplateScope(const expr::Scope& global,
                                               const spec::Template& tmpl, const NodeInputs& inputs,
                                               const std::string& node_name,
                                               const std::string& node_id);

// Artifacts travel through scopes as JSON objects; these convert both ways.
Json ArtifactToJson(const ArtifactValue& artifact);
std::optional<ArtifactValue> ArtifactFromJson(const Json& value);

// Stores a finished step/task node's results in `scope` under `prefix`
// ("steps.A" / "tasks.A"): id, status, exitCode, startedAt, finishedAt,
// outputs.result, outputs.parameters.P, outputs.artifacts.A.
void RecordNodeResults(expr::Scope& scope, const std::string& prefix, const Node& node);

// The same for a looped step/task: outputs aggregated over its children as
// JSON lists (outputs.parameters, outputs.parameters.P, outputs.result).
void RecordAggregateResults(expr::Scope& scope, const std::string& prefix,
                            const std::vector<const Node*>& children, const Node& group);

// The outputs of a steps or dag template, from its scope after it finished.
Result<NodeOutputs> ComputeTemplateOutputs(const spec::Template& tmpl, const expr::Scope& scope);

// An RFC 3339 UTC timestamp with seconds: "2026-11-22T13:44:17Z".
std::string FormatTime(TimePoint time);

}  // namespace loom::engine
