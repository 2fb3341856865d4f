// Reads Argo YAML (or JSON) into the typed model, keeping source positions.
// A file may hold several `---`-separated documents.
//
// Parsing applies `spec.templateDefaults` to every template (fields a template
// sets win, as Argo's merge does) and rejects what cannot be read: malformed
// YAML, wrong apiVersion or kind, unknown fields ("did you mean ...?"), wrong
// types. Semantic checks live in validator.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "spec/diagnostic.h"
#include "spec/workflow.h"

namespace loom::spec {

struct ParseResult {
  std::vector<Workflow> documents;  // the documents that parsed
  Diagnostics diagnostics;          // empty when everything parsed
  bool ok() const { return diagnostics.empty(); }
};

// Parses `text`; `file` is used in diagnostics and Workflow::file.
ParseResult ParseText(std::string_view text, const std::string& file);

// Reads and parses a file ("-" reads standard input).
ParseResult ParseFile(const std::string& path);

}  // namespace loom::spec
