// Joining a Workflow with the WorkflowTemplate its workflowTemplateRef
// names, as Argo's strategic merge does it (util.JoinWorkflowSpec).
#include "server/workflow_template.h"

#include <gtest/gtest.h>

#include "server/submission.h"

namespace loom::server {
namespace {

Json Parse(const char* text) { return Json::parse(text); }

TEST(JoinWorkflowSpecTest, TheWorkflowsFieldsWinAndObjectsMergeKeyByKey) {
  Json joined = JoinWorkflowSpec(
      Parse(R"({"entrypoint": "other", "parallelism": 2, "podGC": {"strategy": "OnPodSuccess"},
                "workflowTemplateRef": {"name": "lib"}})"),
      Parse(R"({"entrypoint": "main", "onExit": "cleanup", "activeDeadlineSeconds": 60,
                "podGC": {"strategy": "OnWorkflowSuccess", "deleteDelayDuration": "30s"}})"));
  EXPECT_EQ(joined, Parse(R"({"entrypoint": "other", "parallelism": 2, "onExit": "cleanup",
    "activeDeadlineSeconds": 60, "workflowTemplateRef": {"name": "lib"},
    "podGC": {"strategy": "OnPodSuccess", "deleteDelayDuration": "30s"}})"));
}

TEST(JoinWorkflowSpecTest, ParametersAndTemplatesMergeByName) {
  Json joined =
      JoinWorkflowSpec(Parse(R"({"arguments": {"parameters": [{"name": "b", "value": "mine"},
                                             {"name": "new", "value": "x"}]},
                "templates": [{"name": "extra", "suspend": {}}]})"),
                       Parse(R"({"arguments": {"parameters": [{"name": "a", "value": "1"},
                                             {"name": "b", "value": "2", "enum": ["2", "mine"]}]},
                "templates": [{"name": "main", "suspend": {}}]})"));
  EXPECT_EQ(joined["arguments"]["parameters"], Parse(R"([{"name": "a", "value": "1"},
    {"name": "b", "value": "mine", "enum": ["2", "mine"]}, {"name": "new", "value": "x"}])"));
  EXPECT_EQ(joined["templates"],
            Parse(R"([{"name": "main", "suspend": {}}, {"name": "extra", "suspend": {}}])"));
}

TEST(JoinWorkflowSpecTest, OtherListsAreReplacedAndHooksAndSuspendAreTheWorkflows) {
  Json joined = JoinWorkflowSpec(
      Parse(R"({"imagePullSecrets": [{"name": "mine"}],
                "hooks": {"exit": {"template": "my-exit"}}})"),
      Parse(R"({"imagePullSecrets": [{"name": "theirs"}, {"name": "more"}], "suspend": true,
                "hooks": {"exit": {"template": "their-exit"},
                          "running": {"template": "watch", "expression": "true"}}})"));
  EXPECT_EQ(joined["imagePullSecrets"], Parse(R"([{"name": "mine"}])"));
  EXPECT_EQ(joined["hooks"], Parse(R"({"exit": {"template": "my-exit"},
    "running": {"template": "watch", "expression": "true"}})"));
  EXPECT_FALSE(joined.contains("suspend"));  // the template's suspend does not carry over
  EXPECT_EQ(JoinWorkflowSpec(Parse(R"({"suspend": true})"), Json::object())["suspend"], true);
}

TEST(TemplateObjectTest, AddsTheStoresFields) {
  store::StoredObject object;
  object.kind = kClusterWorkflowTemplateKind;
  object.namespace_ = "";
  object.name = "shared";
  object.uid = "u-1";
  object.created_at = 1700000000000;
  object.version = 3;
  object.document = Parse(R"({"kind": "ClusterWorkflowTemplate",
    "metadata": {"name": "shared", "namespace": "stray"}, "spec": {}})");
  Json tmpl = TemplateObject(object);
  EXPECT_EQ(tmpl["metadata"], Parse(R"({"name": "shared", "uid": "u-1",
    "creationTimestamp": "2023-11-14T22:13:20Z", "resourceVersion": "3"})"));
}

TEST(ContinuedDocumentTest, RunsTheJoinedSpecWithWhatTheServerRecordedSince) {
  store::WorkflowHeader header;
  header.document = Parse(R"({"kind": "Workflow", "metadata": {"name": "w"},
    "spec": {"workflowTemplateRef": {"name": "lib"}, "shutdown": "Stop"}})");
  header.status = Parse(R"({"phase": "Running", "storedWorkflowTemplateSpec":
    {"workflowTemplateRef": {"name": "lib"}, "entrypoint": "main", "suspend": true,
     "templates": [{"name": "main", "suspend": {}}]}})");
  EXPECT_EQ(ContinuedDocument(header), Parse(R"({"kind": "Workflow", "metadata": {"name": "w"},
    "spec": {"entrypoint": "main", "shutdown": "Stop",
             "templates": [{"name": "main", "suspend": {}}]}})"));
  header.status.erase("storedWorkflowTemplateSpec");
  EXPECT_EQ(ContinuedDocument(header), header.document);
}

}  // namespace
}  // namespace loom::server
