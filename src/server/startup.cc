// Marking interrupted workflows at startup.
#include "server/startup.h"

#include "engine/status_json.h"

namespace loom::server {

namespace {

// The workflow and its unfinished nodes become Error, finished now.
Status MarkInterrupted(store::Store& store, store::WorkflowHeader header) {
  auto now = std::chrono::system_clock::now();
  std::string finished = engine::Timestamp(now);
  auto stored = store.Get(header.namespace_, header.name);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) {
    std::vector<store::NodeChange> changes;
    for (const auto& [id, node] : (*stored)->nodes) {
      std::string phase = node.value("phase", "");
      if (phase != "Pending" && phase != "Running") continue;
      Json changed = node;
      changed["phase"] = "Error";
      changed["message"] = kRestartMessage;
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
  header.status["message"] = kRestartMessage;
  header.status["finishedAt"] = finished;
  header.finished_at =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  header.labels["workflows.argoproj.io/phase"] = "Error";
  header.labels["workflows.argoproj.io/completed"] = "true";
  return store.UpdateHeader(header);
}

}  // namespace

Status RecoverAtStartup(store::Store& store, Metrics& metrics) {
  auto all = store.List(store::ListFilter{});
  if (!all.ok()) return all.status();
  for (store::WorkflowHeader& header : *all) {
    if (header.phase == "Pending" || header.phase == "Running") {
      Status marked = MarkInterrupted(store, header);
      if (!marked.ok()) return marked;
      header.phase = "Error";
    }
    metrics.WorkflowMoved("", header.phase);
  }
  return store.Sync();
}

}  // namespace loom::server
