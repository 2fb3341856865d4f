// Semantic validation of a parsed document, the checks Argo's validator makes
// and a few more: entrypoint present and known, template/step/task names
// unique and known, DAG cycles, `dependencies` together with `depends`,
// required input parameters supplied, enum values, withSequence with both
// count and end, resource quantities, references to outputs that cannot
// exist, variables that cannot resolve. Used by `loom lint` and before every run.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "spec/diagnostic.h"
#include "spec/workflow.h"

namespace loom::spec {

struct ValidateOptions {
  // Parameter values given on the command line (-p), checked against enums
  // and counted as supplying required workflow arguments.
  std::map<std::string, std::string> parameters;
  std::string entrypoint_override;
  // Other documents whose templates `templateRef` / `workflowTemplateRef` may name.
  const std::vector<Workflow>* library = nullptr;
  // True for `loom run` on the local executor: fields only Kubernetes can
  // honour (sidecars, daemon, podSpecPatch, non-emptyDir volumes, s3/gcs/git/
  // http artifacts, resource templates, ...) are errors instead of being
  // silently ignored. `loom lint` leaves it false and accepts them.
  bool local_run = false;
};

Diagnostics Validate(const Workflow& workflow, const ValidateOptions& options = {});

}  // namespace loom::spec
