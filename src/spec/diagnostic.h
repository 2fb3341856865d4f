// A problem found in a workflow file, reported as `file:line:col: error: message`.
#pragma once

#include <string>
#include <vector>

#include "spec/workflow.h"

namespace loom::spec {

struct Diagnostic {
  std::string file;
  SourcePos pos;
  std::string message;

  // "file:line:col: error: message" (line and column omitted when unknown).
  std::string ToString() const;
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace loom::spec
