// How `loom template` and `loom cluster-template` show templates: a table
// (NAME AGE, with -o wide also ENTRYPOINT, TEMPLATES and LABELS) and a block
// of `Field:  value` lines like `argo template get`.
#pragma once

#include <chrono>
#include <ostream>
#include <vector>

#include "base/json.h"

namespace loom::cli {

// The list table; with `namespaces` a NAMESPACE column comes first. Ages are
// relative to `now`.
void PrintTemplateTable(std::ostream& out, const std::vector<Json>& templates, bool namespaces,
                        bool wide, std::chrono::system_clock::time_point now);

// Name, namespace, created, labels, entrypoint, templates, parameters.
void PrintTemplateDetails(std::ostream& out, const Json& tmpl,
                          std::chrono::system_clock::time_point now);

}  // namespace loom::cli
