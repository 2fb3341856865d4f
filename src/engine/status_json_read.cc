// Argo's Workflow JSON back into a WorkflowStatus: the inverse of
// status_json.cc, for the store and the server. Anything malformed is an
// error naming the field, never a crash.
#include <algorithm>

#include "engine/status_json.h"

namespace loom::engine {

namespace {

std::string Text(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

std::optional<TimePoint> Time(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return ParseTimestamp(it->get<std::string>());
}

std::vector<std::string> List(const Json& object, const char* key) {
  std::vector<std::string> items;
  auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return items;
  for (const Json& item : *it) {
    if (item.is_string()) items.push_back(item.get<std::string>());
  }
  return items;
}

std::vector<ParameterValue> Parameters(const Json& values) {
  std::vector<ParameterValue> parameters;
  auto it = values.find("parameters");
  if (it == values.end() || !it->is_array()) return parameters;
  for (const Json& p : *it) {
    if (!p.is_object()) continue;
    ParameterValue parameter{Text(p, "name"), std::nullopt};
    if (auto v = p.find("value"); v != p.end()) {
      parameter.value = v->is_string() ? v->get<std::string>() : v->dump();
    }
    parameters.push_back(std::move(parameter));
  }
  return parameters;
}

std::vector<ArtifactValue> Artifacts(const Json& values) {
  std::vector<ArtifactValue> artifacts;
  auto it = values.find("artifacts");
  if (it == values.end() || !it->is_array()) return artifacts;
  for (const Json& a : *it) {
    if (!a.is_object()) continue;
    ArtifactValue artifact;
    artifact.name = Text(a, "name");
    artifact.path = Text(a, "path");
    if (auto raw = a.find("raw"); raw != a.end() && raw->is_object()) {
      artifact.raw_data = Text(*raw, "data");
    }
    if (auto local = a.find("local"); local != a.end() && local->is_object()) {
      artifact.location = Text(*local, "path");
    }
    artifact.archived = !a.contains("archive");
    artifacts.push_back(std::move(artifact));
  }
  return artifacts;
}

const Json& Object(const Json& parent, const char* key) {
  static const Json kEmpty = Json::object();
  auto it = parent.find(key);
  return it != parent.end() && it->is_object() ? *it : kEmpty;
}

// Entries of Argo's holding/waiting lists, merged by lock: "holders" (a
// semaphore's) or "holder" (a mutex's).
std::vector<LockHolding> LockList(const Json& status, const char* list, const char* lock_field) {
  std::vector<LockHolding> locks;
  auto it = status.find(list);
  if (it == status.end() || !it->is_array()) return locks;
  for (const Json& entry : *it) {
    if (!entry.is_object()) continue;
    std::string lock = Text(entry, lock_field);
    if (lock.empty()) continue;
    auto same = std::find_if(locks.begin(), locks.end(),
                             [&](const LockHolding& l) { return l.lock == lock; });
    if (same == locks.end()) same = locks.insert(locks.end(), LockHolding{lock, {}});
    for (std::string& holder : List(entry, "holders")) same->holders.push_back(std::move(holder));
    if (std::string holder = Text(entry, "holder"); !holder.empty()) {
      same->holders.push_back(std::move(holder));
    }
  }
  return locks;
}

}  // namespace

SynchronizationStatus SynchronizationFromJson(const Json& status_header) {
  SynchronizationStatus sync;
  if (!status_header.is_object()) return sync;
  const Json& all = Object(status_header, "synchronization");
  const Json& semaphore = Object(all, "semaphore");
  const Json& mutex = Object(all, "mutex");
  sync.semaphore_holding = LockList(semaphore, "holding", "semaphore");
  sync.semaphore_waiting = LockList(semaphore, "waiting", "semaphore");
  sync.mutex_holding = LockList(mutex, "holding", "mutex");
  sync.mutex_waiting = LockList(mutex, "waiting", "mutex");
  return sync;
}

Result<Node> NodeFromJson(const Json& json) {
  if (!json.is_object()) return Result<Node>::Error("a node is not a JSON object");
  Node node;
  node.id = Text(json, "id");
  if (node.id.empty()) return Result<Node>::Error("a node has no id");
  auto type = ParseNodeType(Text(json, "type"));
  if (!type) return Result<Node>::Error("node " + node.id + ": unknown type");
  auto phase = ParseNodePhase(Text(json, "phase"));
  if (!phase) return Result<Node>::Error("node " + node.id + ": unknown phase");
  node.type = *type;
  node.phase = *phase;
  node.name = Text(json, "name");
  node.display_name = Text(json, "displayName");
  node.template_name = Text(json, "templateName");
  node.boundary_id = Text(json, "boundaryID");
  node.children = List(json, "children");
  node.outbound_nodes = List(json, "outboundNodes");
  const Json& inputs = Object(json, "inputs");
  node.inputs.parameters = Parameters(inputs);
  node.inputs.artifacts = Artifacts(inputs);
  const Json& outputs = Object(json, "outputs");
  node.outputs.parameters = Parameters(outputs);
  node.outputs.artifacts = Artifacts(outputs);
  if (outputs.contains("result")) node.outputs.result = Text(outputs, "result");
  if (outputs.contains("exitCode")) node.outputs.exit_code = Text(outputs, "exitCode");
  node.started_at = Time(json, "startedAt");
  node.finished_at = Time(json, "finishedAt");
  node.message = Text(json, "message");
  node.waiting_for_lock = Text(Object(json, "synchronizationStatus"), "waiting");
  return node;
}

Result<WorkflowStatus> StatusFromJson(const Json& document, const Json& status_header,
                                      const std::map<std::string, Json>& nodes) {
  WorkflowStatus status;
  const Json& metadata = Object(document, "metadata");
  status.name = Text(metadata, "name");
  status.namespace_ = Text(metadata, "namespace");
  status.parameters = Parameters(Object(Object(document, "spec"), "arguments"));
  auto phase = ParseWorkflowPhase(Text(status_header, "phase"));
  if (!phase) return Result<WorkflowStatus>::Error("workflow " + status.name + ": unknown phase");
  status.phase = *phase;
  status.started_at = Time(status_header, "startedAt");
  status.finished_at = Time(status_header, "finishedAt");
  status.message = Text(status_header, "message");
  const Json& outputs = Object(status_header, "outputs");
  status.output_parameters = Parameters(outputs);
  status.output_artifacts = Artifacts(outputs);
  status.synchronization = SynchronizationFromJson(status_header);
  for (const auto& [id, json] : nodes) {
    auto node = NodeFromJson(json);
    if (!node.ok())
      return Result<WorkflowStatus>::Error("workflow " + status.name + ": " + node.error());
    status.nodes.emplace(id, std::move(*node));
  }
  return status;
}

}  // namespace loom::engine
