// Parse, resolve and validate a submitted workflow.
#include "server/submission.h"

#include "server/workflow_template.h"
#include "spec/parser.h"

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

ApiResult<Submission> CheckSubmission(Json workflow, const TemplateLookup& templates) {
  if (!workflow.is_object()) return BadRequest("body.workflow must be a Workflow object");
  // `argo submit` fills these in; a client posting a bare spec means a Workflow.
  if (!workflow.contains("apiVersion")) workflow["apiVersion"] = "argoproj.io/v1alpha1";
  if (!workflow.contains("kind")) workflow["kind"] = "Workflow";

  spec::ParseResult parsed = spec::ParseText(workflow.dump(2), "workflow");
  if (!parsed.ok()) return Invalid(parsed.diagnostics);
  if (parsed.documents.size() != 1 || parsed.documents[0].kind != spec::Kind::kWorkflow) {
    return BadRequest("body.workflow must be one document of kind Workflow");
  }
  RunDocuments run;
  run.documents = std::move(parsed.documents);
  run.json = {workflow};
  spec::ValidateOptions options;
  options.local_run = true;
  spec::Diagnostics diagnostics = PrepareToRun(run, templates, options);
  if (!diagnostics.empty()) return Invalid(diagnostics);
  return Submission{std::move(workflow), std::move(run.documents),
                    std::move(run.stored_template_spec)};
}

Json ContinuedDocument(const store::WorkflowHeader& header) {
  Json document = header.document;
  auto stored = header.status.find(kStoredTemplateSpecField);
  if (stored == header.status.end() || !stored->is_object()) return document;
  Json spec = *stored;
  spec.erase("workflowTemplateRef");
  // What the server itself recorded in the spec since (stop, suspend).
  const Json& submitted = document.value("spec", Json::object());
  for (const char* key : {"shutdown", "suspend"}) {
    if (submitted.is_object() && submitted.contains(key)) {
      spec[key] = submitted[key];
    } else {
      spec.erase(key);
    }
  }
  document["spec"] = std::move(spec);
  return document;
}

}  // namespace loom::server
