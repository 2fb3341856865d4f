// Taking up interrupted workflows at startup.
#include "server/startup.h"

#include "base/loom_home.h"
#include "engine/status_json.h"
#include "server/submission.h"

namespace loom::server {

Result<std::vector<store::StoredWorkflow>> LoadUnfinished(store::Store& store, Metrics& metrics) {
  auto all = store.List(store::ListFilter{});
  if (!all.ok()) return all.status();
  std::vector<store::StoredWorkflow> unfinished;
  for (store::WorkflowHeader& header : *all) {
    if (header.phase != "Pending" && header.phase != "Running") {
      metrics.WorkflowMoved("", header.phase);
      continue;
    }
    const Json annotations =
        header.document.value("metadata", Json::object()).value("annotations", Json::object());
    if (annotations.value(kControllerAnnotation, "") == kRunByLoomRun) continue;  // not ours
    auto stored = store.Get(header.namespace_, header.name);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) unfinished.push_back(std::move(**stored));
  }
  return unfinished;
}

Result<std::unique_ptr<ActiveWorkflow>> ContinueWorkflow(store::Store& store,
                                                         store::StoredWorkflow stored,
                                                         scheduler::LockTable& locks) {
  store::WorkflowHeader& header = stored.header;
  auto checked =
      CheckSubmission(ContinuedDocument(header), StoredTemplates(store, header.namespace_));
  if (!checked.ok()) return Status::Error(checked.error().message);
  auto earlier = EarlierRun::From(EarlierRun::Kind::kContinued, stored.nodes, header.status);
  if (!earlier.ok()) return earlier.status();
  RunPaths paths = PrepareRunPaths(header.namespace_ + "/" + header.name);
  auto workflow = std::make_unique<ActiveWorkflow>(
      std::move(header), std::move(checked.value().documents), std::move(paths), locks);
  workflow->SetEarlier(std::move(*earlier));
  return workflow;
}

void RestoreLocks(const store::WorkflowHeader& header, scheduler::LockTable& locks) {
  engine::SynchronizationStatus sync = engine::SynchronizationFromJson(header.status);
  for (const auto* list : {&sync.semaphore_holding, &sync.mutex_holding}) {
    for (const engine::LockHolding& held : *list) {
      auto lock = scheduler::LockName::Parse(held.lock);
      if (!lock) continue;
      for (const std::string& key : held.holders) {
        if (auto holder = scheduler::Holder::Parse(key)) locks.Restore(*holder, *lock);
      }
    }
  }
}

Status MarkInterrupted(store::Store& store, store::WorkflowHeader header, const std::string& why) {
  auto now = std::chrono::system_clock::now();
  std::string finished = engine::Timestamp(now);
  std::string message = std::string(kRestartMessage) + ": " + why;
  auto stored = store.Get(header.namespace_, header.name);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) {
    std::vector<store::NodeChange> changes;
    for (const auto& [id, node] : (*stored)->nodes) {
      std::string phase = node.value("phase", "");
      if (phase != "Pending" && phase != "Running") continue;
      Json changed = node;
      changed["phase"] = "Error";
      changed["message"] = message;
      changed["finishedAt"] = finished;
      changes.push_back({id, std::move(changed)});
    }
    if (!changes.empty()) {
      Status appended = store.Append(header.uid, std::move(changes));
      if (!appended.ok()) return appended;
    }
  }
  header.phase = "Error";
  header.status["phase"] = "Error";
  header.status["message"] = message;
  header.status["finishedAt"] = finished;
  header.finished_at =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  header.labels["workflows.argoproj.io/phase"] = "Error";
  header.labels["workflows.argoproj.io/completed"] = "true";
  Status updated = store.UpdateHeader(header);
  if (!updated.ok()) return updated;
  return store.Sync();
}

}  // namespace loom::server
