// The workflow verbs against a real `loom server` on loopback, as a team
// uses them: submit with --wait/--watch/--log, list, get, logs, stop,
// terminate, suspend, resume, resubmit, retry, delete, and the bearer token.
// Each test runs once with the server on SQLite and once on PostgreSQL (the
// ctest fixture `postgres` starts a throwaway server and writes its URL to
// the file LOOM_TEST_POSTGRES_URL_FILE, a path CMake compiles in).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "base/json.h"
#include "tests/loom_process.h"
#include "tests/loom_server.h"

namespace loom {
namespace {

namespace fs = std::filesystem;

std::string PostgresUrl() {
  std::ifstream in(LOOM_TEST_POSTGRES_URL_FILE);
  std::string url;
  std::getline(in, url);
  return url;
}

class ServerVerbs : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : test) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
    dir_ = fs::temp_directory_path() / ("loom-server-verbs-" + std::to_string(getpid()) + test);
    fs::remove_all(dir_);
    home_ = (dir_ / "home").string();
    client_home_ = (dir_ / "client").string();
    fs::create_directories(client_home_);
    namespace_ = "team-" + std::to_string(getpid());  // not "default": namespaces are kept apart
    std::vector<std::string> args = {"--isolation", "none"};
    if (GetParam() == "postgres") {
      std::string url = PostgresUrl();
      ASSERT_FALSE(url.empty()) << LOOM_TEST_POSTGRES_URL_FILE
                                << " holds no URL: run the PostgreSQL tests through ctest, whose "
                                   "fixture starts the server";
      // A database of its own: a server takes up every unfinished workflow of
      // its store when it starts, so servers must not share one.
      std::string database = "t" + std::to_string(getpid());
      std::string create = "psql -q '" + url + "' -c 'DROP DATABASE IF EXISTS " + database +
                           "' -c 'CREATE DATABASE " + database + "' >/dev/null";
      ASSERT_EQ(std::system(create.c_str()), 0) << create;
      args.insert(args.end(), {"--db", url.substr(0, url.rfind('/') + 1) + database});
    }
    server_ = std::make_unique<LoomServer>(home_, args);
    ASSERT_TRUE(server_->ok()) << server_->log();
    std::ifstream token_file(home_ + "/server.token");
    std::getline(token_file, token_);
    ASSERT_FALSE(token_.empty());
    setenv("LOOM_TOKEN", token_.c_str(), 1);
  }
  void TearDown() override {
    if (HasFailure() && server_) std::cerr << "--- the server's log:\n" << server_->log();
    server_.reset();
    unsetenv("LOOM_TOKEN");
    fs::remove_all(dir_);
  }

  std::string File(const std::string& name, const std::string& yaml) {
    fs::path file = dir_ / (name + ".yaml");
    std::ofstream(file) << yaml;
    return file.string();
  }
  // `loom VERB ARGS... --server URL -n NS`, run where the server's token file is not.
  LoomResult Loom(std::vector<std::string> args, int timeout = 120) {
    args.insert(args.begin() + 1, {"--server", server_->url(), "-n", namespace_});
    return RunLoomIn(client_home_, args, timeout);
  }
  Json Get(const std::string& name) {
    LoomResult get = Loom({"get", name, "-o", "json"});
    EXPECT_EQ(get.exit_code, 0) << get.stderr_text;
    Json wf = Json::parse(get.stdout_text, nullptr, false);
    if (wf.is_object() && wf.value("status", Json()).is_object()) return wf;
    ADD_FAILURE() << "loom get " << name << " printed: " << get.stdout_text << get.stderr_text;
    return Json{{"status", Json::object()}};
  }
  const Json* Node(const Json& wf, const std::string& display_name) {
    // find(), not const operator[]: a workflow just submitted has no nodes yet.
    auto status = wf.find("status");
    if (status == wf.end() || !status->is_object()) return nullptr;
    auto nodes = status->find("nodes");
    if (nodes == status->end() || !nodes->is_object()) return nullptr;
    for (const auto& [id, node] : nodes->items()) {
      if (node.is_object() && node.value("displayName", "") == display_name) return &node;
    }
    return nullptr;
  }
  // Waits until `name`'s node `display_name` has the phase `phase`.
  bool WaitForNode(const std::string& name, const std::string& display_name,
                   const std::string& phase) {
    for (int i = 0; i < 200; ++i) {
      Json wf = Get(name);
      const Json* node = Node(wf, display_name);
      if (node && (*node)["phase"] == phase) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  fs::path dir_;
  std::string home_, client_home_, namespace_, token_;
  std::unique_ptr<LoomServer> server_;
};

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
