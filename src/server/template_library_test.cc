// Resolving a workflow's references against stored templates (a real
// SQLite store in a fresh folder): which documents join its library, the
// joined workflowTemplateRef, where problems are reported, and the
// qualification of a stored template's local references.
#include "server/template_library.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "server/template_store.h"
#include "spec/parser.h"

namespace loom::server {
namespace {

Json Echo(const std::string& name) {
  return {{"name", name},
          {"inputs", {{"parameters", {{{"name", "msg"}}}}}},
          {"container", {{"image", "debian"}, {"command", {"echo", "{{inputs.parameters.msg}}"}}}}};
}

class TemplateLibraryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/loom-template-library-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    auto store = store::Open(dir_ + "/loom.db");
    ASSERT_TRUE(store.ok()) << store.error();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Store(const Json& tmpl, bool cluster_scope = false) {
    auto created = TemplateStore(*store_, cluster_scope).Create("default", tmpl);
    ASSERT_TRUE(created.ok()) << created.error().message;
  }

  // Parses `workflow` (its JSON as text, file "wf.json") and prepares it.
  spec::Diagnostics Prepare(const Json& workflow, RunDocuments* run,
                            spec::ValidateOptions options = {}) {
    spec::ParseResult parsed = spec::ParseText(workflow.dump(2), "wf.json");
    EXPECT_TRUE(parsed.ok()) << parsed.diagnostics.front().ToString();
    run->documents = std::move(parsed.documents);
    run->json = {workflow};
    return PrepareToRun(*run, StoredTemplates(*store_, "default"), options);
  }

  static std::string Messages(const spec::Diagnostics& diagnostics) {
    std::string all;
    for (const spec::Diagnostic& d : diagnostics) all += d.ToString() + "\n";
    return all;
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
};

// `lib`: main runs its own `echo` and `base`'s `echo` (a stored template of its own).
Json Lib() {
  Json main = {{"name", "main"},
               {"steps",
                {{{{"name", "local"},
                   {"template", "echo"},
                   {"arguments", {{"parameters", {{{"name", "msg"}, {"value", "a"}}}}}}}},
                 {{{"name", "further"},
                   {"templateRef", {{"name", "base"}, {"template", "echo"}}},
                   {"arguments", {{"parameters", {{{"name", "msg"}, {"value", "b"}}}}}}}}}}};
  return {{"kind", "WorkflowTemplate"},
          {"metadata", {{"name", "lib"}}},
          {"spec",
           {{"entrypoint", "main"},
            {"arguments",
             {{"parameters", {{{"name", "mode"}, {"value", "fast"}, {"enum", {"fast", "slow"}}}}}}},
            {"templates", {main, Echo("echo")}}}}};
}

Json Base() {
  return {{"kind", "WorkflowTemplate"},
          {"metadata", {{"name", "base"}}},
          {"spec", {{"templates", {Echo("echo")}}}}};
}

Json UsesLib() {
  return Json::parse(R"({"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
    "metadata": {"name": "uses"}, "spec": {"entrypoint": "main", "templates": [
      {"name": "main", "steps": [[{"name": "run", "templateRef": {"name": "lib", "template": "main"}}]]}]}})");
}

TEST_F(TemplateLibraryTest, ReferencedStoredTemplatesJoinTheLibraryTransitively) {
  Store(Base());
  Store(Lib());
  Json unused = Base();
  unused["metadata"]["name"] = "unused";
  Store(unused);
  RunDocuments run;
  spec::Diagnostics problems = Prepare(UsesLib(), &run);
  ASSERT_TRUE(problems.empty()) << Messages(problems);
  std::vector<std::string> names;
  for (const spec::Workflow& d : run.documents) names.push_back(d.metadata.name);
  EXPECT_EQ(names, (std::vector<std::string>{"uses", "lib", "base"}));
  EXPECT_TRUE(run.stored_template_spec.is_null());

  // lib's local `echo` now names lib itself, as Argo resolves it there.
  const spec::Invocation& local = run.documents[1].spec.templates[0].steps[0][0];
  EXPECT_EQ(local.template_ref_name, "lib");
  EXPECT_EQ(local.template_ref_template, "echo");
  EXPECT_TRUE(local.template_name.empty());
  EXPECT_NE(spec::FindReferencedTemplate(run.documents, local), nullptr);
  // The workflow's own references are left as written.
  EXPECT_EQ(run.documents[0].spec.templates[0].steps[0][0].template_ref_name, "lib");
}

TEST_F(TemplateLibraryTest, AMissingStoredTemplateIsReportedWhereItIsUsed) {
  Store(Base());
  Json workflow = UsesLib();
  workflow["spec"]["templates"][0]["steps"][0][0]["templateRef"]["name"] = "nothere";
  RunDocuments run;
  std::string messages = Messages(Prepare(workflow, &run));
  EXPECT_NE(messages.find("wf.json:"), std::string::npos) << messages;
  EXPECT_NE(messages.find("uses templateRef nothere.main, which was not found"), std::string::npos)
      << messages;

  // A cluster-scoped reference does not find a namespaced template of that name.
  workflow["spec"]["templates"][0]["steps"][0][0]["templateRef"] =
      Json{{"name", "base"}, {"template", "echo"}, {"clusterScope", true}};
  workflow["spec"]["templates"][0]["steps"][0][0]["arguments"] = {
      {"parameters", {{{"name", "msg"}, {"value", "x"}}}}};
  messages = Messages(Prepare(workflow, &run));
  EXPECT_NE(messages.find("uses templateRef base.echo, which was not found"), std::string::npos)
      << messages;
  Json cluster = Base();
  cluster["kind"] = "ClusterWorkflowTemplate";
  Store(cluster, true);
  EXPECT_EQ(Messages(Prepare(workflow, &run)), "");
}

TEST_F(TemplateLibraryTest, WorkflowTemplateRefJoinsAndReportsAtTheReference) {
  Store(Base());
  Store(Lib());
  Json workflow = Json::parse(R"({"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
    "metadata": {"name": "w"},
    "spec": {"workflowTemplateRef": {"name": "lib"},
             "arguments": {"parameters": [{"name": "mode", "value": "slow"}]}}})");
  RunDocuments run;
  spec::Diagnostics problems = Prepare(workflow, &run);
  ASSERT_TRUE(problems.empty()) << Messages(problems);
  const spec::Workflow& joined = run.documents[0];
  EXPECT_EQ(joined.spec.entrypoint, "main");
  EXPECT_EQ(joined.spec.templates.size(), 2u);
  EXPECT_FALSE(joined.spec.workflow_template_ref);
  EXPECT_EQ(run.stored_template_spec["arguments"]["parameters"][0]["value"], "slow");
  EXPECT_EQ(run.stored_template_spec["workflowTemplateRef"]["name"], "lib");

  // A value the template's enum refuses: reported at the workflowTemplateRef (line 16 of wf.json).
  workflow["spec"]["arguments"]["parameters"][0]["value"] = "sideways";
  problems = Prepare(workflow, &run);
  ASSERT_EQ(problems.size(), 1u) << Messages(problems);
  EXPECT_EQ(problems[0].file, "wf.json");
  EXPECT_EQ(problems[0].pos.line, 16) << Messages(problems);
  EXPECT_EQ(problems[0].message.rfind("with WorkflowTemplate 'lib': value 'sideways'", 0), 0u)
      << Messages(problems);

  workflow["spec"]["workflowTemplateRef"]["name"] = "gone";
  EXPECT_NE(Messages(Prepare(workflow, &run))
                .find("workflowTemplateRef: WorkflowTemplate 'gone' not found (neither in this "
                      "file nor in namespace \"default\" of the store)"),
            std::string::npos);
}

TEST_F(TemplateLibraryTest, TheWorkflowsOwnFileComesFirst) {
  Store(Base());
  Json lib = Lib();
  Store(lib);
  // The file's `lib` has no `main`: the stored one is not consulted.
  std::string text = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: uses}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: run
        templateRef: {name: lib, template: main}
---
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: lib}
spec:
  templates:
  - {name: other, container: {image: debian}}
)";
  spec::ParseResult parsed = spec::ParseText(text, "two.yaml");
  ASSERT_TRUE(parsed.ok());
  RunDocuments run;
  run.documents = std::move(parsed.documents);
  std::string messages =
      Messages(PrepareToRun(run, StoredTemplates(*store_, "default"), spec::ValidateOptions{}));
  EXPECT_NE(messages.find("two.yaml:10:"), std::string::npos) << messages;
  EXPECT_NE(messages.find("uses templateRef lib.main, which was not found"), std::string::npos)
      << messages;
}

TEST_F(TemplateLibraryTest, StoredTemplatesThatCannotBeUsedAndFailedLookupsAreProblems) {
  store::StoredObject broken;
  broken.kind = "WorkflowTemplate";
  broken.namespace_ = "default";
  broken.name = "lib";
  broken.uid = "u";
  broken.document = {{"apiVersion", "argoproj.io/v1alpha1"},
                     {"kind", "WorkflowTemplate"},
                     {"metadata", {{"name", "lib"}}},
                     {"spec", {{"templatez", Json::array()}}}};
  ASSERT_EQ(*store_->CreateObject(broken), store::ObjectWrite::kDone);
  RunDocuments run;
  std::string messages = Messages(Prepare(UsesLib(), &run));
  EXPECT_NE(messages.find("wf.json: error: stored WorkflowTemplate 'lib' cannot be used: "),
            std::string::npos)
      << messages;

  TemplateLookup failing;
  failing.find = [](const spec::TemplateDocumentRef&) -> Result<std::optional<Json>> {
    return Status::Error("the store is down");
  };
  spec::ParseResult parsed = spec::ParseText(UsesLib().dump(2), "wf.json");
  run.documents = std::move(parsed.documents);
  run.json = {UsesLib()};
  messages = Messages(PrepareToRun(run, failing, {}));
  EXPECT_NE(messages.find("cannot look up WorkflowTemplate 'lib': the store is down"),
            std::string::npos)
      << messages;
}

}  // namespace
}  // namespace loom::server
