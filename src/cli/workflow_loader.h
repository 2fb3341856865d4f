// Loading a workflow for `loom run` and `loom lint`: parse the file, pick the
// document to run, gather -p / --parameter-file values, validate; every
// problem is a Diagnostic printed as file:line:col.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "spec/diagnostic.h"
#include "spec/workflow.h"

namespace loom::cli {

struct LoadRequest {
  std::string file;
  std::optional<std::string> text;  // the workflow itself; `file` then only names it in messages
  std::vector<std::string> parameters;  // "NAME=VALUE" as given with -p
  std::string parameter_file;           // YAML or JSON map of name -> value
  std::string entrypoint;
  bool local_run = true;
};

struct LoadedWorkflow {
  std::vector<spec::Workflow> documents;  // every document of the file
  size_t index = 0;                       // the Workflow to run
  std::map<std::string, std::string> parameters;
  Json document_json;  // the document as written, for -o json
  const spec::Workflow& workflow() const { return documents[index]; }
};

// Parses and validates. On failure returns the diagnostics (or a usage error
// as a diagnostic without position); nothing has run.
Result<LoadedWorkflow> LoadWorkflow(const LoadRequest& request, spec::Diagnostics* diagnostics);

// Lints every document of `file`; returns its diagnostics.
spec::Diagnostics LintFile(const std::string& file);

}  // namespace loom::cli
