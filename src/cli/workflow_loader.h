// Loading a workflow for `loom run` and `loom lint`: parse the file, pick the
// document to run, gather -p / --parameter-file values, resolve its
// references to stored templates (server/template_library.h), validate;
// every problem is a Diagnostic printed as file:line:col.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "server/template_library.h"
#include "spec/diagnostic.h"
#include "spec/parser.h"
#include "spec/workflow.h"

namespace loom::cli {

struct LoadRequest {
  std::string file;
  std::optional<std::string> text;  // the workflow itself; `file` then only names it in messages
  std::vector<std::string> parameters;  // "NAME=VALUE" as given with -p
  std::string parameter_file;           // YAML or JSON map of name -> value
  std::string entrypoint;
  bool local_run = true;
  // Where templateRef and workflowTemplateRef find the templates that the
  // file does not hold (unset: nowhere else).
  server::TemplateLookup templates;
};

struct LoadedWorkflow {
  // Every document of the file, then the stored templates the Workflow
  // references; documents[index] is the Workflow as it runs (joined with the
  // template its workflowTemplateRef names).
  std::vector<spec::Workflow> documents;
  size_t index = 0;
  std::map<std::string, std::string> parameters;
  Json document_json;  // the document as written, for -o json
  // With workflowTemplateRef: the joined spec, for status.storedWorkflowTemplateSpec.
  Json stored_template_spec;
  const spec::Workflow& workflow() const { return documents[index]; }
};

// The text of `file` ("-": standard input); the error names the file.
Result<std::string> ReadFileText(const std::string& file);

// Parses and validates. On failure returns the diagnostics (or a usage error
// as a diagnostic without position); nothing has run.
Result<LoadedWorkflow> LoadWorkflow(const LoadRequest& request, spec::Diagnostics* diagnostics);

// Lints every document `parsed` holds, their templateRefs resolved among
// them and then in `templates`; returns the diagnostics (the parse's own
// when it failed). `local_run`: fields only Kubernetes can honour are errors.
spec::Diagnostics LintDocuments(const spec::ParseResult& parsed,
                                const server::TemplateLookup& templates, bool local_run);

// LintDocuments of `file`, for any executor.
spec::Diagnostics LintFile(const std::string& file, const server::TemplateLookup& templates);

}  // namespace loom::cli
