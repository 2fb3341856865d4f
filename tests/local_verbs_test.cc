// The workflow verbs without a server: `loom run` records each run in the
// embedded store, and list, get, logs and delete read it back (as `argo`
// does against a cluster), with the same selectors and output formats.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/json.h"
#include "tests/loom_process.h"

namespace loom {
namespace {

namespace fs = std::filesystem;

class LocalVerbs : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("loom-verbs-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    home_ = (dir_ / "home").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string File(const std::string& name, const std::string& yaml) {
    fs::path file = dir_ / (name + ".yaml");
    std::ofstream(file) << yaml;
    return file.string();
  }
  LoomResult Loom(const std::vector<std::string>& args) { return RunLoomIn(home_, args, 120); }

  fs::path dir_;
  std::string home_;
};

const char* kTwoSteps = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: two-steps
  labels: {team: ml}
spec:
  entrypoint: main
  arguments:
    parameters: [{name: greeting, value: hello}]
  templates:
  - name: main
    steps:
    - - name: first
        template: say
        arguments: {parameters: [{name: text, value: "{{workflow.parameters.greeting}}"}]}
    - - name: second
        template: say
        arguments: {parameters: [{name: text, value: world}]}
  - name: say
    inputs: {parameters: [{name: text}]}
    container:
      image: debian
      command: [sh, -c, "echo line-1 {{inputs.parameters.text}}; echo line-2; echo line-3"]
)";

const char* kFails = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: fails}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: debian, command: [sh, -c, "echo about to fail; exit 3"]}
)";

TEST_F(LocalVerbs, GetShowsWhatRunRecorded) {
  LoomResult run = Loom({"run", File("two", kTwoSteps), "-p", "greeting=hi"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;

  LoomResult get = Loom({"get", "two-steps", "-o", "json"});
  ASSERT_EQ(get.exit_code, 0) << get.stderr_text;
  Json wf = Json::parse(get.stdout_text);
  EXPECT_EQ(wf["metadata"]["name"], "two-steps");
  EXPECT_EQ(wf["metadata"]["namespace"], "default");
  EXPECT_EQ(wf["metadata"]["labels"]["team"], "ml");
  EXPECT_EQ(wf["metadata"]["labels"]["workflows.argoproj.io/phase"], "Succeeded");
  EXPECT_FALSE(wf["metadata"].value("uid", "").empty());
  EXPECT_EQ(wf["status"]["phase"], "Succeeded");
  EXPECT_EQ(wf["status"]["progress"], "2/2");
  // -p values are kept in spec.arguments, as argo submit keeps them.
  EXPECT_EQ(wf["spec"]["arguments"]["parameters"][0]["value"], "hi");
  int pods = 0;
  for (const auto& [id, node] : wf["status"]["nodes"].items()) {
    if (node["type"] == "Pod") {
      ++pods;
      EXPECT_EQ(node["phase"], "Succeeded");
      EXPECT_TRUE(node.contains("finishedAt"));
    }
  }
  EXPECT_EQ(pods, 2);
  // What `loom run -o json` printed is what the store gives back.
  LoomResult again = Loom({"run", File("two", kTwoSteps), "-p", "greeting=hi", "-o", "json"});
  ASSERT_EQ(again.exit_code, 0) << again.stderr_text;
  Json printed = Json::parse(again.stdout_text);
  Json stored = Json::parse(Loom({"get", "@latest", "-o", "json"}).stdout_text);
  EXPECT_EQ(stored["status"]["nodes"], printed["status"]["nodes"]);
  EXPECT_EQ(stored["status"]["phase"], printed["status"]["phase"]);
  EXPECT_NE(again.stderr_text.find("replacing the stored record"), std::string::npos);

  LoomResult summary = Loom({"get", "two-steps"});
  EXPECT_EQ(summary.exit_code, 0);
  EXPECT_NE(summary.stdout_text.find("Succeeded"), std::string::npos) << summary.stdout_text;
  EXPECT_NE(summary.stdout_text.find("second"), std::string::npos) << summary.stdout_text;
}

TEST_F(LocalVerbs, ListSelectsByLabelStatusAndPrefix) {
  ASSERT_EQ(Loom({"run", File("two", kTwoSteps)}).exit_code, 0);
  ASSERT_EQ(Loom({"run", File("fails", kFails)}).exit_code, 1);

  LoomResult all = Loom({"list", "-o", "name"});
  ASSERT_EQ(all.exit_code, 0) << all.stderr_text;
  EXPECT_EQ(all.stdout_text, "fails\ntwo-steps\n");  // newest first
  EXPECT_EQ(Loom({"list", "--status", "Failed", "-o", "name"}).stdout_text, "fails\n");
  EXPECT_EQ(Loom({"list", "-l", "team=ml", "-o", "name"}).stdout_text, "two-steps\n");
  EXPECT_EQ(
      Loom({"list", "-l", "workflows.argoproj.io/phase!=Succeeded", "-o", "name"}).stdout_text,
      "fails\n");
  EXPECT_EQ(Loom({"list", "--prefix", "two", "-o", "name"}).stdout_text, "two-steps\n");
  EXPECT_EQ(Loom({"list", "--completed", "-o", "name"}).stdout_text, "fails\ntwo-steps\n");
  EXPECT_EQ(Loom({"list", "--running", "-o", "name"}).stdout_text, "");
  EXPECT_EQ(Loom({"list", "--since", "1h", "-o", "name"}).stdout_text, "fails\ntwo-steps\n");

  LoomResult table = Loom({"list"});
  EXPECT_EQ(table.stdout_text.rfind("NAME", 0), 0u) << table.stdout_text;
  EXPECT_NE(table.stdout_text.find("Failed"), std::string::npos);
  LoomResult wide = Loom({"list", "-o", "wide"});
  EXPECT_NE(wide.stdout_text.find("greeting=hello"), std::string::npos) << wide.stdout_text;

  LoomResult bad = Loom({"list", "-l", "team ~ ml"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.stderr_text.find("label selector \"team ~ ml\""), std::string::npos);
}

TEST_F(LocalVerbs, LogsPrintEachStepPrefixedAndFiltered) {
  ASSERT_EQ(Loom({"run", File("two", kTwoSteps)}).exit_code, 0);
  LoomResult logs = Loom({"logs", "two-steps"});
  ASSERT_EQ(logs.exit_code, 0) << logs.stderr_text;
  EXPECT_EQ(logs.stdout_text,
            "first: line-1 hello\nfirst: line-2\nfirst: line-3\n"
            "second: line-1 world\nsecond: line-2\nsecond: line-3\n");
  EXPECT_EQ(Loom({"logs", "two-steps", "second", "--tail", "1"}).stdout_text, "second: line-3\n");
  EXPECT_EQ(Loom({"logs", "two-steps", "--grep", "line-1"}).stdout_text,
            "first: line-1 hello\nsecond: line-1 world\n");
  EXPECT_EQ(Loom({"logs", "@latest", "first", "--no-prefix", "-f"}).stdout_text,
            "line-1 hello\nline-2\nline-3\n");
  LoomResult missing = Loom({"logs", "two-steps", "third"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.stderr_text.find("has no step named third"), std::string::npos);
}

TEST_F(LocalVerbs, FailureIsRecordedWithItsReason) {
  ASSERT_EQ(Loom({"run", File("fails", kFails)}).exit_code, 1);
  Json wf = Json::parse(Loom({"get", "fails", "-o", "json"}).stdout_text);
  EXPECT_EQ(wf["status"]["phase"], "Failed");
  const Json& node = wf["status"]["nodes"]["fails"];
  EXPECT_EQ(node["phase"], "Failed");
  EXPECT_NE(node.value("message", "").find("exit code 3"), std::string::npos) << node.dump();
  EXPECT_EQ(Loom({"logs", "fails"}).stdout_text, "fails: about to fail\n");
}

TEST_F(LocalVerbs, DeleteRemovesTheRecordAndTheRunFolder) {
  ASSERT_EQ(Loom({"run", File("two", kTwoSteps)}).exit_code, 0);
  ASSERT_EQ(Loom({"run", File("fails", kFails)}).exit_code, 1);
  ASSERT_TRUE(fs::exists(fs::path(home_) / "runs" / "fails"));
  LoomResult deleted = Loom({"delete", "fails"});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.stderr_text;
  EXPECT_EQ(deleted.stdout_text, "Workflow 'fails' deleted\n");
  EXPECT_FALSE(fs::exists(fs::path(home_) / "runs" / "fails"));
  EXPECT_EQ(Loom({"list", "-o", "name"}).stdout_text, "two-steps\n");
  LoomResult gone = Loom({"get", "fails"});
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_NE(gone.stderr_text.find("workflow fails not found"), std::string::npos);

  EXPECT_EQ(Loom({"delete", "--completed"}).stdout_text, "Workflow 'two-steps' deleted\n");
  EXPECT_EQ(Loom({"list", "-o", "name"}).stdout_text, "");
  EXPECT_EQ(Loom({"delete"}).exit_code, 2);
}

// A `loom run` killed with SIGKILL leaves a record it never finished: the
// verbs show it as an Error, saying why, and let it be deleted.
TEST_F(LocalVerbs, ARunWhoseProcessIsGoneIsAnError) {
  std::string file = File("napper", R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: napper}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: debian, command: [sh, -c, "sleep 3"]}
)");
  std::string loom = std::getenv("LOOM_BINARY") ? std::getenv("LOOM_BINARY") : "loom";
  std::string script = "LOOM_HOME='" + home_ + "' '" + loom + "' run '" + file +
                       "' >/dev/null 2>&1 & pid=$!; sleep 1.5; kill -9 $pid; wait $pid";
  std::system(script.c_str());
  Json wf = Json::parse(Loom({"get", "napper", "-o", "json"}).stdout_text);
  EXPECT_EQ(wf["status"]["phase"], "Error");
  EXPECT_NE(wf["status"].value("message", "").find("ended before the workflow did"),
            std::string::npos)
      << wf["status"].dump();
  EXPECT_EQ(Loom({"list", "--status", "Error", "-o", "name"}).stdout_text, "napper\n");
  EXPECT_EQ(Loom({"list", "--status", "Running", "-o", "name"}).stdout_text, "");
  EXPECT_EQ(Loom({"delete", "napper"}).exit_code, 0);

  // Retried, the step runs again, under a `loom run` of its own.
  std::system(script.c_str());
  LoomResult retry = Loom({"retry", "napper", "-o", "name"});
  EXPECT_EQ(retry.exit_code, 0) << retry.stderr_text;
  EXPECT_EQ(Json::parse(Loom({"get", "napper", "-o", "json"}).stdout_text)["status"]["phase"],
            "Succeeded");
}

TEST_F(LocalVerbs, VerbsThatNeedARunningControllerSaySo) {
  ASSERT_EQ(Loom({"run", File("two", kTwoSteps)}).exit_code, 0);
  LoomResult stop = Loom({"stop", "two-steps"});
  EXPECT_EQ(stop.exit_code, 1);
  EXPECT_NE(stop.stderr_text.find("needs a Loom server"), std::string::npos) << stop.stderr_text;
  LoomResult submit = Loom({"submit", File("two", kTwoSteps)});
  EXPECT_EQ(submit.exit_code, 1);
  EXPECT_NE(submit.stderr_text.find("needs a Loom server"), std::string::npos);
  LoomResult invalid =
      Loom({"submit",
            File("bad",
                 "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec: {entrypoint: nope}\n")});
  EXPECT_EQ(invalid.exit_code, 2);
  EXPECT_NE(invalid.stderr_text.find("bad.yaml:"), std::string::npos) << invalid.stderr_text;
}

// A DAG whose B fails while the parameter `fail` is yes; A and D print the
// time in nanoseconds, so a rerun shows as a changed result.
const char* kRetryable = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: retryable}
spec:
  entrypoint: main
  arguments:
    parameters: [{name: fail, value: "yes"}, {name: tag, value: "1"}]
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: clock}
      - {name: B, template: maybe-fail, dependencies: [A]}
      - {name: C, template: clock, dependencies: [B]}
      - name: D
        template: tagged
        arguments: {parameters: [{name: tag, value: "{{workflow.parameters.tag}}"}]}
  - name: clock
    container: {image: debian, command: [sh, -c, "date +%s%N"]}
  - name: maybe-fail
    container:
      image: debian
      command: [sh, -c, "[ {{workflow.parameters.fail}} = yes ] && exit 4; date +%s%N"]
  - name: tagged
    inputs: {parameters: [{name: tag}]}
    container: {image: debian, command: [sh, -c, "date +%s%N"]}
)";

std::map<std::string, Json> NodesByDisplayName(const Json& wf) {
  std::map<std::string, Json> nodes;
  for (const auto& [id, node] : wf["status"]["nodes"].items()) {
    nodes[node.value("displayName", "")] = node;
  }
  return nodes;
}

TEST_F(LocalVerbs, RetryRerunsOnlyWhatFailedAndWhatDependsOnIt) {
  std::string file = File("retryable", kRetryable);
  ASSERT_EQ(Loom({"run", file}).exit_code, 1);
  auto first =
      NodesByDisplayName(Json::parse(Loom({"get", "retryable", "-o", "json"}).stdout_text));
  ASSERT_EQ(first["B"]["phase"], "Failed");
  ASSERT_EQ(first["C"]["phase"], "Omitted");  // never ran: B failed

  LoomResult retry = Loom({"retry", "retryable", "-p", "fail=no"});
  ASSERT_EQ(retry.exit_code, 0) << retry.stderr_text;
  EXPECT_NE(retry.stderr_text.find("reused 2 successful step(s)"), std::string::npos)
      << retry.stderr_text;
  Json wf = Json::parse(Loom({"get", "retryable", "-o", "json"}).stdout_text);
  EXPECT_EQ(wf["status"]["phase"], "Succeeded");
  auto second = NodesByDisplayName(wf);
  EXPECT_EQ(second["A"]["outputs"]["result"], first["A"]["outputs"]["result"]);  // reused
  EXPECT_EQ(second["D"]["outputs"]["result"], first["D"]["outputs"]["result"]);  // reused
  EXPECT_EQ(second["B"]["phase"], "Succeeded");
  EXPECT_EQ(second["C"]["phase"], "Succeeded");
  EXPECT_EQ(wf["spec"]["arguments"]["parameters"][0]["value"], "no");

  // A changed parameter reruns the steps whose inputs it changes (D), and
  // --restart-successful reruns what the node field selector picks (A), then
  // B and C, which depend on A, are reused: A's outputs (none) did not change.
  LoomResult again = Loom({"retry", "retryable", "-p", "tag=2", "--restart-successful",
                           "--node-field-selector", "displayName=A"});
  ASSERT_EQ(again.exit_code, 0) << again.stderr_text;
  auto third =
      NodesByDisplayName(Json::parse(Loom({"get", "retryable", "-o", "json"}).stdout_text));
  EXPECT_NE(third["A"]["outputs"]["result"], second["A"]["outputs"]["result"]);
  EXPECT_NE(third["D"]["outputs"]["result"], second["D"]["outputs"]["result"]);
  EXPECT_EQ(third["B"]["outputs"]["result"], second["B"]["outputs"]["result"]);
  EXPECT_EQ(third["D"]["inputs"]["parameters"][0]["value"], "2");

  LoomResult bad = Loom({"retry", "retryable", "--restart-successful"});
  EXPECT_EQ(bad.exit_code, 2);
  LoomResult bad_field =
      Loom({"retry", "retryable", "--restart-successful", "--node-field-selector", "colour=red"});
  EXPECT_EQ(bad_field.exit_code, 2);
  EXPECT_NE(bad_field.stderr_text.find("unknown field colour"), std::string::npos);
}

// A's stamp reaches B as an artifact; B fails while `fail` is yes.
const char* kMemo = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: memo}
spec:
  entrypoint: main
  arguments: {parameters: [{name: fail, value: "yes"}]}
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: make}
      - name: B
        template: use
        dependencies: [A]
        arguments: {artifacts: [{name: stamp, from: "{{tasks.A.outputs.artifacts.stamp}}"}]}
  - name: make
    container: {image: debian, command: [sh, -c, "date +%s%N | tee /tmp/stamp"]}
    outputs: {artifacts: [{name: stamp, path: /tmp/stamp}]}
  - name: use
    inputs: {artifacts: [{name: stamp, path: /tmp/in}]}
    container:
      image: debian
      command: [sh, -c, "[ {{workflow.parameters.fail}} = yes ] && exit 4; cat /tmp/in"]
)";

TEST_F(LocalVerbs, ResubmitMemoizedReusesSuccessfulStepsUnderANewName) {
  ASSERT_EQ(Loom({"run", File("memo", kMemo)}).exit_code, 1);
  auto first = NodesByDisplayName(Json::parse(Loom({"get", "memo", "-o", "json"}).stdout_text));
  ASSERT_EQ(first["B"]["phase"], "Failed");

  LoomResult memoized = Loom({"resubmit", "memo", "--memoized", "-p", "fail=no", "-o", "name"});
  ASSERT_EQ(memoized.exit_code, 0) << memoized.stderr_text;
  EXPECT_NE(memoized.stderr_text.find("reused 1 successful step(s)"), std::string::npos)
      << memoized.stderr_text;
  std::string copy = memoized.stdout_text.substr(0, memoized.stdout_text.size() - 1);
  ASSERT_EQ(copy.rfind("memo-", 0), 0u) << copy;
  Json wf = Json::parse(Loom({"get", copy, "-o", "json"}).stdout_text);
  EXPECT_EQ(wf["status"]["phase"], "Succeeded");
  EXPECT_EQ(wf["metadata"]["labels"]["workflows.argoproj.io/resubmitted-from-workflow"], "memo");
  auto second = NodesByDisplayName(wf);
  EXPECT_EQ(second["A"]["outputs"]["result"], first["A"]["outputs"]["result"]);  // not run again
  // B read A's artifact from the new run's folder, where the old file was brought.
  EXPECT_EQ(second["B"]["outputs"]["result"], first["A"]["outputs"]["result"]);
  LoomResult log = Loom({"logs", copy, "A"});
  EXPECT_NE(log.stdout_text.find(first["A"]["outputs"]["result"].get<std::string>()),
            std::string::npos)
      << log.stdout_text;
  // The earlier workflow is untouched.
  EXPECT_EQ(Json::parse(Loom({"get", "memo", "-o", "json"}).stdout_text)["status"]["phase"],
            "Failed");

  // Without --memoized everything runs again; a Succeeded workflow cannot be memoized.
  LoomResult plain = Loom({"resubmit", copy, "-o", "name"});
  ASSERT_EQ(plain.exit_code, 0) << plain.stderr_text;
  std::string third_name = plain.stdout_text.substr(0, plain.stdout_text.size() - 1);
  auto third = NodesByDisplayName(Json::parse(Loom({"get", third_name, "-o", "json"}).stdout_text));
  EXPECT_NE(third["A"]["outputs"]["result"], first["A"]["outputs"]["result"]);
  LoomResult refused = Loom({"resubmit", copy, "--memoized"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.stderr_text.find("only Failed and Error"), std::string::npos)
      << refused.stderr_text;
}

}  // namespace
}  // namespace loom
