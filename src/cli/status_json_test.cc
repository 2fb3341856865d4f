// WorkflowToJson gives Argo's Workflow shape: omitempty, times, node fields, outputs.
#include "cli/status_json.h"

#include <gtest/gtest.h>

#include "cli/test_statuses.h"

namespace loom::cli {
namespace {

using namespace std::chrono_literals;
using fixtures::T0;

const Json kDocument = {
    {"apiVersion", "argoproj.io/v1alpha1"},
    {"kind", "Workflow"},
    {"metadata", {{"generateName", "hello-"}, {"labels", {{"team", "ml"}}}}},
    {"spec", {{"entrypoint", "main"}, {"templates", Json::array({{{"name", "main"}}})}}}};

engine::WorkflowStatus HelloStatus() {
  engine::WorkflowStatus status = fixtures::BaseStatus(engine::WorkflowPhase::kFailed);
  status.name = "hello-x7k2p";
  status.started_at = T0() + 700ms;  // printed to the second, truncated
  status.message = "child 'hello-x7k2p-1' failed";
  status.output_parameters = {{"best", "0.93"}};
  engine::Node& root = fixtures::AddNode(status, "hello-x7k2p", engine::NodeType::kSteps,
                                         "hello-x7k2p", "main", engine::NodePhase::kFailed);
  root.children = {"hello-x7k2p-1"};
  root.outbound_nodes = {"hello-x7k2p-1"};
  engine::Node& pod = fixtures::AddNode(status, "hello-x7k2p-1", engine::NodeType::kPod, "say",
                                        "say", engine::NodePhase::kFailed, "hello-x7k2p");
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
  engine::WorkflowStatus status = fixtures::BaseStatus(engine::WorkflowPhase::kRunning);
  fixtures::AddNode(status, "wf", engine::NodeType::kPod, "wf", "", engine::NodePhase::kRunning);
  Json wf = WorkflowToJson(Json::object(), status);
  EXPECT_EQ(wf["status"], Json::parse(R"({
    "phase": "Running", "startedAt": "2026-12-02T05:46:00Z", "progress": "0/1",
    "nodes": {"wf": {"id": "wf", "name": "wf", "displayName": "wf", "type": "Pod",
                     "phase": "Running", "startedAt": "2026-12-02T05:46:00Z"}}})"));
  EXPECT_EQ(wf["metadata"]["labels"]["workflows.argoproj.io/completed"], "false");
  EXPECT_FALSE(wf.contains("spec"));
}

}  // namespace
}  // namespace loom::cli
