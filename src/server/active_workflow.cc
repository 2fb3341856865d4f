// An active workflow's engine setup and its writes to the store.
#include "server/active_workflow.h"

#include "engine/status_json.h"
#include "server/workflow_template.h"

namespace loom::server {

namespace {

std::optional<store::Millis> ToMillis(const std::optional<engine::TimePoint>& time) {
  if (!time) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(time->time_since_epoch()).count();
}

}  // namespace

ActiveWorkflow::ActiveWorkflow(store::WorkflowHeader header, std::vector<spec::Workflow> documents,
                               RunPaths paths, scheduler::LockTable& locks)
    : header_(std::move(header)), documents_(std::move(documents)), paths_(std::move(paths)) {
  const spec::Workflow& workflow = documents_.front();
  priority_ = workflow.spec.priority.value_or(0);
  const Json& spec = header_.document["spec"];
  suspended_ = spec.is_object() && spec.value("suspend", false);

  engine::EngineOptions options;
  options.name = header_.name;
  options.namespace_ = header_.namespace_;
  options.artifact_dir = paths_.artifacts_dir;
  options.argosay_script = ReadBesideExecutable("argosay");
  options.library = &documents_;
  options.locks = &locks;
  // Lock waiters of equal priority go by creation time, kept across restarts.
  options.created = engine::TimePoint(std::chrono::milliseconds(header_.created_at));
  engine_ = std::make_unique<engine::Engine>(workflow, std::move(options));
}

std::string ActiveWorkflow::StepLogPath(const std::string& node_id) const {
  return paths_.steps_dir + "/" + node_id + "/log";
}

void ActiveWorkflow::SetSuspended(bool suspended) {
  if (suspended == suspended_) return;
  suspended_ = suspended;
  Json& spec = header_.document["spec"];
  if (suspended) {
    spec["suspend"] = true;
  } else {
    spec.erase("suspend");
  }
  document_changed_ = true;
}

std::string ActiveWorkflow::shutdown() const {
  auto spec = header_.document.find("spec");
  if (spec == header_.document.end() || !spec->is_object()) return "";
  return spec->value("shutdown", "");
}

void ActiveWorkflow::SetShutdown(const std::string& shutdown) {
  header_.document["spec"]["shutdown"] = shutdown;
  document_changed_ = true;
}

Status ActiveWorkflow::Persist(store::Store& store, Metrics& metrics) {
  const engine::WorkflowStatus& status = engine_->status();
  std::vector<std::string> changed = engine_->TakeChangedNodes();
  std::vector<store::NodeChange> changes;
  changes.reserve(changed.size());
  for (const std::string& id : changed) {
    auto it = status.nodes.find(id);
    if (it == status.nodes.end()) continue;
    Json node = engine::NodeToJson(it->second);
    if (earlier_) earlier_->Amend(id, &node);
    changes.push_back({id, std::move(node)});
  }
  if (earlier_ && engine_->Done() && !leftovers_written_) {
    for (store::NodeChange& change : earlier_->Leftovers(status)) {
      changes.push_back(std::move(change));
    }
    leftovers_written_ = true;
  }
  if (!changes.empty()) {
    Status appended = store.Append(header_.uid, std::move(changes));
    if (!appended.ok()) return appended;
  }
  Json status_json = engine::StatusHeaderToJson(status);
  if (earlier_) earlier_->AmendStatus(&status_json);
  // Not the engine's: what the workflow was joined to at submit, kept as it was.
  if (auto kept = header_.status.find(kStoredTemplateSpecField); kept != header_.status.end()) {
    status_json[kStoredTemplateSpecField] = *kept;
  }
  if (status_json == header_.status && !document_changed_) return Status::Ok();
  std::string before = header_.phase;
  header_.status = std::move(status_json);
  header_.phase = engine::WorkflowPhaseName(status.phase);
  header_.finished_at = ToMillis(status.finished_at);
  header_.labels["workflows.argoproj.io/phase"] = header_.phase;
  header_.labels["workflows.argoproj.io/completed"] = header_.finished_at ? "true" : "false";
  document_changed_ = false;
  if (before != header_.phase) metrics.WorkflowMoved(before, header_.phase);
  return store.UpdateHeader(header_);
}

}  // namespace loom::server
