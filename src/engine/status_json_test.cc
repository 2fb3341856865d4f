// WorkflowToJson gives Argo's Workflow shape: omitempty, times, node fields, outputs.
#include "engine/status_json.h"

#include <gtest/gtest.h>

#include "engine/test_statuses.h"

namespace loom::engine {
namespace {

using namespace std::chrono_literals;
using fixtures::T0;

const Json kDocument = {
    {"apiVersion", "argoproj.io/v1alpha1"},
    {"kind", "Workflow"},
    {"metadata", {{"generateName", "hello-"}, {"labels", {{"team", "ml"}}}}},
    {"spec", {{"entrypoint", "main"}, {"templates", Json::array({{{"name", "main"}}})}}}};

WorkflowStatus HelloStatus() {
  WorkflowStatus status = fixtures::BaseStatus(WorkflowPhase::kFailed);
  status.name = "hello-x7k2p";
  status.started_at = T0() + 700ms;  // printed to the second, truncated
  status.message = "child 'hello-x7k2p-1' failed";
  status.output_parameters = {{"best", "0.93"}};
  Node& root = fixtures::AddNode(status, "hello-x7k2p", NodeType::kSteps, "hello-x7k2p", "main",
                                 NodePhase::kFailed);
  root.children = {"hello-x7k2p-1"};
  root.outbound_nodes = {"hello-x7k2p-1"};
  Node& pod = fixtures::AddNode(status, "hello-x7k2p-1", NodeType::kPod, "say", "say",
                                NodePhase::kFailed, "hello-x7k2p");
  pod.name = "hello-x7k2p[0].say";
  pod.inputs.parameters = {{"message", "hi"}, {"unset", std::nullopt}};
  pod.inputs.artifacts = {{"script", "/tmp/script.sh", "", true, "echo hi"}};
  pod.outputs.parameters = {{"best", "0.93"}};
  pod.outputs.artifacts = {
      {"model", "/out/model", "/home/u/.loom/runs/hello-x7k2p/artifacts/hello-x7k2p-1/model.tgz"},
      {"log", "/out/log.txt", "/home/u/.loom/runs/a/log.txt", false}};
  pod.outputs.result = "hi";
  pod.outputs.exit_code = "1";
  pod.message = "exit code 1";
  return status;
}

TEST(WorkflowToJson, KeepsTheDocumentAndAddsWhatArgoAdds) {
  Json wf = WorkflowToJson(kDocument, HelloStatus());
  EXPECT_EQ(wf["apiVersion"], "argoproj.io/v1alpha1");
  EXPECT_EQ(wf["kind"], "Workflow");
  EXPECT_EQ(wf["spec"], kDocument["spec"]);
  EXPECT_EQ(wf["metadata"], Json::parse(R"({
    "name": "hello-x7k2p", "generateName": "hello-", "namespace": "default",
    "creationTimestamp": "2026-12-02T05:46:00Z",
    "labels": {"team": "ml", "workflows.argoproj.io/phase": "Failed",
               "workflows.argoproj.io/completed": "true"}})"));
}

TEST(WorkflowToJson, StatusInArgoShape) {
  Json status = WorkflowToJson(kDocument, HelloStatus())["status"];
  EXPECT_EQ(status["phase"], "Failed");
  EXPECT_EQ(status["startedAt"], "2026-12-02T05:46:00Z");
  EXPECT_EQ(status["finishedAt"], "2026-12-02T05:46:10Z");
  EXPECT_EQ(status["progress"], "1/1");
  EXPECT_EQ(status["message"], "child 'hello-x7k2p-1' failed");
  EXPECT_EQ(status["outputs"],
            Json::parse(R"({"parameters": [{"name": "best", "value": "0.93"}]})"));
  ASSERT_EQ(status["nodes"].size(), 2u);
  EXPECT_EQ(status["nodes"]["hello-x7k2p-1"], Json::parse(R"({
    "id": "hello-x7k2p-1", "name": "hello-x7k2p[0].say", "displayName": "say", "type": "Pod",
    "templateName": "say", "phase": "Failed", "boundaryID": "hello-x7k2p",
    "startedAt": "2026-12-02T05:46:00Z", "finishedAt": "2026-12-02T05:46:05Z",
    "message": "exit code 1",
    "inputs": {
      "parameters": [{"name": "message", "value": "hi"}, {"name": "unset"}],
      "artifacts": [{"name": "script", "path": "/tmp/script.sh", "raw": {"data": "echo hi"}}]},
    "outputs": {
      "parameters": [{"name": "best", "value": "0.93"}],
      "artifacts": [
        {"name": "model", "path": "/out/model",
         "local": {"path": "/home/u/.loom/runs/hello-x7k2p/artifacts/hello-x7k2p-1/model.tgz"}},
        {"name": "log", "path": "/out/log.txt", "local": {"path": "/home/u/.loom/runs/a/log.txt"},
         "archive": {"none": {}}}],
      "result": "hi", "exitCode": "1"}})"));
}

TEST(WorkflowToJson, LeavesOutEmptyFields) {
  WorkflowStatus status = fixtures::BaseStatus(WorkflowPhase::kRunning);
  fixtures::AddNode(status, "wf", NodeType::kPod, "wf", "", NodePhase::kRunning);
  Json wf = WorkflowToJson(Json::object(), status);
  EXPECT_EQ(wf["status"], Json::parse(R"({
    "phase": "Running", "startedAt": "2026-12-02T05:46:00Z", "progress": "0/1",
    "nodes": {"wf": {"id": "wf", "name": "wf", "displayName": "wf", "type": "Pod",
                     "phase": "Running", "startedAt": "2026-12-02T05:46:00Z"}}})"));
  EXPECT_EQ(wf["metadata"]["labels"]["workflows.argoproj.io/completed"], "false");
  EXPECT_FALSE(wf.contains("spec"));
}

// What the store keeps (the header and each node's JSON) reads back as the status it came from.
TEST(StatusFromJson, RoundTripsWhatWorkflowToJsonWrote) {
  WorkflowStatus original = HelloStatus();
  original.parameters = {{"message", "hi"}};
  Json document = kDocument;
  document["metadata"]["name"] = original.name;
  document["metadata"]["namespace"] = original.namespace_;
  document["spec"]["arguments"] = {{"parameters", {{{"name", "message"}, {"value", "hi"}}}}};
  Json wf = WorkflowToJson(document, original);
  std::map<std::string, Json> nodes;
  for (const auto& [id, node] : wf["status"]["nodes"].items()) nodes[id] = node;
  Json header = wf["status"];
  header.erase("nodes");
  EXPECT_EQ(header, StatusHeaderToJson(original));

  auto read = StatusFromJson(document, header, nodes);
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_EQ(read->name, "hello-x7k2p");
  EXPECT_EQ(read->phase, WorkflowPhase::kFailed);
  EXPECT_EQ(read->message, original.message);
  EXPECT_EQ(read->started_at, T0());  // to the second, as Argo keeps it
  EXPECT_EQ(read->parameters.size(), 1u);
  EXPECT_EQ(read->output_parameters[0].value, "0.93");
  ASSERT_EQ(read->nodes.size(), 2u);
  const Node& pod = read->nodes.at("hello-x7k2p-1");
  const Node& want = original.nodes.at("hello-x7k2p-1");
  EXPECT_EQ(pod.name, want.name);
  EXPECT_EQ(pod.type, NodeType::kPod);
  EXPECT_EQ(pod.phase, NodePhase::kFailed);
  EXPECT_EQ(pod.boundary_id, want.boundary_id);
  EXPECT_EQ(pod.inputs.parameters[1].value, std::nullopt);
  EXPECT_EQ(pod.inputs.artifacts[0].raw_data, "echo hi");
  EXPECT_EQ(pod.outputs.artifacts[0].location, want.outputs.artifacts[0].location);
  EXPECT_TRUE(pod.outputs.artifacts[0].archived);
  EXPECT_FALSE(pod.outputs.artifacts[1].archived);
  EXPECT_EQ(pod.outputs.result, "hi");
  EXPECT_EQ(pod.outputs.exit_code, "1");
  EXPECT_EQ(pod.finished_at, want.finished_at);
  EXPECT_EQ(read->nodes.at("hello-x7k2p").children, original.nodes.at("hello-x7k2p").children);
  EXPECT_EQ(NodeToJson(pod), NodeToJson(want));
}

TEST(StatusFromJson, MalformedNodesAreErrorsNamingTheNode) {
  Json header = {{"phase", "Running"}};
  auto bad_phase = StatusFromJson(
      Json::object(), header, {{"n1", Json{{"id", "n1"}, {"type", "Pod"}, {"phase", "Dancing"}}}});
  ASSERT_FALSE(bad_phase.ok());
  EXPECT_NE(bad_phase.error().find("node n1: unknown phase"), std::string::npos);
  EXPECT_FALSE(StatusFromJson(Json::object(), header, {{"n2", Json::array()}}).ok());
  EXPECT_FALSE(StatusFromJson(Json::object(), {{"phase", "Sleeping"}}, {}).ok());
}

TEST(Timestamp, ParsesWhatItPrints) {
  EXPECT_EQ(ParseTimestamp(Timestamp(T0())), T0());
  EXPECT_EQ(ParseTimestamp("2026-12-02"), std::nullopt);
  EXPECT_EQ(ParseTimestamp("2026-12-02T05:46:00Zjunk"), std::nullopt);
  EXPECT_EQ(ParseTimestamp("2999-01-01T00:00:00Z"), std::nullopt);  // past system_clock's end
  EXPECT_NE(ParseTimestamp("2200-01-01T00:00:00Z"), std::nullopt);
}

}  // namespace
}  // namespace loom::engine
