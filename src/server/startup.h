// What the controller does with the store when it starts: counts workflows
// by phase for /metrics, and takes up those a previous server left Pending or
// Running, to continue them (see EarlierRun::Kind::kContinued). One that can
// no longer be parsed is marked Error instead, saying why.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "server/active_workflow.h"
#include "server/metrics.h"
#include "store/store.h"

namespace loom::server {

inline constexpr char kRestartMessage[] =
    "the Loom server restarted while this workflow ran and could not continue it";

// Counts the finished workflows into `metrics` and returns the unfinished ones.
Result<std::vector<store::StoredWorkflow>> LoadUnfinished(store::Store& store, Metrics& metrics);

// The workflow `stored` as an ActiveWorkflow that continues its run; an
// error if its document or nodes cannot be read any more.
Result<std::unique_ptr<ActiveWorkflow>> ContinueWorkflow(store::StoredWorkflow stored);

// Marks a workflow that cannot be continued, and its unfinished nodes, Error.
Status MarkInterrupted(store::Store& store, store::WorkflowHeader header, const std::string& why);

}  // namespace loom::server
