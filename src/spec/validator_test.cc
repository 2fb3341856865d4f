// Validator: the checks that depend on options (-p values, entrypoint
// override, local runs, a template library) and on scope rules that the lint
// corpus does not pin down one by one.
#include "spec/validator.h"

#include <gtest/gtest.h>

#include "spec/parser.h"

namespace loom::spec {
namespace {

Workflow ParseOne(const std::string& spec, const char* kind = "Workflow") {
  ParseResult r = ParseText(std::string("apiVersion: argoproj.io/v1alpha1\nkind: ") + kind +
                                "\nmetadata:\n  name: t\n" + spec,
                            "t.yaml");
  for (const Diagnostic& d : r.diagnostics) ADD_FAILURE() << d.ToString();
  return r.documents.empty() ? Workflow{} : r.documents[0];
}

std::string Messages(const Diagnostics& diagnostics) {
  std::string all;
  for (const Diagnostic& d : diagnostics) all += d.message + "\n";
  return all;
}

const char* kArgumentWorkflow =
    "spec:\n"
    "  entrypoint: main\n"
    "  arguments:\n"
    "    parameters:\n"
    "    - name: model\n"
    "      enum: [sklearn, xgboost]\n"
    "  templates:\n"
    "  - name: main\n"
    "    container:\n"
    "      image: alpine\n"
    "      command: [echo, \"{{workflow.parameters.model}}\"]\n";

TEST(ValidatorTest, RequiredWorkflowArgumentMayComeFromCommandLine) {
  Workflow wf = ParseOne(kArgumentWorkflow);
  EXPECT_NE(Messages(Validate(wf)).find("workflow parameter 'model' has no value"),
            std::string::npos);
  ValidateOptions options;
  options.parameters["model"] = "xgboost";
  EXPECT_EQ(Messages(Validate(wf, options)), "");
}

TEST(ValidatorTest, CommandLineValueIsCheckedAgainstEnum) {
  Workflow wf = ParseOne(kArgumentWorkflow);
  ValidateOptions options;
  options.parameters["model"] = "lgbm";
  EXPECT_NE(Messages(Validate(wf, options)).find("value 'lgbm' of workflow parameter 'model'"),
            std::string::npos);
}

TEST(ValidatorTest, WorkflowTemplateArgumentsNeedNoValue) {
  Workflow wf = ParseOne(kArgumentWorkflow, "WorkflowTemplate");
  EXPECT_EQ(Messages(Validate(wf)), "");
}

TEST(ValidatorTest, EntrypointOverride) {
  Workflow wf = ParseOne(
      "spec:\n"
      "  entrypoint: main\n"
      "  templates:\n"
      "  - {name: main, container: {image: alpine}}\n");
  ValidateOptions options;
  options.entrypoint_override = "other";
  EXPECT_NE(Messages(Validate(wf, options)).find("entrypoint template 'other' not found"),
            std::string::npos);
}

const char* kKubernetesWorkflow =
    "spec:\n"
    "  entrypoint: main\n"
    "  templates:\n"
    "  - name: main\n"
    "    podSpecPatch: '{}'\n"
    "    container: {image: alpine}\n"
    "    outputs:\n"
    "      artifacts:\n"
    "      - name: model\n"
    "        path: /tmp/model\n"
    "        s3: {key: model.tgz}\n";

TEST(ValidatorTest, LocalRunRejectsKubernetesOnlyFields) {
  Workflow wf = ParseOne(kKubernetesWorkflow);
  EXPECT_EQ(Messages(Validate(wf)), "") << "lint accepts them";
  ValidateOptions options;
  options.local_run = true;
  Diagnostics diagnostics = Validate(wf, options);
  ASSERT_EQ(diagnostics.size(), 2u) << Messages(diagnostics);
  EXPECT_EQ(diagnostics[0].message,
            "spec.templates[0].podSpecPatch is not supported by the local executor");
  EXPECT_EQ(diagnostics[0].pos.line, 9);
  EXPECT_EQ(diagnostics[1].message,
            "spec.templates[0].outputs.artifacts[0].s3 is not supported by the local executor");
}

TEST(ValidatorTest, TemplatedResourceRequestsAreAccepted) {
  Workflow wf = ParseOne(
      "spec:\n"
      "  entrypoint: main\n"
      "  templates:\n"
      "  - name: main\n"
      "    inputs:\n"
      "      parameters: [{name: cores, value: \"2\"}]\n"
      "    container:\n"
      "      image: alpine\n"
      "      resources:\n"
      "        requests: {cpu: \"{{inputs.parameters.cores}}\", memory: 1Gi, nvidia.com/gpu: 1}\n");
  EXPECT_EQ(Messages(Validate(wf)), "");
}

TEST(ValidatorTest, FractionalGpuIsRejected) {
  Workflow wf = ParseOne(
      "spec:\n"
      "  entrypoint: main\n"
      "  templates:\n"
      "  - name: main\n"
      "    container:\n"
      "      image: alpine\n"
      "      resources:\n"
      "        limits: {nvidia.com/gpu: \"0.5\"}\n");
  EXPECT_NE(Messages(Validate(wf)).find("must be a whole number"), std::string::npos);
}

const char* kDag =
    "spec:\n"
    "  entrypoint: main\n"
    "  templates:\n"
    "  - name: main\n"
    "    dag:\n"
    "      tasks:\n"
    "      - name: a\n"
    "        template: gen\n"
    "        withItems: [1, 2]\n"
    "      - name: b\n"
    "        template: gen\n"
    "      - name: c\n"
    "        depends: a\n"
    "        template: echo\n"
    "        arguments:\n"
    "          parameters:\n"
    "          - name: msg\n"
    "            value: \"%s\"\n"
    "  - name: gen\n"
    "    script: {image: python, source: print(1)}\n"
    "  - name: echo\n"
    "    inputs: {parameters: [{name: msg}]}\n"
    "    container: {image: alpine, args: [\"{{inputs.parameters.msg}}\"]}\n";

Diagnostics ValidateDagWith(const std::string& value) {
  char spec[2048];
  std::snprintf(spec, sizeof spec, kDag, value.c_str());
  return Validate(ParseOne(spec));
}

TEST(ValidatorTest, DagReferencesFollowArgoScopeRules) {
  EXPECT_EQ(Messages(ValidateDagWith("{{tasks.a.outputs.result}}")), "");
  EXPECT_EQ(Messages(ValidateDagWith("{{tasks.a.status}}")), "") << "a is an ancestor";
  EXPECT_EQ(Messages(ValidateDagWith("{{tasks.b.outputs.result}}")), "")
      << "Argo accepts any task's outputs";
  EXPECT_NE(
      Messages(ValidateDagWith("{{tasks.b.status}}")).find("needs task 'b' to be a dependency"),
      std::string::npos);
  EXPECT_NE(
      Messages(ValidateDagWith("{{tasks.a.outputs.parameters.x}}")).find("has no such output"),
      std::string::npos);
  EXPECT_EQ(Messages(ValidateDagWith("{{retries}} {{lastRetry.exitCode}} {{node.name}}")), "")
      << "Argo leaves these to run time";
  EXPECT_EQ(Messages(ValidateDagWith("{{=sprig.upper(tasks.a.outputs.result)}}")), "");
}

TEST(ValidatorTest, TemplateRefUsesTheLibrary) {
  ParseResult lib = ParseText(
      "apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata: {name: lib}\n"
      "spec:\n  templates:\n  - name: echo\n    inputs: {parameters: [{name: msg}]}\n"
      "    container: {image: alpine}\n",
      "lib.yaml");
  ASSERT_TRUE(lib.ok());
  Workflow wf = ParseOne(
      "spec:\n"
      "  entrypoint: main\n"
      "  templates:\n"
      "  - name: main\n"
      "    steps:\n"
      "    - - name: a\n"
      "        templateRef: {name: lib, template: echo}\n"
      "    - - name: b\n"
      "        templateRef: {name: lib, template: nope}\n"
      "        arguments: {parameters: [{name: x, value: \"{{steps.a.outputs.result}}\"}]}\n");
  EXPECT_EQ(Messages(Validate(wf)), "") << "without a library a templateRef cannot be checked";
  ValidateOptions options;
  options.library = &lib.documents;
  Diagnostics diagnostics = Validate(wf, options);
  std::string all = Messages(diagnostics);
  EXPECT_NE(all.find("does not supply input parameter 'msg' of template 'echo'"), std::string::npos)
      << all;
  EXPECT_NE(all.find("templateRef lib.nope, which was not found"), std::string::npos) << all;
  EXPECT_EQ(diagnostics.size(), 2u) << all;
}

TEST(ValidatorTest, AWorkflowTemplateRefMustNameADocumentOfTheLibrary) {
  ParseResult lib = ParseText(
      "apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata: {name: lib}\n"
      "spec:\n  entrypoint: echo\n  templates:\n  - name: echo\n    container: {image: alpine}\n",
      "lib.yaml");
  ASSERT_TRUE(lib.ok());
  Workflow found = ParseOne("spec:\n  workflowTemplateRef: {name: lib}\n");
  Workflow cluster = ParseOne("spec:\n  workflowTemplateRef: {name: lib, clusterScope: true}\n");
  EXPECT_EQ(Messages(Validate(cluster)), "") << "without a library it cannot be checked";
  ValidateOptions options;
  options.library = &lib.documents;
  EXPECT_EQ(Messages(Validate(found, options)), "");
  Diagnostics missing = Validate(cluster, options);
  ASSERT_EQ(missing.size(), 1u) << Messages(missing);
  EXPECT_EQ(missing[0].ToString(),
            "t.yaml:6:24: error: workflowTemplateRef: ClusterWorkflowTemplate 'lib' not found "
            "(neither in this file nor among the stored templates)");
}

TEST(ValidatorTest, ExitHookMayReadItsStepsOutputs) {
  Workflow wf = ParseOne(
      "spec:\n"
      "  entrypoint: main\n"
      "  templates:\n"
      "  - name: main\n"
      "    steps:\n"
      "    - - name: a\n"
      "        template: gen\n"
      "        hooks:\n"
      "          exit:\n"
      "            template: gen\n"
      "            arguments: {parameters: [{name: m, value: \"{{steps.a.outputs.result}}\"}]}\n"
      "  - name: gen\n"
      "    script: {image: python, source: print(1)}\n");
  EXPECT_EQ(Messages(Validate(wf)), "");
}

TEST(ValidatorTest, StepOutputsOfTheSameGroupAreNotVisible) {
  Workflow wf = ParseOne(
      "spec:\n"
      "  entrypoint: main\n"
      "  templates:\n"
      "  - name: main\n"
      "    steps:\n"
      "    - - name: a\n"
      "        template: gen\n"
      "      - name: b\n"
      "        template: gen\n"
      "        when: \"{{steps.a.outputs.result}} == 1\"\n"
      "  - name: gen\n"
      "    script: {image: python, source: print(1)}\n");
  EXPECT_NE(Messages(Validate(wf)).find("which does not run before this step"), std::string::npos);
}

TEST(ValidatorTest, LeafTemplatesCannotSetParallelism) {
  Workflow wf = ParseOne(
      "spec:\n"
      "  entrypoint: main\n"
      "  templates:\n"
      "  - {name: main, parallelism: 2, container: {image: alpine}}\n");
  EXPECT_NE(Messages(Validate(wf)).find("parallelism is only valid for steps and dag templates"),
            std::string::npos);
}

}  // namespace
}  // namespace loom::spec
