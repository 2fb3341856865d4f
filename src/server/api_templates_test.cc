// The (Cluster)WorkflowTemplate API and its use, end to end against a real
// server, store and processes: create, list, get, update, delete and lint of
// both kinds; workflows that use them through templateRef (the referenced
// template's own local references resolving in its template) and
// workflowTemplateRef (the workflow's parameters winning); POST .../submit;
// and the errors: a bad template's lint messages, missing templates.
#include "server/server_test_fixture.h"
#include "store/store.h"

namespace loom::server {
namespace {

class TemplateApiTest : public ServerTest {
 protected:
  // Any method with a JSON body; `status` receives the HTTP status.
  Json Send(const std::string& method, const std::string& path, const Json& body,
            int* status) const {
    auto client = Client();
    std::string text = body.dump();
    httplib::Result result = method == "PUT"    ? client->Put(path, text, "application/json")
                             : method == "POST" ? client->Post(path, text, "application/json")
                                                : client->Get(path);
    EXPECT_TRUE(result) << method << " " << path;
    if (!result) return nullptr;
    *status = result->status;
    return Json::parse(result->body, nullptr, false);
  }

  // Creates a template through the API and expects it to work.
  Json Create(const std::string& collection, const Json& tmpl) {
    int status = 0;
    Json created = Send("POST", collection, {{"template", tmpl}}, &status);
    EXPECT_EQ(status, 200) << created.dump();
    return created;
  }
};

// A WorkflowTemplate whose `main` DAG calls its own local `echo`.
Json Library(const std::string& name) {
  return Json::parse(R"({
    "metadata": {"name": ")" +
                     name + R"(", "labels": {"team": "ml"}},
    "spec": {
      "entrypoint": "main",
      "arguments": {"parameters": [{"name": "first", "value": "one"},
                                   {"name": "second", "value": "two"}]},
      "templates": [
        {"name": "main", "dag": {"tasks": [{"name": "say", "template": "echo",
          "arguments": {"parameters": [{"name": "msg",
            "value": "{{workflow.parameters.first}}-{{workflow.parameters.second}}"}]}}]}},
        {"name": "echo", "inputs": {"parameters": [{"name": "msg"}]},
         "container": {"image": "debian", "command": ["sh", "-c", "echo {{inputs.parameters.msg}}"]}}
      ]}})");
}

TEST_F(TemplateApiTest, WorkflowTemplatesAreCreatedListedUpdatedAndDeleted) {
  StartServer();
  const std::string base = "/api/v1/workflow-templates/default";
  Json created = Create(base, Library("lib"));
  EXPECT_EQ(created["kind"], "WorkflowTemplate");
  EXPECT_EQ(created["metadata"]["namespace"], "default");
  EXPECT_EQ(created["metadata"]["resourceVersion"], "1");
  EXPECT_FALSE(created["metadata"].value("uid", "").empty());
  EXPECT_TRUE(created["metadata"].contains("creationTimestamp"));

  int status = 0;
  Json again = Send("POST", base, {{"template", Library("lib")}}, &status);
  EXPECT_EQ(status, 409) << again.dump();
  EXPECT_EQ(Call("GET", base + "/lib"), created);

  Json other = Library("other");
  other["metadata"]["labels"]["team"] = "web";
  Create("/api/v1/workflow-templates/elsewhere", other);
  auto names = [&](const std::string& path) {
    std::vector<std::string> out;
    Json listed = Call("GET", path);
    for (const Json& item : listed["items"]) out.push_back(item["metadata"]["name"]);
    return out;
  };
  EXPECT_EQ(names(base), std::vector<std::string>{"lib"});
  EXPECT_EQ(names("/api/v1/workflow-templates/"), (std::vector<std::string>{"lib", "other"}));
  EXPECT_EQ(names("/api/v1/workflow-templates/?listOptions.labelSelector=team%3Dweb"),
            std::vector<std::string>{"other"});
  EXPECT_EQ(names(base + "?listOptions.labelSelector=team%3Dweb"), std::vector<std::string>{});

  Json changed = created;
  changed["spec"]["entrypoint"] = "echo";
  changed["spec"]["arguments"]["parameters"][0]["value"] = "uno";
  Json updated = Send("PUT", base + "/lib", {{"template", changed}}, &status);
  ASSERT_EQ(status, 200) << updated.dump();
  EXPECT_EQ(updated["metadata"]["resourceVersion"], "2");
  EXPECT_EQ(updated["metadata"]["uid"], created["metadata"]["uid"]);
  EXPECT_EQ(Call("GET", base + "/lib")["spec"]["entrypoint"], "echo");
  Json stale = Send("PUT", base + "/lib", {{"template", changed}}, &status);  // resourceVersion 1
  EXPECT_EQ(status, 409) << stale.dump();
  changed["metadata"]["name"] = "renamed";
  Send("PUT", base + "/lib", {{"template", changed}}, &status);
  EXPECT_EQ(status, 400);

  EXPECT_EQ(Call("DELETE", base + "/lib", nullptr, &status), Json::object());
  EXPECT_EQ(status, 200);
  Json gone = Call("GET", base + "/lib", nullptr, &status);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(gone["message"], "workflow template \"lib\" not found in namespace \"default\"");
  Call("DELETE", base + "/lib", nullptr, &status);
  EXPECT_EQ(status, 404);
}

TEST_F(TemplateApiTest, AnInvalidTemplateIsRefusedWithLintsMessagesAndNotStored) {
  StartServer();
  Json bad = Library("bad");
  bad["spec"]["templates"][0]["dag"]["tasks"][0]["template"] = "nonesuch";
  int status = 0;
  Json refused = Send("POST", "/api/v1/workflow-templates/default", {{"template", bad}}, &status);
  EXPECT_EQ(status, 400);
  std::string message = refused.value("message", "");
  EXPECT_NE(message.find("template:"), std::string::npos) << message;
  EXPECT_NE(message.find(": error: task 'say' of template 'main' uses unknown template 'nonesuch'"),
            std::string::npos)
      << message;
  Json lint = Send("POST", "/api/v1/workflow-templates/default/lint", {{"template", bad}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(lint["message"], message);
  EXPECT_TRUE(Call("GET", "/api/v1/workflow-templates/default")["items"].empty());

  Json good = Send("POST", "/api/v1/workflow-templates/default/lint",
                   {{"template", Library("good")}}, &status);
  EXPECT_EQ(status, 200) << good.dump();
  EXPECT_EQ(good["metadata"]["namespace"], "default");
  EXPECT_TRUE(Call("GET", "/api/v1/workflow-templates/default")["items"].empty());

  Json wrong_kind = Library("x");
  wrong_kind["kind"] = "ClusterWorkflowTemplate";
  Send("POST", "/api/v1/workflow-templates/default", {{"template", wrong_kind}}, &status);
  EXPECT_EQ(status, 400);
  Send("POST", "/api/v1/workflow-templates/default", {{"nottemplate", 1}}, &status);
  EXPECT_EQ(status, 400);
}

TEST_F(TemplateApiTest, ClusterWorkflowTemplatesHaveNoNamespace) {
  StartServer();
  const std::string base = "/api/v1/cluster-workflow-templates";
  Json created = Create(base, Library("shared"));
  EXPECT_EQ(created["kind"], "ClusterWorkflowTemplate");
  EXPECT_FALSE(created["metadata"].contains("namespace"));
  EXPECT_EQ(Call("GET", base + "/shared")["metadata"]["uid"], created["metadata"]["uid"]);
  EXPECT_EQ(Call("GET", base)["items"].size(), 1u);
  // Not a WorkflowTemplate of any namespace.
  int status = 0;
  Call("GET", "/api/v1/workflow-templates/default/shared", nullptr, &status);
  EXPECT_EQ(status, 404);
  Json lint = Send("POST", base + "/lint", {{"template", Library("x")}}, &status);
  EXPECT_EQ(status, 200) << lint.dump();
  Call("DELETE", base + "/shared", nullptr, &status);
  EXPECT_EQ(status, 200);
  Json gone = Call("GET", base + "/shared", nullptr, &status);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(gone["message"], "cluster workflow template \"shared\" not found");
}

TEST_F(TemplateApiTest, TemplateRefsRunTheStoredTemplatesInTheirOwnContext) {
  StartServer();
  Create("/api/v1/workflow-templates/default", Library("lib"));
  Create("/api/v1/cluster-workflow-templates", Library("shared"));
  Json workflow = Json::parse(R"({
    "metadata": {"name": "uses-refs"},
    "spec": {
      "entrypoint": "main",
      "arguments": {"parameters": [{"name": "first", "value": "mine"},
                                   {"name": "second", "value": "too"}]},
      "templates": [{"name": "main", "steps": [
        [{"name": "direct", "templateRef": {"name": "lib", "template": "echo"},
          "arguments": {"parameters": [{"name": "msg", "value": "hello"}]}}],
        [{"name": "nested", "templateRef": {"name": "lib", "template": "main"}}],
        [{"name": "cluster", "templateRef": {"name": "shared", "template": "echo",
                                              "clusterScope": true},
          "arguments": {"parameters": [{"name": "msg", "value": "everyone"}]}}]
      ]}]}})");
  int status = 0;
  Json created = Submit(workflow, &status);
  ASSERT_EQ(status, 200) << created.dump();
  Json done = WaitForPhase("uses-refs", "Succeeded");
  EXPECT_EQ(Node(done, "direct")["outputs"]["result"], "hello");
  // `say` is lib's task calling lib's local `echo`; the parameters are the workflow's.
  EXPECT_EQ(Node(done, "say")["outputs"]["result"], "mine-too");
  EXPECT_EQ(Node(done, "cluster")["outputs"]["result"], "everyone");
}

TEST_F(TemplateApiTest, WorkflowTemplateRefRunsTheTemplateWithTheWorkflowsParameters) {
  StartServer();
  Create("/api/v1/workflow-templates/default", Library("lib"));
  Json workflow = {{"metadata", {{"name", "from-lib"}}},
                   {"spec",
                    {{"workflowTemplateRef", {{"name", "lib"}}},
                     {"arguments", {{"parameters", {{{"name", "second"}, {"value", "mine"}}}}}}}}};
  int status = 0;
  Json created = Submit(workflow, &status);
  ASSERT_EQ(status, 200) << created.dump();
  Json done = WaitForPhase("from-lib", "Succeeded");
  EXPECT_EQ(Node(done, "say")["outputs"]["result"], "one-mine");
  EXPECT_EQ(done["spec"], workflow["spec"]);  // kept as submitted
  Json stored = done["status"]["storedWorkflowTemplateSpec"];
  EXPECT_EQ(stored["entrypoint"], "main");
  EXPECT_EQ(
      stored["arguments"]["parameters"],
      Json::parse(R"([{"name": "first", "value": "one"}, {"name": "second", "value": "mine"}])"));
  EXPECT_EQ(stored["templates"].size(), 2u);
}

TEST_F(TemplateApiTest, ARestartedServerRunsTheSpecJoinedAtSubmitEvenWithoutTheTemplate) {
  StartServer();
  Json slow = Json::parse(R"({"metadata": {"name": "slow"}, "spec": {"entrypoint": "main",
    "templates": [{"name": "main", "retryStrategy": {"limit": 2},
      "container": {"image": "debian", "command": ["sh", "-c", "sleep 1; echo done"]}}]}})");
  Create("/api/v1/workflow-templates/default", slow);
  int status = 0;
  Submit({{"metadata", {{"name", "on-slow"}}},
          {"spec", {{"workflowTemplateRef", {{"name", "slow"}}}}}},
         &status);
  ASSERT_EQ(status, 200);
  WaitForPhase("on-slow", "Running");
  Call("DELETE", "/api/v1/workflow-templates/default/slow", nullptr, &status);
  ASSERT_EQ(status, 200);
  // Steps of an in-process server die with it; the retry runs the step again.
  server_.reset();
  {
    auto opened = store::Open(home_ + "/loom.db");
    ASSERT_TRUE(opened.ok()) << opened.error();
    auto stored = (*opened)->Get("default", "on-slow");
    ASSERT_TRUE(stored.ok() && stored->has_value());
    ASSERT_EQ((*stored)->header.phase, "Running");  // left for the next server to continue
  }
  StartServer();
  Json done = WaitForPhase("on-slow", "Succeeded");
  EXPECT_EQ(done["status"]["storedWorkflowTemplateSpec"]["entrypoint"], "main");
}

TEST_F(TemplateApiTest, MissingTemplatesAreClearErrors) {
  StartServer();
  int status = 0;
  Json missing = Submit(
      {{"metadata", {{"name", "orphan"}}}, {"spec", {{"workflowTemplateRef", {{"name", "gone"}}}}}},
      &status);
  EXPECT_EQ(status, 400);
  EXPECT_NE(missing.value("message", "")
                .find("workflowTemplateRef: WorkflowTemplate 'gone' not "
                      "found (neither in this file nor in namespace "
                      "\"default\" of the store)"),
            std::string::npos)
      << missing.dump();
  Json bad_ref = Submit(Json::parse(R"({"metadata": {"name": "bad-ref"}, "spec": {
    "entrypoint": "main", "templates": [{"name": "main", "steps": [[
      {"name": "a", "templateRef": {"name": "gone", "template": "echo"}}]]}]}})"),
                        &status);
  EXPECT_EQ(status, 400);
  EXPECT_NE(bad_ref.value("message", "").find("uses templateRef gone.echo, which was not found"),
            std::string::npos)
      << bad_ref.dump();
  Call("GET", "/api/v1/workflows/default/orphan", nullptr, &status);
  EXPECT_EQ(status, 404);
}

TEST_F(TemplateApiTest, SubmitMakesAWorkflowFromAStoredTemplate) {
  StartServer();
  Create("/api/v1/workflow-templates/default", Library("lib"));
  Create("/api/v1/cluster-workflow-templates", Library("shared"));
  int status = 0;
  Json request = {
      {"resourceKind", "WorkflowTemplate"},
      {"resourceName", "lib"},
      {"submitOptions",
       {{"parameters", {"first=uno"}}, {"labels", "cadence=daily,team=ml"}, {"name", "lib-run"}}}};
  Json created = Send("POST", "/api/v1/workflows/default/submit", request, &status);
  ASSERT_EQ(status, 200) << created.dump();
  EXPECT_EQ(created["metadata"]["name"], "lib-run");
  EXPECT_EQ(created["metadata"]["labels"]["workflows.argoproj.io/workflow-template"], "lib");
  EXPECT_EQ(created["metadata"]["labels"]["cadence"], "daily");
  EXPECT_EQ(created["spec"]["workflowTemplateRef"], Json({{"name", "lib"}}));
  Json done = WaitForPhase("lib-run", "Succeeded");
  EXPECT_EQ(Node(done, "say")["outputs"]["result"], "uno-two");

  Json cluster = Send("POST", "/api/v1/workflows/default/submit",
                      {{"resourceKind", "ClusterWorkflowTemplate"},
                       {"resourceName", "shared"},
                       {"submitOptions", {{"entryPoint", "echo"}, {"parameters", {"msg=hi"}}}}},
                      &status);
  ASSERT_EQ(status, 200) << cluster.dump();
  std::string name = cluster["metadata"]["name"];
  EXPECT_EQ(name.rfind("shared-", 0), 0u) << name;
  EXPECT_EQ(cluster["metadata"]["labels"]["workflows.argoproj.io/cluster-workflow-template"],
            "shared");
  EXPECT_EQ(WaitForPhase(name, "Succeeded")["status"]["nodes"][name]["outputs"]["result"], "hi");

  Json dry = Send("POST", "/api/v1/workflows/default/submit",
                  {{"resourceKind", "WorkflowTemplate"},
                   {"resourceName", "lib"},
                   {"submitOptions", {{"name", "dry"}, {"dryRun", true}}}},
                  &status);
  EXPECT_EQ(status, 200) << dry.dump();
  Call("GET", "/api/v1/workflows/default/dry", nullptr, &status);
  EXPECT_EQ(status, 404);

  Json unknown = Send("POST", "/api/v1/workflows/default/submit",
                      {{"resourceKind", "Pod"}, {"resourceName", "lib"}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_NE(unknown.value("message", "").find("resourceKind \"Pod\" cannot be submitted"),
            std::string::npos);
  Send("POST", "/api/v1/workflows/default/submit",
       {{"resourceKind", "WorkflowTemplate"}, {"resourceName", "nothere"}}, &status);
  EXPECT_EQ(status, 404);
  Send("POST", "/api/v1/workflows/default/submit",
       {{"resourceKind", "WorkflowTemplate"},
        {"resourceName", "lib"},
        {"submitOptions", {{"parameters", {"no-equals"}}}}},
       &status);
  EXPECT_EQ(status, 400);
}

}  // namespace
}  // namespace loom::server
