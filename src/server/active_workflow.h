// One workflow the controller is running: its parsed documents (which its
// engine points into, so they live as long as it), the engine, its run
// folder, and the header last written to the store, so that only changes
// are written.
//
// Thread safety: none; the controller's loop thread owns it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/loom_home.h"
#include "base/result.h"
#include "engine/engine.h"
#include "scheduler/locks.h"
#include "server/earlier_run.h"
#include "server/metrics.h"
#include "spec/workflow.h"
#include "store/store.h"

namespace loom::server {

class ActiveWorkflow {
 public:
  // `header` is as created in the store; `documents` holds the one Workflow;
  // `locks`: the controller's lock table, which the engine takes locks from.
  ActiveWorkflow(store::WorkflowHeader header, std::vector<spec::Workflow> documents,
                 RunPaths paths, scheduler::LockTable& locks);
  ActiveWorkflow(const ActiveWorkflow&) = delete;
  ActiveWorkflow& operator=(const ActiveWorkflow&) = delete;

  engine::Engine& engine() { return *engine_; }
  const store::WorkflowHeader& header() const { return header_; }
  const std::string& uid() const { return header_.uid; }
  int priority() const { return priority_; }

  // Where the step of node `node_id` writes its log: <run dir>/steps/<id>/log,
  // where `loom logs` reading the store directly looks for it.
  std::string StepLogPath(const std::string& node_id) const;

  // Argo's workflow-level suspend: recorded as spec.suspend in the document.
  bool suspended() const { return suspended_; }
  void SetSuspended(bool suspended);

  // `argo stop`/`terminate`, recorded as spec.shutdown ("Stop", "Terminate")
  // so that a run continued after a restart is still stopping.
  std::string shutdown() const;
  void SetShutdown(const std::string& shutdown);

  // The earlier run this one reuses steps of (a retry) or continues after a
  // restart; nullptr for a fresh run. Set before the engine starts.
  EarlierRun* earlier() { return earlier_ ? &*earlier_ : nullptr; }
  void SetEarlier(EarlierRun earlier) { earlier_.emplace(std::move(earlier)); }

  // Appends the nodes that changed and, when it changed, rewrites the header.
  Status Persist(store::Store& store, Metrics& metrics);

  // Run once the workflow is done and persisted (a pending delete).
  std::vector<std::function<void()>>& on_done() { return on_done_; }

 private:
  store::WorkflowHeader header_;
  std::vector<spec::Workflow> documents_;  // before engine_: it points into them
  RunPaths paths_;
  int priority_ = 0;
  bool suspended_ = false;
  bool document_changed_ = false;
  std::unique_ptr<engine::Engine> engine_;
  std::optional<EarlierRun> earlier_;
  bool leftovers_written_ = false;
  std::vector<std::function<void()>> on_done_;
};

}  // namespace loom::server
