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
// Its templateRefs resolve against `store`'s templates.
Result<std::unique_ptr<ActiveWorkflow>> ContinueWorkflow(store::Store& store,
                                                         store::StoredWorkflow stored,
                                                         scheduler::LockTable& locks);

// Takes again, in `locks`, the locks the stored status.synchronization shows
// the workflow holding. Called for every continued workflow before any of
// them runs, so no waiter is admitted to a lock a holder still holds.
void RestoreLocks(const store::WorkflowHeader& header, scheduler::LockTable& locks);

// Marks a workflow that cannot be continued, and its unfinished nodes, Error.
Status MarkInterrupted(store::Store& store, store::WorkflowHeader header, const std::string& why);

}  // namespace loom::server
