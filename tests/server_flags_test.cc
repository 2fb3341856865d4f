// The flags of the workflow verbs against a real `loom server` (SQLite and
// PostgreSQL), as `argo` users write them: submit from stdin with
// --generate-name, -l, --priority, --entrypoint and --parameter-file; the
// outputs of submit, list and get; watch and logs -f to the end; retry
// --restart-successful with --node-field-selector; delete by --prefix,
// --older and --all.
#include <algorithm>

#include "tests/server_verbs_fixture.h"

namespace loom {
namespace {

class ServerFlags : public ServerVerbs {};

const char* kTwoEntrypoints = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: ignored}
spec:
  entrypoint: main
  arguments: {parameters: [{name: who, value: world}, {name: times, value: "1"}]}
  templates:
  - name: main
    container: {image: debian, command: [sh, -c, "echo main"]}
  - name: alt
    container:
      image: debian
      command: [sh, -c, "echo alt {{workflow.parameters.who}} x{{workflow.parameters.times}}"]
)";

TEST_P(ServerFlags, SubmitFromStandardInputShapesTheWorkflow) {
  std::string parameters = (dir_ / "params.yaml").string();
  std::ofstream(parameters) << "who: file\ntimes: 3\n";
  LoomResult submit =
      LoomWithInput({"submit", "-", "--generate-name", "shaped-", "-l", "env=prod,team=ml",
                     "--priority", "5", "--entrypoint", "alt", "--parameter-file", parameters, "-p",
                     "times=4", "--wait", "-o", "json"},
                    kTwoEntrypoints);
  ASSERT_EQ(submit.exit_code, 0) << submit.stdout_text << submit.stderr_text;
  Json wf = Json::parse(submit.stdout_text, nullptr, false);
  ASSERT_TRUE(wf.is_object()) << submit.stdout_text;
  std::string name = wf["metadata"].value("name", "");
  EXPECT_EQ(name.rfind("shaped-", 0), 0u) << name;
  EXPECT_EQ(wf["metadata"]["labels"]["env"], "prod");
  EXPECT_EQ(wf["metadata"]["labels"]["team"], "ml");
  EXPECT_EQ(wf["spec"]["priority"], 5);
  EXPECT_EQ(wf["spec"]["entrypoint"], "alt");
  EXPECT_EQ(wf["status"]["phase"], "Succeeded");
  ASSERT_NE(Node(wf, name), nullptr) << wf.dump(2);
  // -p wins over --parameter-file, which wins over the file's defaults.
  EXPECT_EQ((*Node(wf, name))["outputs"]["result"], "alt file x4");

  LoomResult yaml = Loom({"get", name, "-o", "yaml"});
  EXPECT_NE(yaml.stdout_text.find("kind: Workflow\n"), std::string::npos) << yaml.stdout_text;
  EXPECT_NE(yaml.stdout_text.find("phase: Succeeded\n"), std::string::npos) << yaml.stdout_text;
  LoomResult wide = Loom({"get", name, "-o", "wide"});
  EXPECT_NE(wide.stdout_text.find("Succeeded"), std::string::npos) << wide.stdout_text;

  EXPECT_EQ(Loom({"list", "-l", "workflows.argoproj.io/completed=true", "-o", "name"}).stdout_text,
            name + "\n");
  EXPECT_EQ(Loom({"list", "-l", "env=test", "-o", "name"}).stdout_text, "");
  Json listed = Json::parse(Loom({"list", "-o", "json"}).stdout_text, nullptr, false);
  ASSERT_TRUE(listed.is_array()) << listed;
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["metadata"]["name"], name);
  LoomResult table = Loom({"list", "-o", "wide"});
  EXPECT_NE(table.stdout_text.find("PARAMETERS"), std::string::npos) << table.stdout_text;
  EXPECT_NE(table.stdout_text.find("times=4"), std::string::npos) << table.stdout_text;

  LoomResult as_yaml =
      LoomWithInput({"submit", "-", "--name", "plain", "-o", "yaml"}, kTwoEntrypoints);
  ASSERT_EQ(as_yaml.exit_code, 0) << as_yaml.stderr_text;
  EXPECT_NE(as_yaml.stdout_text.find("name: plain\n"), std::string::npos) << as_yaml.stdout_text;
  LoomResult empty = LoomWithInput({"submit", "-"}, "");
  EXPECT_NE(empty.exit_code, 0);
  EXPECT_FALSE(empty.stderr_text.empty());
}

TEST_P(ServerFlags, WatchAndFollowEndWithTheWorkflow) {
  const char* slow = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: slow}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: debian, command: [sh, -c, "echo one; sleep 1; echo two"]}
)";
  ASSERT_EQ(Loom({"submit", File("slow", slow)}).exit_code, 0);
  LoomResult follow = Loom({"logs", "slow", "-f"}, 60);
  EXPECT_EQ(follow.exit_code, 0) << follow.stderr_text;
  EXPECT_EQ(follow.stdout_text, "slow: one\nslow: two\n");
  LoomResult watch = Loom({"watch", "slow", "-o", "name"}, 60);
  EXPECT_EQ(watch.exit_code, 0) << watch.stderr_text;
  EXPECT_EQ(Get("slow")["status"]["phase"], "Succeeded");
}

TEST_P(ServerFlags, RetryRestartsTheSuccessfulStepsTheSelectorNames) {
  const char* pipeline = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: pipeline}
spec:
  entrypoint: main
  arguments: {parameters: [{name: fail, value: "yes"}]}
  templates:
  - name: main
    dag:
      tasks:
      - {name: pull, template: clock}
      - {name: split, template: clock, dependencies: [pull]}
      - {name: train, template: maybe-fail, dependencies: [split]}
  - name: clock
    container: {image: debian, command: [sh, -c, "date +%s%N"]}
  - name: maybe-fail
    container:
      image: debian
      command: [sh, -c, "[ {{workflow.parameters.fail}} = yes ] && exit 4; echo trained"]
)";
  ASSERT_EQ(Loom({"submit", File("pipeline", pipeline), "--wait"}).exit_code, 1);
  Json failed = Get("pipeline");
  std::string pull = (*Node(failed, "pull"))["outputs"]["result"];
  std::string split = (*Node(failed, "split"))["outputs"]["result"];

  LoomResult unselected = Loom({"retry", "pipeline", "--restart-successful"});
  EXPECT_EQ(unselected.exit_code, 2) << unselected.stderr_text;
  LoomResult bad =
      Loom({"retry", "pipeline", "--restart-successful", "--node-field-selector", "colour=red"});
  EXPECT_EQ(bad.exit_code, 2) << bad.stderr_text;
  LoomResult retry = Loom({"retry", "pipeline", "--restart-successful", "--node-field-selector",
                           "displayName=split", "-p", "fail=no"});
  ASSERT_EQ(retry.exit_code, 0) << retry.stderr_text;
  EXPECT_EQ(Loom({"wait", "pipeline"}, 60).stdout_text, "pipeline Succeeded\n");
  Json wf = Get("pipeline");
  EXPECT_EQ((*Node(wf, "pull"))["outputs"]["result"], pull);    // kept
  EXPECT_NE((*Node(wf, "split"))["outputs"]["result"], split);  // selected: ran again
  EXPECT_EQ((*Node(wf, "train"))["outputs"]["result"], "trained");
}

TEST_P(ServerFlags, DeleteByPrefixAgeAndAll) {
  const char* quick = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: quick-}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: debian, command: [echo, hi]}
)";
  std::string file = File("quick", quick);
  for (const char* name : {"keep-1", "drop-1", "drop-2"}) {
    ASSERT_EQ(Loom({"submit", file, "--name", name, "--wait"}).exit_code, 0);
  }
  LoomResult prefixed = Loom({"delete", "--prefix", "drop-"});
  EXPECT_EQ(prefixed.exit_code, 0) << prefixed.stderr_text;
  // Newest first, as `list` shows them.
  EXPECT_EQ(prefixed.stdout_text, "Workflow 'drop-2' deleted\nWorkflow 'drop-1' deleted\n");

  EXPECT_EQ(Loom({"delete", "--older", "1h"}).stdout_text, "");  // finished just now
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(Loom({"delete", "--older", "1s"}).stdout_text, "Workflow 'keep-1' deleted\n");

  ASSERT_EQ(Loom({"submit", file, "--wait"}).exit_code, 0);
  ASSERT_EQ(Loom({"submit", file, "--wait"}).exit_code, 0);
  LoomResult all = Loom({"delete", "--all"});
  EXPECT_EQ(all.exit_code, 0) << all.stderr_text;
  EXPECT_EQ(std::count(all.stdout_text.begin(), all.stdout_text.end(), '\n'), 2) << all.stdout_text;
  EXPECT_EQ(Loom({"list", "-o", "name"}).stdout_text, "");
  EXPECT_EQ(Loom({"delete", "--older", "soon"}).exit_code, 2);
}

INSTANTIATE_TEST_SUITE_P(Store, ServerFlags, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace loom
