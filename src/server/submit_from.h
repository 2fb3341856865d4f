// A Workflow made from a stored resource and submitted, as Argo Server's
// SubmitWorkflow does (POST /api/v1/workflows/{namespace}/submit) and as
// `loom submit --from KIND/NAME` does without a server: the resource's kind
// makes the Workflow (a WorkflowTemplate: one with workflowTemplateRef and
// the workflow-template label), then the submit options are applied to it
// as Argo's util.ApplySubmitOpts applies them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "server/api_result.h"
#include "store/store.h"

namespace loom::server {

// Argo's SubmitOpts, the fields Loom honours.
struct SubmitOptions {
  std::vector<std::string> parameters;  // "NAME=VALUE"
  std::string entrypoint;
  std::string labels;       // "a=b,c=d"
  std::string annotations;  // "a=b,c=d"
  std::string name;
  std::string generate_name;
  std::optional<int> priority;
  bool dry_run = false;  // dryRun or serverDryRun: checked and named, not created
};

// Reads a WorkflowSubmitRequest's submitOptions (absent: {}); 400 for a
// field of the wrong type.
ApiResult<SubmitOptions> ParseSubmitOptions(const Json& submit_options);
// The submitOptions that ParseSubmitOptions reads back as `options`.
Json SubmitOptionsToJson(const SubmitOptions& options);

// The Workflow that the resource `kind` `name` of `namespace_` stands for,
// before the submit options. 400 for a kind that cannot be submitted, 404
// when there is no such resource.
ApiResult<Json> WorkflowFromResource(store::Store& store, const std::string& kind,
                                     const std::string& namespace_, const std::string& name);

// The kinds WorkflowFromResource takes, for messages and the CLI.
std::vector<std::string> SubmittableKinds();

// `workflow` with the options applied: entrypoint, priority, labels,
// annotations, parameters (a value for each one named, the others appended),
// then generateName and name. 400 for a malformed parameter or label.
ApiResult<Json> ApplySubmitOptions(Json workflow, const SubmitOptions& options);

}  // namespace loom::server
