// Argo's Workflow JSON from a WorkflowStatus and back: field names and
// omitempty rules of Argo's Go types (NodeStatus, Parameter, Artifact), times
// as Kubernetes prints them.
#include "engine/status_json.h"

#include <ctime>

namespace loom::engine {

std::string Timestamp(TimePoint time) {
  std::time_t seconds =
      std::chrono::system_clock::to_time_t(std::chrono::floor<std::chrono::seconds>(time));
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::optional<TimePoint> ParseTimestamp(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  // system_clock counts nanoseconds in 64 bits: it ends in the year 2262.
  constexpr auto kLast = std::chrono::floor<std::chrono::seconds>(
      std::chrono::system_clock::time_point::max().time_since_epoch());
  std::time_t seconds = timegm(&tm);
  if (seconds > kLast.count() || seconds < -kLast.count()) return std::nullopt;
  return std::chrono::system_clock::from_time_t(seconds);
}

namespace {

void SetTime(Json& object, const char* key, const std::optional<TimePoint>& time) {
  if (time) object[key] = Timestamp(*time);
}

void SetText(Json& object, const char* key, const std::string& text) {
  if (!text.empty()) object[key] = text;
}

Json ParameterJson(const ParameterValue& parameter) {
  Json json = {{"name", parameter.name}};
  if (parameter.value) json["value"] = *parameter.value;
  return json;
}

// Argo records where an artifact is stored as a repository location
// (`s3: {key: ...}`). Loom's repository is a folder on this machine, so the
// location is `local: {path: <host path>}`: a path the user can open. A raw
// artifact carries its text (`raw: {data: ...}`), and one stored without a
// tarball says so as Argo does (`archive: {none: {}}`).
Json ArtifactJson(const ArtifactValue& artifact) {
  Json json = {{"name", artifact.name}};
  SetText(json, "path", artifact.path);
  if (artifact.raw_data) json["raw"] = {{"data", *artifact.raw_data}};
  if (!artifact.location.empty()) json["local"] = {{"path", artifact.location}};
  if (!artifact.archived && !artifact.raw_data) json["archive"] = {{"none", Json::object()}};
  return json;
}

// {parameters, artifacts} with empty lists left out.
Json ValuesJson(const std::vector<ParameterValue>& parameters,
                const std::vector<ArtifactValue>& artifacts) {
  Json json = Json::object();
  for (const auto& p : parameters) json["parameters"].push_back(ParameterJson(p));
  for (const auto& a : artifacts) json["artifacts"].push_back(ArtifactJson(a));
  return json;
}

void SetList(Json& object, const char* key, const std::vector<std::string>& items) {
  if (!items.empty()) object[key] = items;
}

// Argo's SemaphoreStatus / MutexStatus: a semaphore entry lists its holders,
// a mutex entry names one (so a mutex with two holders, possible only for
// holders restored after a limit change, takes two entries).
Json LockListJson(const std::vector<LockHolding>& locks, bool mutex) {
  Json list = Json::array();
  for (const LockHolding& lock : locks) {
    if (!mutex) {
      Json entry = {{"semaphore", lock.lock}};
      SetList(entry, "holders", lock.holders);
      list.push_back(std::move(entry));
      continue;
    }
    if (lock.holders.empty()) list.push_back({{"mutex", lock.lock}});
    for (const std::string& holder : lock.holders) {
      list.push_back({{"mutex", lock.lock}, {"holder", holder}});
    }
  }
  return list;
}

Json SynchronizationJson(const SynchronizationStatus& sync) {
  Json json = Json::object();
  auto add = [&](const char* kind, const std::vector<LockHolding>& holding,
                 const std::vector<LockHolding>& waiting, bool mutex) {
    Json status = Json::object();
    if (!holding.empty()) status["holding"] = LockListJson(holding, mutex);
    if (!waiting.empty()) status["waiting"] = LockListJson(waiting, mutex);
    if (!status.empty()) json[kind] = std::move(status);
  };
  add("semaphore", sync.semaphore_holding, sync.semaphore_waiting, false);
  add("mutex", sync.mutex_holding, sync.mutex_waiting, true);
  return json;
}

}  // namespace

Json NodeToJson(const Node& node) {
  Json json = {{"id", node.id},
               {"name", node.name},
               {"displayName", node.display_name},
               {"type", NodeTypeName(node.type)},
               {"phase", NodePhaseName(node.phase)}};
  SetText(json, "templateName", node.template_name);
  SetText(json, "boundaryID", node.boundary_id);
  SetList(json, "children", node.children);
  SetList(json, "outboundNodes", node.outbound_nodes);
  Json inputs = ValuesJson(node.inputs.parameters, node.inputs.artifacts);
  if (!inputs.empty()) json["inputs"] = std::move(inputs);
  Json outputs = ValuesJson(node.outputs.parameters, node.outputs.artifacts);
  if (node.outputs.result) outputs["result"] = *node.outputs.result;
  if (node.outputs.exit_code) outputs["exitCode"] = *node.outputs.exit_code;
  if (!outputs.empty()) json["outputs"] = std::move(outputs);
  SetTime(json, "startedAt", node.started_at);
  SetTime(json, "finishedAt", node.finished_at);
  SetText(json, "message", node.message);
  if (!node.waiting_for_lock.empty()) {
    json["synchronizationStatus"] = {{"waiting", node.waiting_for_lock}};
  }
  return json;
}

Json StatusHeaderToJson(const WorkflowStatus& status) {
  Json json = {{"phase", WorkflowPhaseName(status.phase)}, {"progress", status.Progress()}};
  SetTime(json, "startedAt", status.started_at);
  SetTime(json, "finishedAt", status.finished_at);
  SetText(json, "message", status.message);
  Json outputs = ValuesJson(status.output_parameters, status.output_artifacts);
  if (!outputs.empty()) json["outputs"] = std::move(outputs);
  if (!status.synchronization.empty()) {
    json["synchronization"] = SynchronizationJson(status.synchronization);
  }
  return json;
}

Json AssembleWorkflow(const Json& document, Json status_header, Json nodes) {
  static const Json kNothingWritten = Json::object();
  const Json& written = document.is_object() ? document : kNothingWritten;
  Json metadata = written.value("metadata", Json::object());
  if (!metadata.is_object()) metadata = Json::object();
  // What the Argo controller adds: the creation time (Loom creates the
  // workflow when it starts it) and the labels `argo list` selects on.
  if (!metadata.contains("creationTimestamp") && status_header.contains("startedAt")) {
    metadata["creationTimestamp"] = status_header["startedAt"];
  }
  if (!metadata.contains("labels") || !metadata["labels"].is_object()) {
    metadata["labels"] = Json::object();
  }
  metadata["labels"]["workflows.argoproj.io/phase"] = status_header.value("phase", "Pending");
  metadata["labels"]["workflows.argoproj.io/completed"] =
      status_header.contains("finishedAt") ? "true" : "false";
  Json workflow = {{"apiVersion", written.value("apiVersion", "argoproj.io/v1alpha1")},
                   {"kind", "Workflow"},
                   {"metadata", std::move(metadata)},
                   {"status", std::move(status_header)}};
  if (nodes.is_object() && !nodes.empty()) workflow["status"]["nodes"] = std::move(nodes);
  if (written.contains("spec")) workflow["spec"] = written["spec"];
  return workflow;
}

Json WorkflowToJson(const Json& document, const WorkflowStatus& status) {
  Json named = document.is_object() ? document : Json::object();
  if (!named.contains("metadata") || !named["metadata"].is_object()) {
    named["metadata"] = Json::object();
  }
  named["metadata"]["name"] = status.name;
  SetText(named["metadata"], "namespace", status.namespace_);
  Json nodes = Json::object();
  for (const auto& [id, node] : status.nodes) nodes[id] = NodeToJson(node);
  return AssembleWorkflow(named, StatusHeaderToJson(status), std::move(nodes));
}

}  // namespace loom::engine
