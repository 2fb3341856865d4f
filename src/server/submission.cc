// Parse and validate a submitted workflow.
#include "server/submission.h"

#include "spec/parser.h"
#include "spec/validator.h"

namespace loom::server {

namespace {

ApiError Invalid(const spec::Diagnostics& diagnostics) {
  std::string message;
  for (const spec::Diagnostic& d : diagnostics) {
    message += (message.empty() ? "" : "\n") + d.ToString();
  }
  return BadRequest(message);
}

}  // namespace

ApiResult<Submission> CheckSubmission(Json workflow) {
  if (!workflow.is_object()) return BadRequest("body.workflow must be a Workflow object");
  // `argo submit` fills these in; a client posting a bare spec means a Workflow.
  if (!workflow.contains("apiVersion")) workflow["apiVersion"] = "argoproj.io/v1alpha1";
  if (!workflow.contains("kind")) workflow["kind"] = "Workflow";

  spec::ParseResult parsed = spec::ParseText(workflow.dump(2), "workflow");
  if (!parsed.ok()) return Invalid(parsed.diagnostics);
  if (parsed.documents.size() != 1 || parsed.documents[0].kind != spec::Kind::kWorkflow) {
    return BadRequest("body.workflow must be one document of kind Workflow");
  }
  spec::ValidateOptions options;
  options.library = &parsed.documents;
  options.local_run = true;
  spec::Diagnostics diagnostics = spec::Validate(parsed.documents[0], options);
  if (!diagnostics.empty()) return Invalid(diagnostics);
  return Submission{std::move(workflow), std::move(parsed.documents)};
}

}  // namespace loom::server
