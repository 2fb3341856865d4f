// Parser: documents, kinds, positions, scalars as Argo reads them,
// templateDefaults, withItems as Json, unknown fields and wrong types.
#include "spec/parser.h"

#include <gtest/gtest.h>

namespace loom::spec {
namespace {

const char* kHeader =
    "apiVersion: argoproj.io/v1alpha1\n"
    "kind: Workflow\n"
    "metadata:\n"
    "  generateName: t-\n";

ParseResult Parse(const std::string& spec) {
  return ParseText(std::string(kHeader) + spec, "t.yaml");
}

std::string Messages(const ParseResult& r) {
  std::string all;
  for (const Diagnostic& d : r.diagnostics) all += d.ToString() + "\n";
  return all;
}

TEST(ParserTest, ReadsStepsWithPositions) {
  ParseResult r = Parse(
      "spec:\n"
      "  entrypoint: main\n"
      "  templates:\n"
      "  - name: main\n"
      "    steps:\n"
      "    - - name: a\n"
      "        template: echo\n"
      "      - name: b\n"
      "        template: echo\n"
      "  - name: echo\n"
      "    container:\n"
      "      image: alpine\n"
      "      command: [echo, hi]\n");
  ASSERT_TRUE(r.ok()) << Messages(r);
  ASSERT_EQ(r.documents.size(), 1u);
  const Workflow& wf = r.documents[0];
  EXPECT_EQ(wf.metadata.generate_name, "t-");
  EXPECT_EQ(wf.spec.entrypoint, "main");
  EXPECT_EQ(wf.spec.entrypoint_pos.line, 6);
  EXPECT_EQ(wf.spec.entrypoint_pos.column, 15);
  const Template* main = wf.FindTemplate("main");
  ASSERT_NE(main, nullptr);
  EXPECT_EQ(main->kind, TemplateKind::kSteps);
  ASSERT_EQ(main->steps.size(), 1u);
  ASSERT_EQ(main->steps[0].size(), 2u);
  EXPECT_EQ(main->steps[0][1].name, "b");
  EXPECT_EQ(main->steps[0][1].pos.line, 12);
  EXPECT_EQ(main->steps[0][1].pos.column, 9);
  const Template* echo = wf.FindTemplate("echo");
  ASSERT_NE(echo, nullptr);
  EXPECT_EQ(echo->kind, TemplateKind::kContainer);
  EXPECT_EQ(echo->container.command, (std::vector<std::string>{"echo", "hi"}));
}

TEST(ParserTest, ScalarsAreKeptAsArgoReadsThem) {
  ParseResult r = Parse(
      "spec:\n"
      "  entrypoint: main\n"
      "  arguments:\n"
      "    parameters:\n"
      "    - {name: int, value: 1}\n"
      "    - {name: bool, value: true}\n"
      "    - {name: float, value: 1.50}\n"
      "    - {name: quoted, value: \"1.50\"}\n"
      "    - {name: yes, value: yes}\n"
      "  templates:\n"
      "  - name: main\n"
      "    activeDeadlineSeconds: 30\n"
      "    retryStrategy: {limit: 2}\n"
      "    container: {image: alpine}\n");
  ASSERT_TRUE(r.ok()) << Messages(r);
  const auto& params = r.documents[0].spec.arguments.parameters;
  ASSERT_EQ(params.size(), 5u);
  EXPECT_EQ(*params[0].value, "1");
  EXPECT_EQ(*params[1].value, "true");
  EXPECT_EQ(*params[2].value, "1.5");
  EXPECT_EQ(*params[3].value, "1.50");
  EXPECT_EQ(*params[4].value, "true");
  const Template& main = r.documents[0].spec.templates[0];
  EXPECT_EQ(*main.active_deadline_seconds, "30");
  EXPECT_EQ(*main.retry_strategy->limit, "2");
}

TEST(ParserTest, WithItemsBecomesJson) {
  ParseResult r = Parse(
      "spec:\n"
      "  entrypoint: main\n"
      "  templates:\n"
      "  - name: main\n"
      "    steps:\n"
      "    - - name: a\n"
      "        template: main\n"
      "        withItems: [1, \"2\", true, {os: debian, version: 9}]\n");
  ASSERT_TRUE(r.ok()) << Messages(r);
  const Invocation& step = r.documents[0].spec.templates[0].steps[0][0];
  ASSERT_TRUE(step.with_items.has_value());
  EXPECT_EQ(*step.with_items, Json::parse(R"([1, "2", true, {"os": "debian", "version": 9}])"));
  EXPECT_EQ(step.with_items_pos.line, 12);
}

TEST(ParserTest, TemplateDefaultsMergeAndTemplateWins) {
  ParseResult r = Parse(
      "spec:\n"
      "  entrypoint: a\n"
      "  templateDefaults:\n"
      "    timeout: 30s\n"
      "    retryStrategy: {limit: \"2\", retryPolicy: Always}\n"
      "    container: {image: busybox, workingDir: /work}\n"
      "  templates:\n"
      "  - name: a\n"
      "    container: {image: alpine}\n"
      "  - name: b\n"
      "    timeout: 1m\n"
      "    retryStrategy: {limit: \"5\"}\n"
      "    suspend: {}\n");
  ASSERT_TRUE(r.ok()) << Messages(r);
  const Template& a = r.documents[0].spec.templates[0];
  EXPECT_EQ(*a.timeout, "30s");
  EXPECT_EQ(*a.retry_strategy->limit, "2");
  EXPECT_EQ(a.container.image, "alpine");
  EXPECT_EQ(a.container.working_dir, "/work");
  const Template& b = r.documents[0].spec.templates[1];
  EXPECT_EQ(*b.timeout, "1m");
  EXPECT_EQ(*b.retry_strategy->limit, "5");
  EXPECT_EQ(b.retry_strategy->retry_policy, "Always");
}

TEST(ParserTest, UnknownFieldSuggestsTheKnownOne) {
  ParseResult r = Parse(
      "spec:\n"
      "  entrypoint: main\n"
      "  templates:\n"
      "  - name: main\n"
      "    contianer: {image: alpine}\n");
  ASSERT_EQ(r.diagnostics.size(), 1u) << Messages(r);
  EXPECT_EQ(r.diagnostics[0].ToString(),
            "t.yaml:9:5: error: unknown field 'contianer' in spec.templates[0] (did you mean "
            "'container'?)");
  EXPECT_TRUE(r.documents.empty());
}

TEST(ParserTest, WrongTypeIsReportedAtTheNode) {
  ParseResult r = Parse(
      "spec:\n"
      "  entrypoint: main\n"
      "  templates:\n"
      "  - name: main\n"
      "    container:\n"
      "      image: alpine\n"
      "      command: echo hi\n");
  ASSERT_EQ(r.diagnostics.size(), 1u) << Messages(r);
  EXPECT_EQ(r.diagnostics[0].pos.line, 11);
  EXPECT_EQ(r.diagnostics[0].pos.column, 16);
  EXPECT_NE(r.diagnostics[0].message.find("must be a list"), std::string::npos);
}

TEST(ParserTest, ParameterValueMapIsRejected) {
  ParseResult r = Parse(
      "spec:\n"
      "  arguments:\n"
      "    parameters:\n"
      "    - name: x\n"
      "      value: {a: 1}\n");
  ASSERT_EQ(r.diagnostics.size(), 1u) << Messages(r);
  EXPECT_NE(r.diagnostics[0].message.find("value must be a string, number or boolean"),
            std::string::npos);
}

TEST(ParserTest, MalformedYamlUsesYamlCppPosition) {
  ParseResult r = ParseText("a: [1, 2\nb: 3\n", "bad.yaml");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_NE(r.diagnostics[0].ToString().find("bad.yaml:"), std::string::npos);
  EXPECT_NE(r.diagnostics[0].message.find("invalid YAML"), std::string::npos);
  EXPECT_GT(r.diagnostics[0].pos.line, 0);
}

TEST(ParserTest, JsonDocuments) {
  ParseResult r = ParseText(
      R"({"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
          "metadata": {"name": "j"},
          "spec": {"entrypoint": "main",
                   "templates": [{"name": "main", "container": {"image": "alpine", "args": ["1"]}}]}})",
      "j.json");
  ASSERT_TRUE(r.ok()) << Messages(r);
  EXPECT_EQ(r.documents[0].metadata.name, "j");
  EXPECT_EQ(r.documents[0].spec.templates[0].container.args[0], "1");
}

TEST(ParserTest, MultipleDocumentsAndKinds) {
  ParseResult r = ParseText(
      "apiVersion: argoproj.io/v1alpha1\n"
      "kind: WorkflowTemplate\n"
      "metadata: {name: lib}\n"
      "spec:\n"
      "  templates:\n"
      "  - {name: echo, container: {image: alpine}}\n"
      "---\n"
      "apiVersion: argoproj.io/v1alpha1\n"
      "kind: CronWorkflow\n"
      "metadata: {name: nightly}\n"
      "spec:\n"
      "  schedules: [\"0 2 * * *\", \"0 1 * * *\"]\n"
      "  timezone: UTC\n"
      "  concurrencyPolicy: Forbid\n"
      "  workflowSpec:\n"
      "    entrypoint: main\n"
      "    templates:\n"
      "    - {name: main, suspend: {}}\n",
      "m.yaml");
  ASSERT_TRUE(r.ok()) << Messages(r);
  ASSERT_EQ(r.documents.size(), 2u);
  EXPECT_EQ(r.documents[0].kind, Kind::kWorkflowTemplate);
  const Workflow& cron = r.documents[1];
  EXPECT_EQ(cron.kind, Kind::kCronWorkflow);
  EXPECT_EQ(cron.spec.schedules, (std::vector<std::string>{"0 2 * * *", "0 1 * * *"}));
  EXPECT_EQ(cron.spec.timezone, "UTC");
  EXPECT_EQ(cron.spec.concurrency_policy, "Forbid");
  EXPECT_EQ(cron.spec.templates[0].kind, TemplateKind::kSuspend);
}

TEST(ParserTest, KubernetesOnlyFieldsAreRecorded) {
  ParseResult r = Parse(
      "spec:\n"
      "  entrypoint: main\n"
      "  volumes:\n"
      "  - {name: scratch, emptyDir: {}}\n"
      "  - {name: data, hostPath: {path: /data}}\n"
      "  templates:\n"
      "  - name: main\n"
      "    sidecars: [{name: db, image: postgres}]\n"
      "    container: {image: alpine}\n");
  ASSERT_TRUE(r.ok()) << Messages(r);
  const Workflow& wf = r.documents[0];
  EXPECT_EQ(wf.spec.empty_dir_volumes, (std::vector<std::string>{"scratch"}));
  ASSERT_EQ(wf.kubernetes_fields.size(), 2u);
  EXPECT_EQ(wf.kubernetes_fields[0].path, "spec.volumes[1].hostPath");
  EXPECT_EQ(wf.kubernetes_fields[1].path, "spec.templates[0].sidecars");
}

TEST(ParserTest, MissingFileIsADiagnostic) {
  ParseResult r = ParseFile("/nonexistent/wf.yaml");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_NE(r.diagnostics[0].message.find("cannot read file"), std::string::npos);
}

}  // namespace
}  // namespace loom::spec
