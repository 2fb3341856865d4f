// The controller's requests: submit, stop/terminate/suspend/resume,
// resubmit, retry, delete. Checking and naming happen on the caller's thread;
// anything that touches a running workflow happens on the loop thread.
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "base/loom_home.h"
#include "engine/names.h"
#include "engine/replay.h"
#include "engine/status_json.h"
#include "server/controller.h"
#include "server/stored_workflow.h"
#include "server/submission.h"
#include "server/workflow_template.h"
#include "store/step_logs.h"

namespace loom::server {

namespace {

namespace fs = std::filesystem;

const char* ActionName(Action action) {
  switch (action) {
    case Action::kStop:
      return "stop";
    case Action::kTerminate:
      return "terminate";
    case Action::kSuspend:
      return "suspend";
    case Action::kResume:
      return "resume";
  }
  return "?";
}

// A random (version 4) UUID, as Kubernetes gives every object.
std::string NewUid(std::mt19937_64& random) {
  static const char kHex[] = "0123456789abcdef";
  std::uniform_int_distribution<int> digit(0, 15);
  std::string uid;
  for (int i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      uid += '-';
    } else if (i == 14) {
      uid += '4';
    } else if (i == 19) {
      uid += kHex[8 + digit(random) % 4];
    } else {
      uid += kHex[digit(random)];
    }
  }
  return uid;
}

std::map<std::string, std::string> StringMap(const Json& object) {
  std::map<std::string, std::string> out;
  if (!object.is_object()) return out;
  for (const auto& [key, value] : object.items()) {
    if (value.is_string()) out[key] = value.get<std::string>();
  }
  return out;
}

// Removes a run folder, but only one under $LOOM_HOME/runs: the annotation
// is ours, yet a store shared with other tools must not make us rm -rf /.
void RemoveRunDir(const Json& document) {
  std::string dir = store::RunDir(document);
  std::string runs = LoomHome() + "/runs/";
  if (dir.size() <= runs.size() || dir.compare(0, runs.size(), runs) != 0) return;
  if (dir.find("/../") != std::string::npos) return;
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

// Checks -p values: each must be NAME=VALUE.
std::optional<std::string> BadParameter(const std::vector<std::string>& parameters) {
  for (const std::string& p : parameters) {
    if (p.find('=') == std::string::npos || p[0] == '=') {
      return "parameter \"" + p + "\": expected NAME=VALUE";
    }
  }
  return std::nullopt;
}

// Gives spec.arguments.parameters the NAME=VALUE values, adding missing ones.
void SetParameters(Json& spec, const std::vector<std::string>& parameters) {
  for (const std::string& p : parameters) {
    size_t eq = p.find('=');
    std::string key = p.substr(0, eq), value = p.substr(eq + 1);
    Json& list = spec["arguments"]["parameters"];
    if (!list.is_array()) list = Json::array();
    auto same = std::find_if(list.begin(), list.end(),
                             [&](const Json& q) { return q.value("name", "") == key; });
    if (same != list.end()) {
      (*same)["value"] = value;
    } else {
      list.push_back({{"name", key}, {"value", value}});
    }
  }
}

// The nodes of a workflow's earlier run that its retry may reuse: the
// Succeeded Pods, less those that --restart-successful selects.
std::vector<store::NodeChange> ReusableNodes(const store::StoredWorkflow& earlier,
                                             const RetryRequest& request) {
  std::optional<engine::NodeFieldSelector> restart;
  if (request.restart_successful) {
    auto parsed = engine::NodeFieldSelector::Parse(request.node_field_selector);
    if (parsed.ok()) restart = std::move(*parsed);
  }
  std::vector<store::NodeChange> reusable;
  for (const auto& [id, node] : earlier.nodes) {
    if (node.value("type", "") != "Pod" || node.value("phase", "") != "Succeeded") continue;
    if (restart) {
      auto parsed = engine::NodeFromJson(node);
      if (!parsed.ok() || restart->Matches(*parsed)) continue;
    }
    reusable.push_back({id, node});
  }
  return reusable;
}

}  // namespace

std::string Controller::NewName(const std::string& prefix) {
  std::lock_guard lock(mutex_);
  return engine::GenerateName(prefix, random_);
}

ApiResult<Json> Controller::Submit(const std::string& namespace_, Json workflow, bool dry_run) {
  return Submit(namespace_, std::move(workflow), dry_run, nullptr);
}

ApiResult<Json> Controller::Submit(const std::string& namespace_, Json workflow, bool dry_run,
                                   const store::StoredWorkflow* memoized_from) {
  auto checked = CheckSubmission(std::move(workflow), StoredTemplates(store_, namespace_));
  if (!checked.ok()) return checked.error();
  Submission submission = std::move(checked).value();
  Json& document = submission.document;
  if (!document["metadata"].is_object()) document["metadata"] = Json::object();
  Json& metadata = document["metadata"];

  std::string name = metadata.value("name", "");
  bool generated = name.empty();
  if (generated) name = NewName(metadata.value("generateName", "workflow-"));
  auto existing = store_.Get(namespace_, name);
  if (!existing.ok()) return Internal("store: " + existing.error());
  for (int tries = 0; generated && existing->has_value() && tries < 10; ++tries) {
    name = NewName(metadata.value("generateName", "workflow-"));
    existing = store_.Get(namespace_, name);
    if (!existing.ok()) return Internal("store: " + existing.error());
  }
  auto exists = [&] {
    return Conflict("workflow \"" + name + "\" already exists in namespace \"" + namespace_ + "\"");
  };
  if (existing->has_value()) return exists();

  auto now = std::chrono::system_clock::now();
  std::string uid;
  {
    std::lock_guard lock(mutex_);
    uid = NewUid(random_);
  }
  metadata["name"] = name;
  metadata["namespace"] = namespace_;
  metadata["uid"] = uid;
  metadata["creationTimestamp"] = engine::Timestamp(now);
  if (dry_run) return engine::AssembleWorkflow(document, Json::object(), Json::object());

  // A folder left by a workflow of this name that the store no longer knows.
  std::string relative = namespace_ + "/" + name;
  std::error_code ignored;
  fs::remove_all(LoomHome() + "/runs/" + relative, ignored);
  RunPaths paths = PrepareRunPaths(relative);
  metadata["annotations"][kRunDirAnnotation] = paths.run_dir;

  store::WorkflowHeader header;
  header.uid = uid;
  header.namespace_ = namespace_;
  header.name = name;
  header.labels = StringMap(metadata.value("labels", Json::object()));
  header.labels["workflows.argoproj.io/phase"] = "Pending";
  header.labels["workflows.argoproj.io/completed"] = "false";
  header.phase = "Pending";
  header.created_at =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  header.document = document;
  header.status = engine::StatusHeaderToJson(engine::WorkflowStatus{});
  if (!submission.stored_template_spec.is_null()) {
    header.status[kStoredTemplateSpecField] = submission.stored_template_spec;
  }
  Status created = store_.Create(header);
  if (!created.ok()) {
    auto again = store_.Get(namespace_, name);
    if (again.ok() && again->has_value()) return exists();
    return Internal("store: " + created.message());
  }
  Json object = engine::AssembleWorkflow(header.document, header.status, Json::object());
  std::optional<EarlierRun> earlier;
  if (memoized_from) {
    const store::WorkflowHeader& old = memoized_from->header;
    auto from = EarlierRun::FromOtherRun(memoized_from->nodes, old.name,
                                         store::RunDir(old.document), name, paths);
    if (!from.ok()) return Internal("stored nodes of " + old.name + ": " + from.error());
    earlier.emplace(std::move(*from));
  }
  auto active = std::make_shared<std::unique_ptr<ActiveWorkflow>>(std::make_unique<ActiveWorkflow>(
      std::move(header), std::move(submission.documents), std::move(paths), locks_));
  if (earlier) (*active)->SetEarlier(std::move(*earlier));
  Post([this, active] { Adopt(std::move(*active)); });
  return object;
}

void Controller::Adopt(std::unique_ptr<ActiveWorkflow> workflow) {
  const store::WorkflowHeader& header = workflow->header();
  std::string uid = header.uid;
  by_name_[header.namespace_ + "/" + header.name] = uid;
  metrics_.WorkflowMoved("", header.phase);
  if (workflow->suspended()) dispatcher_.Hold(uid, true);
  workflow->engine().Start();
  // A continued run that was asked to stop before the restart still stops.
  std::string shutdown = workflow->shutdown();
  if (shutdown == "Stop") workflow->engine().Stop();
  if (shutdown == "Terminate") workflow->engine().Terminate();
  active_[uid] = std::move(workflow);
}

ApiResult<Json> Controller::Act(const std::string& namespace_, const std::string& name,
                                Action action) {
  return Ask([=, this](const Reply& reply) { DoAct(namespace_, name, action, reply); });
}

void Controller::DoAct(const std::string& namespace_, const std::string& name, Action action,
                       const Reply& reply) {
  ActiveWorkflow* workflow = FindActive(namespace_, name);
  if (!workflow) {
    auto stored = LoadWorkflow(store_, namespace_, name);
    if (!stored.ok()) return reply->set_value(stored.error());
    std::string phase = stored.value()["status"].value("phase", "");
    return reply->set_value(Conflict("cannot " + std::string(ActionName(action)) + " workflow \"" +
                                     name + "\": it has already finished (" + phase + ")"));
  }
  engine::Engine& engine = workflow->engine();
  switch (action) {
    case Action::kStop:
    case Action::kTerminate:
      // A suspended workflow that is stopped must still run its exit handler.
      workflow->SetSuspended(false);
      workflow->SetShutdown(action == Action::kStop ? "Stop" : "Terminate");
      dispatcher_.Hold(workflow->uid(), false);
      action == Action::kStop ? engine.Stop() : engine.Terminate();
      break;
    case Action::kSuspend:
      workflow->SetSuspended(true);
      dispatcher_.Hold(workflow->uid(), true);
      break;
    case Action::kResume:
      workflow->SetSuspended(false);
      dispatcher_.Hold(workflow->uid(), false);
      engine.Resume();
      break;
  }
  Pump();
  PersistAll();
  Status synced = store_.Sync();
  if (!synced.ok()) return reply->set_value(Internal("store: " + synced.message()));
  reply->set_value(LoadWorkflow(store_, namespace_, name));
}

ApiResult<Json> Controller::Resubmit(const std::string& namespace_, const std::string& name,
                                     const ResubmitRequest& request) {
  if (auto bad = BadParameter(request.parameters)) return BadRequest(*bad);
  auto stored = store_.Get(namespace_, name);
  if (!stored.ok()) return Internal("store: " + stored.error());
  if (!stored->has_value()) {
    return NotFound(NotFoundMessage(namespace_, name));
  }
  const std::string& phase = (*stored)->header.phase;
  if (request.memoized && phase != "Failed" && phase != "Error") {
    return Conflict("cannot resubmit workflow \"" + name + "\" memoized: it is " + phase +
                    " (only Failed and Error workflows can be, as in Argo)");
  }
  const Json& document = (*stored)->header.document;
  const Json& old = document["metadata"];
  Json metadata = {{"generateName", old.value("generateName", name + "-")}};
  Json labels = old.value("labels", Json::object());
  labels["workflows.argoproj.io/resubmitted-from-workflow"] = name;
  metadata["labels"] = labels;
  Json annotations = old.value("annotations", Json::object());
  annotations.erase(kRunDirAnnotation);
  if (!annotations.empty()) metadata["annotations"] = annotations;
  Json spec = document.value("spec", Json::object());
  spec.erase("suspend");
  spec.erase("shutdown");
  SetParameters(spec, request.parameters);
  Json workflow = {{"apiVersion", document.value("apiVersion", "argoproj.io/v1alpha1")},
                   {"kind", "Workflow"},
                   {"metadata", metadata},
                   {"spec", spec}};
  return Submit(namespace_, std::move(workflow), false,
                request.memoized ? &stored->value() : nullptr);
}

ApiResult<Json> Controller::Retry(const std::string& namespace_, const std::string& name,
                                  RetryRequest request) {
  if (request.restart_successful && request.node_field_selector.empty()) {
    return BadRequest("restartSuccessful needs a nodeFieldSelector (e.g. displayName=train)");
  }
  if (auto bad = BadParameter(request.parameters)) return BadRequest(*bad);
  if (!request.node_field_selector.empty()) {
    auto selector = engine::NodeFieldSelector::Parse(request.node_field_selector);
    if (!selector.ok()) return BadRequest(selector.error());
  }
  return Ask([=, this](const Reply& reply) { DoRetry(namespace_, name, request, reply); });
}

void Controller::DoRetry(const std::string& namespace_, const std::string& name,
                         const RetryRequest& request, const Reply& reply) {
  if (FindActive(namespace_, name)) {
    return reply->set_value(
        Conflict("cannot retry workflow \"" + name + "\": it is still running"));
  }
  auto stored = store_.Get(namespace_, name);
  if (!stored.ok()) return reply->set_value(Internal("store: " + stored.error()));
  if (!stored->has_value()) return reply->set_value(NotFound(NotFoundMessage(namespace_, name)));
  const store::WorkflowHeader& old = (*stored)->header;
  if (old.phase != "Failed" && old.phase != "Error") {
    return reply->set_value(Conflict("cannot retry workflow \"" + name + "\": it is " + old.phase +
                                     " (only Failed and Error workflows can be retried)"));
  }

  Json document = old.document;
  Json& spec = document["spec"];
  spec.erase("suspend");
  spec.erase("shutdown");
  SetParameters(spec, request.parameters);
  std::string uid;
  {
    std::lock_guard lock(mutex_);
    uid = NewUid(random_);
  }
  document["metadata"]["uid"] = uid;
  auto checked = CheckSubmission(document, StoredTemplates(store_, namespace_));
  if (!checked.ok()) return reply->set_value(checked.error());
  std::optional<engine::NodeFieldSelector> restart;
  if (request.restart_successful) {
    restart = std::move(engine::NodeFieldSelector::Parse(request.node_field_selector).value());
  }
  auto earlier =
      EarlierRun::From(EarlierRun::Kind::kRetry, (*stored)->nodes, old.status, std::move(restart));
  if (!earlier.ok()) return reply->set_value(Internal("stored nodes: " + earlier.error()));

  store::WorkflowHeader header;
  header.uid = uid;
  header.namespace_ = namespace_;
  header.name = name;
  header.labels = old.labels;
  header.labels["workflows.argoproj.io/phase"] = "Pending";
  header.labels["workflows.argoproj.io/completed"] = "false";
  header.phase = "Pending";
  header.created_at = old.created_at;
  header.document = std::move(document);
  header.status = engine::StatusHeaderToJson(engine::WorkflowStatus{});
  if (!checked.value().stored_template_spec.is_null()) {
    header.status[kStoredTemplateSpecField] = checked.value().stored_template_spec;
  }
  // The earlier run's record goes, in the transaction that creates the new
  // one: `get` shows the new run. It starts with the Succeeded Pods it may
  // reuse, so a server killed before the new engine records them still
  // finds them (their outputs and logs stay in the run folder).
  std::string old_phase = old.phase;
  Status replaced = store_.Replace(old.uid, header, ReusableNodes(**stored, request));
  if (!replaced.ok()) return reply->set_value(Internal("store: " + replaced.message()));
  metrics_.WorkflowRemoved(old_phase);
  Json object = engine::AssembleWorkflow(header.document, header.status, Json::object());
  auto workflow =
      std::make_unique<ActiveWorkflow>(std::move(header), std::move(checked.value().documents),
                                       PrepareRunPaths(namespace_ + "/" + name), locks_);
  workflow->SetEarlier(std::move(*earlier));
  Adopt(std::move(workflow));
  reply->set_value(std::move(object));
}

ApiResult<Json> Controller::Delete(const std::string& namespace_, const std::string& name) {
  return Ask([=, this](const Reply& reply) { DoDelete(namespace_, name, reply); });
}

void Controller::DoDelete(const std::string& namespace_, const std::string& name,
                          const Reply& reply) {
  auto remove = [this, reply](const store::WorkflowHeader& header) {
    Status deleted = store_.Delete(header.uid);
    if (!deleted.ok()) return reply->set_value(Internal("store: " + deleted.message()));
    RemoveRunDir(header.document);
    metrics_.WorkflowRemoved(header.phase);
    reply->set_value(Json::object());
  };
  if (ActiveWorkflow* workflow = FindActive(namespace_, name)) {
    workflow->on_done().push_back([remove, workflow] { remove(workflow->header()); });
    dispatcher_.Hold(workflow->uid(), false);
    workflow->engine().Terminate();
    return;
  }
  auto stored = store_.Get(namespace_, name);
  if (!stored.ok()) return reply->set_value(Internal("store: " + stored.error()));
  if (!stored->has_value()) {
    return reply->set_value(NotFound(NotFoundMessage(namespace_, name)));
  }
  remove((*stored)->header);
}

ActiveWorkflow* Controller::FindActive(const std::string& namespace_, const std::string& name) {
  auto it = by_name_.find(namespace_ + "/" + name);
  if (it == by_name_.end()) return nullptr;
  return active_.at(it->second).get();
}

}  // namespace loom::server
