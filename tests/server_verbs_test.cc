// The workflow verbs against a real `loom server` on loopback, as a team
// uses them: submit with --wait/--watch/--log, list, get, logs, stop,
// terminate, suspend, resume, resubmit, retry, delete, and the bearer token.
// Each test runs once with the server on SQLite and once on PostgreSQL (the
// ctest fixture `postgres` starts a throwaway server and writes its URL to
// the file LOOM_TEST_POSTGRES_URL_FILE, a path CMake compiles in).
#include "tests/server_verbs_fixture.h"

namespace loom {
namespace {

const char* kHello = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: hello-, labels: {team: ml}}
spec:
  entrypoint: main
  arguments: {parameters: [{name: who, value: world}]}
  templates:
  - name: main
    steps:
    - - {name: greet, template: say}
    - - {name: again, template: say}
  - name: say
    container:
      image: debian
      command: [sh, -c, "echo hello {{workflow.parameters.who}}; echo done"]
)";

const char* kSleepWithExitHandler = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: sleepy}
spec:
  entrypoint: main
  onExit: cleanup
  templates:
  - name: main
    steps:
    - - {name: first, template: nap}
    - - {name: second, template: nap}
  - name: nap
    container: {image: debian, command: [sh, -c, "sleep 30"]}
  - name: cleanup
    container: {image: debian, command: [sh, -c, "echo cleaned"]}
)";

TEST_P(ServerVerbs, SubmitWaitListGetLogs) {
  LoomResult submit = Loom({"submit", File("hello", kHello), "-p", "who=loom", "--wait"});
  ASSERT_EQ(submit.exit_code, 0) << submit.stdout_text << submit.stderr_text;
  std::string name = submit.stdout_text.substr(0, submit.stdout_text.find(' '));
  EXPECT_EQ(name.rfind("hello-", 0), 0u);
  EXPECT_EQ(submit.stdout_text, name + " Succeeded\n");

  Json wf = Get(name);
  EXPECT_EQ(wf["status"]["phase"], "Succeeded");
  EXPECT_EQ(wf["metadata"]["namespace"], namespace_);
  EXPECT_EQ(wf["spec"]["arguments"]["parameters"][0]["value"], "loom");
  ASSERT_NE(Node(wf, "again"), nullptr);
  EXPECT_EQ((*Node(wf, "again"))["outputs"]["result"], "hello loom\ndone");

  EXPECT_EQ(Loom({"list", "-o", "name"}).stdout_text, name + "\n");
  EXPECT_EQ(Loom({"list", "-l", "team=ml", "--completed", "-o", "name"}).stdout_text, name + "\n");
  EXPECT_EQ(Loom({"list", "--status", "Failed", "-o", "name"}).stdout_text, "");
  EXPECT_EQ(Loom({"list", "--since", "1h", "-o", "name"}).stdout_text, name + "\n");
  EXPECT_EQ(Loom({"list", "--prefix", "hello-", "--running", "-o", "name"}).stdout_text, "");
  EXPECT_EQ(Loom({"get", "@latest", "-o", "name"}).stdout_text, name + "\n");
  EXPECT_EQ(Loom({"logs", name}).stdout_text,
            "greet: hello loom\ngreet: done\nagain: hello loom\nagain: done\n");
  EXPECT_EQ(Loom({"logs", name, "again", "--tail", "1"}).stdout_text, "again: done\n");
  EXPECT_EQ(Loom({"logs", name, "--grep", "hello"}).stdout_text,
            "greet: hello loom\nagain: hello loom\n");
  LoomResult summary = Loom({"get", name});
  EXPECT_NE(summary.stdout_text.find("Succeeded"), std::string::npos) << summary.stdout_text;

  LoomResult failing = Loom({"submit", "--wait", "--name", "broken",
                             File("broken",
                                  "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n"
                                  "spec:\n  entrypoint: main\n  templates:\n"
                                  "  - name: main\n    container: {image: debian, "
                                  "command: [sh, -c, 'echo no >&2; exit 5']}\n")});
  EXPECT_EQ(failing.exit_code, 1);
  EXPECT_EQ(failing.stdout_text, "broken Failed\n");
  EXPECT_NE(Get("broken")["status"]["nodes"]["broken"].value("message", "").find("exit code 5"),
            std::string::npos);
}

TEST_P(ServerVerbs, WatchAndLogFollowToTheEnd) {
  LoomResult watch = Loom({"submit", File("hello", kHello), "--watch", "-o", "name"});
  ASSERT_EQ(watch.exit_code, 0) << watch.stderr_text;
  EXPECT_EQ(watch.stdout_text.rfind("hello-", 0), 0u) << watch.stdout_text;
  LoomResult log = Loom({"submit", File("hello", kHello), "--log"});
  ASSERT_EQ(log.exit_code, 0) << log.stderr_text;
  EXPECT_NE(log.stdout_text.find("greet: hello world\n"), std::string::npos) << log.stdout_text;
  EXPECT_NE(log.stdout_text.find("again: done\n"), std::string::npos) << log.stdout_text;
}

TEST_P(ServerVerbs, StopRunsTheExitHandlerTerminateDoesNot) {
  ASSERT_EQ(Loom({"submit", File("sleepy", kSleepWithExitHandler)}).exit_code, 0);
  ASSERT_TRUE(WaitForNode("sleepy", "first", "Running"));
  LoomResult stop = Loom({"stop", "sleepy"});
  EXPECT_EQ(stop.exit_code, 0) << stop.stderr_text;
  EXPECT_EQ(stop.stdout_text, "workflow sleepy stopped\n");
  LoomResult wait = Loom({"wait", "sleepy"}, 60);
  EXPECT_EQ(wait.exit_code, 1);
  EXPECT_EQ(wait.stdout_text, "sleepy Failed\n");
  Json stopped = Get("sleepy");
  ASSERT_NE(Node(stopped, "sleepy.onExit"), nullptr) << stopped["status"].dump();
  EXPECT_EQ((*Node(stopped, "sleepy.onExit"))["phase"], "Succeeded");
  EXPECT_EQ(Node(stopped, "second"), nullptr);

  ASSERT_EQ(Loom({"delete", "sleepy"}).exit_code, 0);
  ASSERT_EQ(Loom({"submit", File("sleepy", kSleepWithExitHandler)}).exit_code, 0);
  ASSERT_TRUE(WaitForNode("sleepy", "first", "Running"));
  EXPECT_EQ(Loom({"terminate", "sleepy"}).stdout_text, "workflow sleepy terminated\n");
  EXPECT_EQ(Loom({"wait", "sleepy"}, 60).exit_code, 1);
  EXPECT_EQ(Node(Get("sleepy"), "sleepy.onExit"), nullptr);
  LoomResult again = Loom({"stop", "sleepy"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.stderr_text.find("409"), std::string::npos) << again.stderr_text;
}

TEST_P(ServerVerbs, SuspendHoldsNewStepsUntilResume) {
  const char* two_naps = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: held}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: first, template: nap, arguments: {parameters: [{name: s, value: "3"}]}}
    - - {name: second, template: nap, arguments: {parameters: [{name: s, value: "0"}]}}
  - name: nap
    inputs: {parameters: [{name: s}]}
    container: {image: debian, command: [sh, -c, "sleep {{inputs.parameters.s}}"]}
)";
  ASSERT_EQ(Loom({"submit", File("held", two_naps)}).exit_code, 0);
  ASSERT_TRUE(WaitForNode("held", "first", "Running"));
  EXPECT_EQ(Loom({"suspend", "held"}).stdout_text, "workflow held suspended\n");
  ASSERT_TRUE(WaitForNode("held", "first", "Succeeded"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  Json suspended = Get("held");
  EXPECT_EQ(suspended["status"]["phase"], "Running");
  const Json* second = Node(suspended, "second");
  EXPECT_TRUE(second == nullptr || (*second)["phase"] == "Pending") << suspended.dump();
  EXPECT_EQ(Loom({"resume", "held"}).stdout_text, "workflow held resumed\n");
  LoomResult wait = Loom({"wait", "held"}, 60);
  EXPECT_EQ(wait.stdout_text, "held Succeeded\n") << wait.stderr_text;
}

TEST_P(ServerVerbs, ResubmitDeleteAndBulkDelete) {
  LoomResult first = Loom({"submit", File("hello", kHello), "--wait"});
  ASSERT_EQ(first.exit_code, 0);
  std::string name = first.stdout_text.substr(0, first.stdout_text.find(' '));
  LoomResult resubmit = Loom({"resubmit", name, "-o", "name"});
  ASSERT_EQ(resubmit.exit_code, 0) << resubmit.stderr_text;
  std::string copy = resubmit.stdout_text.substr(0, resubmit.stdout_text.size() - 1);
  EXPECT_NE(copy, name);
  EXPECT_EQ(Loom({"wait", copy}).stdout_text, copy + " Succeeded\n");
  EXPECT_EQ(Loom({"list", "-o", "name"}).stdout_text, copy + "\n" + name + "\n");

  EXPECT_EQ(Loom({"delete", name}).stdout_text, "Workflow '" + name + "' deleted\n");
  EXPECT_FALSE(fs::exists(fs::path(home_) / "runs" / namespace_ / name));
  LoomResult gone = Loom({"get", name});
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_NE(gone.stderr_text.find("404"), std::string::npos) << gone.stderr_text;
  EXPECT_EQ(Loom({"delete", "--completed"}).stdout_text, "Workflow '" + copy + "' deleted\n");
  EXPECT_EQ(Loom({"list", "-o", "name"}).stdout_text, "");
}

TEST_P(ServerVerbs, TokenIsRequired) {
  unsetenv("LOOM_TOKEN");
  LoomResult anonymous = Loom({"list"});
  EXPECT_EQ(anonymous.exit_code, 1);
  EXPECT_NE(anonymous.stderr_text.find("401"), std::string::npos) << anonymous.stderr_text;
  EXPECT_EQ(anonymous.stderr_text.find(token_), std::string::npos);
  setenv("LOOM_TOKEN", "not-the-token", 1);
  EXPECT_EQ(Loom({"list"}).exit_code, 1);
  // Where the server's token file is, the CLI finds it.
  unsetenv("LOOM_TOKEN");
  LoomResult local = RunLoomIn(home_, {"list", "--server", server_->url(), "-n", namespace_});
  EXPECT_EQ(local.exit_code, 0) << local.stderr_text;
  EXPECT_EQ(server_->log().find(token_), std::string::npos);
}

TEST_P(ServerVerbs, InvalidWorkflowsAreRefusedWithPositions) {
  std::string file = File("bad", R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: bad}
spec:
  entrypoint: missing
  templates:
  - name: main
    container: {image: debian, command: [echo]}
)");
  LoomResult submit = Loom({"submit", file});
  EXPECT_EQ(submit.exit_code, 2);
  EXPECT_NE(submit.stderr_text.find("bad.yaml:5:"), std::string::npos) << submit.stderr_text;
  EXPECT_EQ(Loom({"list", "-o", "name"}).stdout_text, "");
}

TEST_P(ServerVerbs, RetryRerunsOnlyWhatFailed) {
  const char* flaky = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: flaky}
spec:
  entrypoint: main
  arguments: {parameters: [{name: fail, value: "yes"}]}
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: clock}
      - {name: B, template: maybe-fail, dependencies: [A]}
  - name: clock
    container: {image: debian, command: [sh, -c, "date +%s%N"]}
  - name: maybe-fail
    container:
      image: debian
      command: [sh, -c, "[ {{workflow.parameters.fail}} = yes ] && exit 4; echo fine"]
)";
  ASSERT_EQ(Loom({"submit", File("flaky", flaky), "--wait"}).exit_code, 1);
  std::string first_a = (*Node(Get("flaky"), "A"))["outputs"]["result"];
  LoomResult retry = Loom({"retry", "flaky", "-p", "fail=no"});
  ASSERT_EQ(retry.exit_code, 0) << retry.stderr_text;
  EXPECT_EQ(retry.stdout_text, "workflow flaky retried\n");
  EXPECT_EQ(Loom({"wait", "flaky"}, 60).stdout_text, "flaky Succeeded\n");
  Json wf = Get("flaky");
  EXPECT_EQ((*Node(wf, "A"))["outputs"]["result"], first_a);  // reused, not run again
  EXPECT_EQ((*Node(wf, "B"))["outputs"]["result"], "fine");
  LoomResult again = Loom({"retry", "flaky"});
  EXPECT_EQ(again.exit_code, 1);  // it succeeded: nothing to retry
  EXPECT_NE(again.stderr_text.find("409"), std::string::npos) << again.stderr_text;
}

TEST_P(ServerVerbs, ResubmitMemoizedReusesSuccessfulSteps) {
  const char* memo = R"(apiVersion: argoproj.io/v1alpha1
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
  ASSERT_EQ(Loom({"submit", File("memo", memo), "--wait"}).exit_code, 1);
  std::string stamp = (*Node(Get("memo"), "A"))["outputs"]["result"];
  LoomResult resubmit = Loom({"resubmit", "memo", "--memoized", "-p", "fail=no", "-o", "name"});
  ASSERT_EQ(resubmit.exit_code, 0) << resubmit.stderr_text;
  std::string copy = resubmit.stdout_text.substr(0, resubmit.stdout_text.size() - 1);
  EXPECT_EQ(Loom({"wait", copy}, 60).stdout_text, copy + " Succeeded\n");
  Json wf = Get(copy);
  EXPECT_EQ((*Node(wf, "A"))["outputs"]["result"], stamp);  // reused, not run again
  EXPECT_EQ((*Node(wf, "B"))["outputs"]["result"], stamp);  // read the brought-over artifact
  EXPECT_EQ(wf["spec"]["arguments"]["parameters"][0]["value"], "no");
  LoomResult refused = Loom({"resubmit", copy, "--memoized"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.stderr_text.find("409"), std::string::npos) << refused.stderr_text;
}

INSTANTIATE_TEST_SUITE_P(Store, ServerVerbs, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace loom
