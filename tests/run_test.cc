// `loom run` end to end on behaviours a user relies on beyond the Argo
// examples: Ctrl-C stops like `argo stop`, oversized steps fail at once,
// --log streams step output, thread counts follow templated cpu requests,
// and -p values are checked against enums before anything runs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/json.h"
#include "tests/loom_process.h"

namespace loom {
namespace {

namespace fs = std::filesystem;

// Writes `yaml` to a fresh file and returns its path.
std::string WorkflowFile(const std::string& name, const std::string& yaml) {
  fs::path dir = fs::temp_directory_path() / ("loom-run-test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path file = dir / (name + ".yaml");
  std::ofstream(file) << yaml;
  return file.string();
}

// Whether some process's command line contains `token`.
bool ProcessWithArgument(const std::string& token) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream in(entry.path() / "cmdline");
    std::stringstream text;
    text << in.rdbuf();
    std::string cmdline = text.str();
    for (char& c : cmdline) c = c == '\0' ? ' ' : c;
    if (cmdline.find(token) != std::string::npos && cmdline.find("sleep") == 0) return true;
  }
  return false;
}

Json ParseStatus(const LoomResult& run) {
  Json wf = Json::parse(run.stdout_text, nullptr, false);
  EXPECT_FALSE(wf.is_discarded()) << run.stdout_text << run.stderr_text;
  return wf.is_discarded() ? Json::object() : wf;
}

const Json* NodeNamed(const Json& wf, const std::string& display_name) {
  for (const auto& [id, node] : wf["status"]["nodes"].items()) {
    if (node.value("displayName", "") == display_name) return &node;
  }
  return nullptr;
}

TEST(Run, InterruptStopsRunningStepsAndRunsTheExitHandler) {
  std::string token = "600." + std::to_string(getpid());
  std::string file = WorkflowFile("stop", R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: stop-me}
spec:
  entrypoint: main
  onExit: report
  templates:
  - name: main
    steps:
    - - name: long
        template: long
    - - name: never
        template: report
  - name: long
    container:
      image: alpine
      command: [sh, -c, "sleep )" + token + R"( & sleep )" +
                                              token + R"(; wait"]
  - name: report
    container: {image: alpine, command: [echo, "status={{workflow.status}}"]}
)");
  LoomResult run = RunLoom({"run", file, "-o", "json"}, 60, 2.0);
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text;
  Json wf = ParseStatus(run);
  EXPECT_EQ(wf["status"].value("phase", ""), "Failed");
  EXPECT_NE(wf["status"].value("message", "").find("Stopped"), std::string::npos)
      << wf["status"].dump();
  const Json* long_step = NodeNamed(wf, "long");
  ASSERT_NE(long_step, nullptr);
  EXPECT_EQ(long_step->value("phase", ""), "Failed");
  EXPECT_EQ(NodeNamed(wf, "never"), nullptr);
  const Json* exit_handler = NodeNamed(wf, "stop-me.onExit");
  ASSERT_NE(exit_handler, nullptr);
  EXPECT_EQ(exit_handler->value("phase", ""), "Succeeded");
  EXPECT_EQ((*exit_handler)["outputs"].value("result", ""), "status=Failed");
  EXPECT_FALSE(ProcessWithArgument(token)) << "a step's process outlived loom";
}

TEST(Run, StepLargerThanTheMachineFailsAtOnceSayingSo) {
  std::string file = WorkflowFile("huge", R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: huge}
spec:
  entrypoint: main
  templates:
  - name: main
    container:
      image: alpine
      command: ["true"]
      resources: {requests: {cpu: "4000", memory: 1Gi}}
)");
  LoomResult run = RunLoom({"run", file, "-o", "json", "--max-cpu", "2"}, 60);
  EXPECT_EQ(run.exit_code, 1);
  Json wf = ParseStatus(run);
  std::string message = wf["status"]["nodes"]["huge"].value("message", "");
  EXPECT_NE(message.find("cpu"), std::string::npos) << message;
  EXPECT_NE(message.find("4000"), std::string::npos) << message;
}

TEST(Run, ThreadCountsFollowTheTemplatedCpuRequest) {
  std::string file = WorkflowFile("threads", R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: threads}
spec:
  entrypoint: main
  arguments: {parameters: [{name: cores, value: "2"}]}
  templates:
  - name: main
    inputs: {parameters: [{name: cores, value: "{{workflow.parameters.cores}}"}]}
    container:
      image: alpine
      command: [sh, -c, "echo $OMP_NUM_THREADS/$OPENBLAS_NUM_THREADS/$MKL_NUM_THREADS"]
      resources: {requests: {cpu: "{{inputs.parameters.cores}}"}}
)");
  LoomResult run = RunLoom({"run", file, "-o", "json", "-p", "cores=1500m", "--max-cpu", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  Json wf = ParseStatus(run);
  EXPECT_EQ(wf["status"]["nodes"]["threads"]["outputs"].value("result", ""), "2/2/2");
}

TEST(Run, LogStreamsEachLinePrefixedByNodeName) {
  std::string file = WorkflowFile("log", R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: log}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: a, template: say}
  - name: say
    container: {image: alpine, command: [sh, -c, "echo first; echo second >&2"]}
)");
  LoomResult run = RunLoom({"run", file, "--log"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("log[0].a: first\n"), std::string::npos) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("log[0].a: second\n"), std::string::npos) << run.stderr_text;
}

TEST(Run, EnumViolationGivenWithDashPRunsNothing) {
  std::string file = WorkflowFile("enum", R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: enum}
spec:
  entrypoint: main
  arguments:
    parameters: [{name: size, value: small, enum: [small, large]}]
  templates:
  - name: main
    container: {image: alpine, command: [echo, "{{workflow.parameters.size}}"]}
)");
  LoomResult run = RunLoom({"run", file, "-p", "size=huge"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find("huge"), std::string::npos) << run.stderr_text;
  EXPECT_FALSE(run.created_runs);
}

TEST(Run, FieldsTheLocalExecutorCannotHonourAreRefusedNotIgnored) {
  std::string file = WorkflowFile("unsupported", R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: unsupported}
spec:
  entrypoint: main
  synchronization:
    semaphore: {database: {key: workflow}}
  templates:
  - name: main
    memoize: {key: x, cache: {configMap: {name: c}}}
    container: {image: alpine, command: ["true"]}
)");
  EXPECT_EQ(RunLoom({"lint", file}).exit_code, 0) << "valid Argo: lint accepts it";
  LoomResult run = RunLoom({"run", file});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find(":7:17: error: spec.synchronization.semaphore.database is not "
                                 "supported"),
            std::string::npos)
      << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("spec.templates[0].memoize is not supported"), std::string::npos)
      << run.stderr_text;
  EXPECT_FALSE(run.created_runs);
}

}  // namespace
}  // namespace loom
