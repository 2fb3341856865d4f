// Argo's Workflow JSON from a WorkflowStatus: field names and omitempty rules
// of Argo's Go types (NodeStatus, Parameter, Artifact), times as Kubernetes
// prints them.
#include "cli/status_json.h"

#include <ctime>

namespace loom::cli {

namespace {

// RFC 3339 in UTC to the second, as Kubernetes prints metav1.Time: "2026-12-02T05:46:00Z".
std::string Timestamp(engine::TimePoint time) {
  std::time_t seconds =
      std::chrono::system_clock::to_time_t(std::chrono::floor<std::chrono::seconds>(time));
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

void SetTime(Json& object, const char* key, const std::optional<engine::TimePoint>& time) {
  if (time) object[key] = Timestamp(*time);
}

void SetText(Json& object, const char* key, const std::string& text) {
  if (!text.empty()) object[key] = text;
}

Json ParameterJson(const engine::ParameterValue& parameter) {
  Json json = {{"name", parameter.name}};
  if (parameter.value) json["value"] = *parameter.value;
  return json;
}

// Argo records where an artifact is stored as a repository location
// (`s3: {key: ...}`). Loom's repository is a folder on this machine, so the
// location is `local: {path: <host path>}`: a path the user can open. A raw
// artifact carries its text (`raw: {data: ...}`), and one stored without a
// tarball says so as Argo does (`archive: {none: {}}`).
Json ArtifactJson(const engine::ArtifactValue& artifact) {
  Json json = {{"name", artifact.name}};
  SetText(json, "path", artifact.path);
  if (artifact.raw_data) json["raw"] = {{"data", *artifact.raw_data}};
  if (!artifact.location.empty()) json["local"] = {{"path", artifact.location}};
  if (!artifact.archived && !artifact.raw_data) json["archive"] = {{"none", Json::object()}};
  return json;
}

// {parameters, artifacts} with empty lists left out.
Json ValuesJson(const std::vector<engine::ParameterValue>& parameters,
                const std::vector<engine::ArtifactValue>& artifacts) {
  Json json = Json::object();
  for (const auto& p : parameters) json["parameters"].push_back(ParameterJson(p));
  for (const auto& a : artifacts) json["artifacts"].push_back(ArtifactJson(a));
  return json;
}

void SetList(Json& object, const char* key, const std::vector<std::string>& items) {
  if (!items.empty()) object[key] = items;
}

Json NodeJson(const engine::Node& node) {
  Json json = {{"id", node.id},
               {"name", node.name},
               {"displayName", node.display_name},
               {"type", engine::NodeTypeName(node.type)},
               {"phase", engine::NodePhaseName(node.phase)}};
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
  return json;
}

Json StatusJson(const engine::WorkflowStatus& status) {
  Json json = {{"phase", engine::WorkflowPhaseName(status.phase)}, {"progress", status.Progress()}};
  SetTime(json, "startedAt", status.started_at);
  SetTime(json, "finishedAt", status.finished_at);
  SetText(json, "message", status.message);
  Json outputs = ValuesJson(status.output_parameters, status.output_artifacts);
  if (!outputs.empty()) json["outputs"] = std::move(outputs);
  Json nodes = Json::object();
  for (const auto& [id, node] : status.nodes) nodes[id] = NodeJson(node);
  if (!nodes.empty()) json["nodes"] = std::move(nodes);
  return json;
}

// The document's metadata with what the Argo controller adds: the name, the
// namespace, the creation time (Loom creates the workflow when it starts it)
// and the labels `argo list` selects on.
Json MetadataJson(const Json& document, const engine::WorkflowStatus& status) {
  Json metadata = document.value("metadata", Json::object());
  if (!metadata.is_object()) metadata = Json::object();
  metadata["name"] = status.name;
  SetText(metadata, "namespace", status.namespace_);
  SetTime(metadata, "creationTimestamp", status.started_at);
  if (!metadata.contains("labels") || !metadata["labels"].is_object()) {
    metadata["labels"] = Json::object();
  }
  metadata["labels"]["workflows.argoproj.io/phase"] = engine::WorkflowPhaseName(status.phase);
  metadata["labels"]["workflows.argoproj.io/completed"] = status.finished_at ? "true" : "false";
  return metadata;
}

}  // namespace

Json WorkflowToJson(const Json& document, const engine::WorkflowStatus& status) {
  static const Json kNothingWritten = Json::object();
  const Json& written = document.is_object() ? document : kNothingWritten;
  Json workflow = {{"apiVersion", written.value("apiVersion", "argoproj.io/v1alpha1")},
                   {"kind", "Workflow"},
                   {"metadata", MetadataJson(written, status)},
                   {"status", StatusJson(status)}};
  if (written.contains("spec")) workflow["spec"] = written["spec"];
  return workflow;
}

}  // namespace loom::cli
