// The end-of-run summary of `loom run`, like `argo get`: the workflow's
// name, phase, times, progress and parameters, then the tree of its nodes.
#pragma once

#include <ostream>

#include "engine/node.h"

namespace loom::cli {

// Prints the summary of `status` to `out`, with ANSI colors when `color`.
// Stays short for huge workflows: a run of many alike siblings (a loop's
// items, many tasks of one template) shows its first few, every failure (up
// to a bound) with its message, and one "… 2,497 more: 2,495 ✔ 2 ✖" line.
void PrintSummary(std::ostream& out, const engine::WorkflowStatus& status, bool color);

}  // namespace loom::cli
