// Checking a workflow submitted as JSON before anything runs: parse it (JSON
// is YAML, so the spec parser reads it and its diagnostics give line:col in
// the pretty-printed text), resolve its references to stored templates and
// validate it for a local run (template_library.h).
#pragma once

#include <string>
#include <vector>

#include "base/json.h"
#include "server/api_result.h"
#include "server/template_library.h"
#include "spec/workflow.h"
#include "store/store.h"

namespace loom::server {

struct Submission {
  Json document;  // as submitted, apiVersion and kind defaulted
  // The Workflow as it runs (joined with its workflowTemplateRef's
  // template), then the stored templates it references: its library.
  std::vector<spec::Workflow> documents;
  // With workflowTemplateRef: the joined spec, for status.storedWorkflowTemplateSpec.
  Json stored_template_spec;
};

// 400 with every diagnostic, one `workflow:line:col: error: ...` a line.
ApiResult<Submission> CheckSubmission(Json workflow, const TemplateLookup& templates);

// What a stored workflow runs when it runs again after a restart: its
// document, with the spec it was joined to at submit when it has a
// workflowTemplateRef (status.storedWorkflowTemplateSpec), so that it goes
// on with what it started with whatever became of the template.
Json ContinuedDocument(const store::WorkflowHeader& header);

}  // namespace loom::server
