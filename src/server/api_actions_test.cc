// The API's changes to running workflows (stop, terminate, suspend, resume,
// delete, resubmit), the watch, and what a restarted server does with
// workflows it left running.
#include "base/loom_home.h"
#include "server/server_test_fixture.h"
#include "server/startup.h"
#include "store/store.h"

namespace loom::server {
namespace {

class ActionTest : public ServerTest {
 protected:
  // A workflow whose one step sleeps `seconds`, with an exit handler.
  static Json SleepWithExitHandler(const std::string& name, int seconds) {
    Json workflow = Sequence(name, {{"nap", "sleep " + std::to_string(seconds)}});
    workflow["spec"]["onExit"] = "goodbye";
    workflow["spec"]["templates"].push_back(
        {{"name", "goodbye"},
         {"container", {{"image", "debian"}, {"command", {"sh", "-c", "echo bye"}}}}});
    return workflow;
  }

  // Waits until the node shown as `step` is Running.
  void WaitForRunning(const std::string& name, const std::string& step) {
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < end) {
      Json node = Node(Call("GET", "/api/v1/workflows/default/" + name), step);
      if (node.is_object() && node["phase"] == "Running") return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << step << " of " << name << " never ran";
  }

  static Json ExitHandlerNode(const Json& workflow) {
    for (const auto& [id, node] : workflow["status"]["nodes"].items()) {
      if (node.value("templateName", "") == "goodbye") return node;
    }
    return nullptr;
  }
};

TEST_F(ActionTest, StopKillsTheStepAndRunsTheExitHandler) {
  StartServer();
  Submit(SleepWithExitHandler("stopped", 30));
  WaitForRunning("stopped", "nap");
  auto begin = std::chrono::steady_clock::now();
  int status = 0;
  Json answer = Call("PUT", "/api/v1/workflows/default/stopped/stop", nullptr, &status);
  EXPECT_EQ(status, 200) << answer.dump();
  EXPECT_EQ(answer["metadata"]["name"], "stopped");
  Json done = WaitForPhase("stopped", "Failed", std::chrono::seconds(10));
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(10));
  Json handler = ExitHandlerNode(done);
  ASSERT_TRUE(handler.is_object()) << done.dump(2);
  EXPECT_EQ(handler["phase"], "Succeeded");

  Call("PUT", "/api/v1/workflows/default/stopped/stop", nullptr, &status);
  EXPECT_EQ(status, 409);
}

TEST_F(ActionTest, TerminateEndsAtOnceWithoutTheExitHandler) {
  StartServer();
  Submit(SleepWithExitHandler("terminated", 30));
  WaitForRunning("terminated", "nap");
  int status = 0;
  Call("PUT", "/api/v1/workflows/default/terminated/terminate", nullptr, &status);
  EXPECT_EQ(status, 200);
  Json done = WaitForPhase("terminated", "Failed", std::chrono::seconds(10));
  Json handler = ExitHandlerNode(done);
  EXPECT_TRUE(handler.is_null() || handler["phase"] != "Succeeded") << done.dump(2);
}

TEST_F(ActionTest, SuspendHoldsTheNextStepAndResumeContinues) {
  StartServer();
  Submit(Sequence("paused", {{"first", "sleep 0.5"}, {"second", "echo go"}}));
  WaitForRunning("paused", "first");
  Json suspended = Call("PUT", "/api/v1/workflows/default/paused/suspend");
  EXPECT_EQ(suspended["spec"]["suspend"], true);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  Json held = Call("GET", "/api/v1/workflows/default/paused");
  EXPECT_EQ(held["status"]["phase"], "Running");
  EXPECT_EQ(Node(held, "first")["phase"], "Succeeded");
  Json second = Node(held, "second");
  EXPECT_TRUE(second.is_null() || second["phase"] == "Pending") << held.dump(2);

  Json resumed = Call("PUT", "/api/v1/workflows/default/paused/resume");
  EXPECT_FALSE(resumed["spec"].contains("suspend"));
  Json done = WaitForPhase("paused", "Succeeded");
  EXPECT_EQ(Node(done, "second")["outputs"]["result"], "go");
}

TEST_F(ActionTest, DeleteRemovesTheWorkflowAndItsRunFolder) {
  StartServer();
  Submit(Sequence("finished", {{"s", "echo x"}}));
  Json done = WaitForPhase("finished", "Succeeded");
  std::string run_dir = done["metadata"]["annotations"]["loom.dev/run-dir"];
  EXPECT_TRUE(std::filesystem::exists(run_dir + "/steps"));
  int status = 0;
  EXPECT_EQ(Call("DELETE", "/api/v1/workflows/default/finished", nullptr, &status), Json::object());
  EXPECT_EQ(status, 200);
  Call("GET", "/api/v1/workflows/default/finished", nullptr, &status);
  EXPECT_EQ(status, 404);
  EXPECT_FALSE(std::filesystem::exists(run_dir));

  Submit(Sequence("running", {{"s", "sleep 30"}}));
  WaitForRunning("running", "s");
  auto begin = std::chrono::steady_clock::now();
  Call("DELETE", "/api/v1/workflows/default/running", nullptr, &status);
  EXPECT_EQ(status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(10));
  Call("GET", "/api/v1/workflows/default/running", nullptr, &status);
  EXPECT_EQ(status, 404);
  Call("DELETE", "/api/v1/workflows/default/running", nullptr, &status);
  EXPECT_EQ(status, 404);
}

TEST_F(ActionTest, ResubmitMakesANewWorkflow) {
  StartServer();
  Submit(Sequence("original", {{"s", "echo again"}}));
  WaitForPhase("original", "Succeeded");
  int status = 0;
  Json copy = Call("PUT", "/api/v1/workflows/default/original/resubmit", nullptr, &status);
  EXPECT_EQ(status, 200) << copy.dump();
  std::string name = copy["metadata"]["name"];
  EXPECT_EQ(name.rfind("original-", 0), 0u) << name;
  EXPECT_EQ(copy["metadata"]["labels"]["workflows.argoproj.io/resubmitted-from-workflow"],
            "original");
  Json done = WaitForPhase(name, "Succeeded");
  EXPECT_EQ(Node(done, "s")["outputs"]["result"], "again");
  EXPECT_EQ(Call("GET", "/api/v1/workflows/default")["items"].size(), 2u);
}

TEST_F(ActionTest, WatchSendsEventsEndingWithTheFinalState) {
  StartServer();
  std::string stream;
  std::thread watcher([&] {
    auto client = Client();
    client->Get("/api/v1/workflow-events/default?listOptions.fieldSelector=metadata.name=watched",
                [&](const char* data, size_t size) {
                  stream.append(data, size);
                  return true;
                });
  });
  Submit(Sequence("watched", {{"a", "sleep 0.3"}, {"b", "sleep 0.3"}}));
  watcher.join();  // the stream ends when the workflow completes

  std::vector<Json> events;
  std::istringstream lines(stream);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("data: ", 0) == 0) events.push_back(Json::parse(line.substr(6)));
  }
  ASSERT_GE(events.size(), 2u) << stream;
  EXPECT_EQ(events.front()["result"]["type"], "ADDED");
  EXPECT_EQ(events.back()["result"]["type"], "MODIFIED");
  EXPECT_EQ(events.back()["result"]["object"]["status"]["phase"], "Succeeded");
  EXPECT_TRUE(events.back()["result"]["object"]["status"].contains("nodes"));
}

TEST_F(ActionTest, RestartMarksWorkflowsItCannotContinueAsError) {
  {
    auto store = store::Open(DefaultStoreUrl());
    ASSERT_TRUE(store.ok()) << store.error();
    store::WorkflowHeader header;
    header.uid = "0000-left-running";
    header.name = "interrupted";
    header.phase = "Running";
    header.labels = {{"workflows.argoproj.io/phase", "Running"}};
    header.created_at = 1;
    header.document = {{"apiVersion", "argoproj.io/v1alpha1"},
                       {"kind", "Workflow"},
                       {"metadata", {{"name", "interrupted"}, {"namespace", "default"}}},
                       {"spec", {{"entrypoint", "main"}}}};
    header.status = {{"phase", "Running"}, {"startedAt", "2024-01-01T00:00:00Z"}};
    ASSERT_TRUE((*store)->Create(header).ok());
    Json node = {{"id", "interrupted"},
                 {"name", "interrupted"},
                 {"phase", "Running"},
                 {"type", "Pod"},
                 {"displayName", "interrupted"}};
    ASSERT_TRUE((*store)->Append(header.uid, {{"interrupted", node}}).ok());
    ASSERT_TRUE((*store)->Sync().ok());
  }
  StartServer();
  Json workflow = Call("GET", "/api/v1/workflows/default/interrupted");
  EXPECT_EQ(workflow["status"]["phase"], "Error");
  std::string message = workflow["status"]["message"];
  EXPECT_EQ(message.rfind(kRestartMessage, 0), 0u) << message;
  EXPECT_NE(message.find("main"), std::string::npos) << message;  // why: no template "main"
  EXPECT_TRUE(workflow["status"].contains("finishedAt"));
  EXPECT_EQ(workflow["status"]["nodes"]["interrupted"]["phase"], "Error");
  Json list = Call("GET", "/api/v1/workflows/default?phase=Error");
  EXPECT_EQ(list["items"].size(), 1u);
}

}  // namespace
}  // namespace loom::server
