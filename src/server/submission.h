// Checking a workflow submitted as JSON before anything runs: parse it (JSON
// is YAML, so the spec parser reads it and its diagnostics give line:col in
// the pretty-printed text) and validate it for a local run.
#pragma once

#include <string>
#include <vector>

#include "base/json.h"
#include "server/api_result.h"
#include "spec/workflow.h"

namespace loom::server {

struct Submission {
  Json document;                          // as submitted, apiVersion and kind defaulted
  std::vector<spec::Workflow> documents;  // the parsed model (one Workflow)
};

// 400 with every diagnostic, one `workflow:line:col: error: ...` a line.
ApiResult<Submission> CheckSubmission(Json workflow);

}  // namespace loom::server
