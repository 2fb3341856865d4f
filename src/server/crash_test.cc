// Crash safety of `loom server`, end to end with real processes: a
// 1,000-step workflow is submitted, the server is killed with SIGKILL at 20
// random moments and started again each time, and the workflow must still
// finish as if nothing happened: Succeeded, every step run exactly once
// (steps running at a kill go on under their supervisors and are adopted),
// every node final, and nothing the store had recorded lost or changed.
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "base/json.h"
#include "executor/supervised_executor.h"
#include "server/stored_workflow.h"

namespace loom::server {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kSteps = 1000;
constexpr int kKills = 20;

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  bind(fd, reinterpret_cast<sockaddr*>(&address), size);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  close(fd);
  return ntohs(address.sin_port);
}

bool Final(const std::string& phase) { return phase != "Pending" && phase != "Running"; }

class ServerCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/loom-crash-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    home_ = pattern;
    port_ = FreePort();
  }
  void TearDown() override {
    if (server_ > 0) Kill();
    if (!HasFailure()) {
      std::error_code ignored;
      std::filesystem::remove_all(home_, ignored);
    } else {
      std::cerr << "kept " << home_ << " (server.log there)\n";
    }
  }

  void Start() {
    server_ = fork();
    ASSERT_GE(server_, 0);
    if (server_ == 0) {
      setenv("LOOM_HOME", home_.c_str(), 1);
      std::string log = home_ + "/server.log";
      FILE* out = fopen(log.c_str(), "a");
      if (out) {
        dup2(fileno(out), 1);
        dup2(fileno(out), 2);
      }
      std::string listen = "127.0.0.1:" + std::to_string(port_);
      execl(LOOM_BINARY, "loom", "server", "--no-auth", "--isolation", "none", "--listen",
            listen.c_str(), "--parallelism", "8", static_cast<char*>(nullptr));
      _exit(127);
    }
  }

  void Kill() {
    kill(server_, SIGKILL);
    waitpid(server_, nullptr, 0);
    server_ = -1;
  }

  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(seconds(2));
    client.set_read_timeout(seconds(30));
    return client;
  }

  void WaitUntilServing() {
    auto end = std::chrono::steady_clock::now() + seconds(60);
    while (std::chrono::steady_clock::now() < end) {
      if (auto r = Client().Get("/api/v1/version"); r && r->status == 200) return;
      std::this_thread::sleep_for(milliseconds(20));
    }
    FAIL() << "the server did not come up";
  }

  // The workflow as the server's store has it; null if the server is not answering.
  Json Get(const std::string& name = "crash") const {
    auto r = Client().Get("/api/v1/workflows/default/" + name);
    if (!r || r->status != 200) return nullptr;
    return Json::parse(r->body, nullptr, false);
  }

  Json Workflow() const {
    std::string step = "echo {{inputs.parameters.item}} >> " + home_ + "/items; sleep 0.05";
    return {{"metadata", {{"name", "crash"}}},
            {"spec",
             {{"entrypoint", "main"},
              {"templates",
               {{{"name", "main"},
                 {"steps",
                  {{{{"name", "work"},
                     {"template", "work"},
                     {"arguments", {{"parameters", {{{"name", "item"}, {"value", "{{item}}"}}}}}},
                     {"withSequence", {{"count", std::to_string(kSteps)}}}}}}}},
                {{"name", "work"},
                 {"inputs", {{"parameters", {{{"name", "item"}}}}}},
                 {"retryStrategy", {{"limit", "3"}}},
                 {"container", {{"image", "debian"}, {"command", {"sh", "-c", step}}}}}}}}}};
  }

  // Polls (150 s at most) until workflow `name` has completed; returns it.
  Json WaitCompleted(const std::string& name = "crash") const {
    Json workflow;
    auto end = std::chrono::steady_clock::now() + seconds(150);
    while (std::chrono::steady_clock::now() < end) {
      workflow = Get(name);
      if (workflow.is_object() && Completed(workflow)) break;
      std::this_thread::sleep_for(milliseconds(100));
    }
    return workflow;
  }

  // How often each item was written to $home/items.
  std::map<int, int> Runs() const {
    std::map<int, int> runs;
    std::ifstream items(home_ + "/items");
    for (int item; items >> item;) ++runs[item];
    return runs;
  }

  std::string home_;
  int port_ = 0;
  pid_t server_ = -1;
};

TEST_F(ServerCrashTest, KilledAtRandomMomentsTheWorkflowStillFinishesExactlyOnce) {
  unsigned seed = std::random_device()();
  std::cerr << "seed " << seed << "\n";
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> pause_ms(50, 900);

  Start();
  WaitUntilServing();
  Json body = {{"workflow", Workflow()}};
  auto created = Client().Post("/api/v1/workflows/default", body.dump(), "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 200) << created->body;

  // What the store had recorded before each kill: final nodes must stay as they were.
  std::map<std::string, Json> recorded;
  int kills_while_running = 0;
  for (int kill = 0; kill < kKills; ++kill) {
    std::this_thread::sleep_for(milliseconds(pause_ms(random)));
    Json before = Get();
    if (before.is_object()) {
      if (!Completed(before)) ++kills_while_running;
      Json nodes = before["status"].value("nodes", Json::object());
      for (const auto& [id, node] : nodes.items()) {
        if (Final(node.value("phase", ""))) recorded[id] = node;
      }
    }
    Kill();
    Start();
    if (kill % 2 == 0) WaitUntilServing();  // else killed again, perhaps before it serves
  }
  WaitUntilServing();
  std::cerr << kills_while_running << " of " << kKills << " kills hit the running workflow\n";
  EXPECT_GT(kills_while_running, kKills / 2) << "the workflow ran too fast to test much";

  Json workflow = WaitCompleted();
  ASSERT_TRUE(workflow.is_object());
  ASSERT_EQ(workflow["status"].value("phase", ""), "Succeeded") << workflow["status"].dump(2);

  const Json& nodes = workflow["status"]["nodes"];
  int pods = 0;
  for (const auto& [id, node] : nodes.items()) {
    std::string phase = node.value("phase", "");
    EXPECT_TRUE(Final(phase)) << id << " is " << phase;
    EXPECT_NE(node.value("message", ""), executor::kLostStepMessage) << id;
    if (node.value("type", "") == "Pod") {
      ++pods;
      EXPECT_EQ(phase, "Succeeded") << id << ": " << node.value("message", "");
    }
  }
  EXPECT_EQ(pods, kSteps);  // no step needed a second attempt
  for (const auto& [id, before] : recorded) {
    ASSERT_TRUE(nodes.contains(id)) << "lost node " << id;
    const Json& after = nodes[id];
    for (const char* field : {"phase", "startedAt", "finishedAt", "outputs", "name"}) {
      EXPECT_EQ(before.value(field, Json()), after.value(field, Json())) << id << " " << field;
    }
  }

  std::map<int, int> runs = Runs();
  for (int i = 0; i < kSteps; ++i) EXPECT_EQ(runs[i], 1) << "step " << i << " ran " << runs[i];
  EXPECT_EQ(runs.size(), static_cast<size_t>(kSteps));
}

// A retry replaces the workflow's record; a kill right after it must neither
// lose the workflow nor run again the steps the retry reuses.
TEST_F(ServerCrashTest, KilledRightAfterARetryItStillReusesWhatSucceeded) {
  constexpr int kItems = 200;
  std::string step = "echo {{inputs.parameters.item}} >> " + home_ +
                     "/items; [ {{inputs.parameters.item}}{{workflow.parameters.fail}} = 7yes ] "
                     "&& exit 3; true";
  Json workflow = {
      {"metadata", {{"name", "flaky"}}},
      {"spec",
       {{"entrypoint", "main"},
        {"arguments", {{"parameters", {{{"name", "fail"}, {"value", "yes"}}}}}},
        {"templates",
         {{{"name", "main"},
           {"steps",
            {{{{"name", "work"},
               {"template", "work"},
               {"arguments", {{"parameters", {{{"name", "item"}, {"value", "{{item}}"}}}}}},
               {"withSequence", {{"count", std::to_string(kItems)}}}}}}}},
          {{"name", "work"},
           {"inputs", {{"parameters", {{{"name", "item"}}}}}},
           {"container", {{"image", "debian"}, {"command", {"sh", "-c", step}}}}}}}}}};
  Start();
  WaitUntilServing();
  Json body = {{"workflow", workflow}};
  auto created = Client().Post("/api/v1/workflows/default", body.dump(), "application/json");
  ASSERT_TRUE(created && created->status == 200);
  ASSERT_EQ(WaitCompleted("flaky")["status"].value("phase", ""), "Failed");

  Json retry = {{"parameters", {"fail=no"}}};
  auto retried =
      Client().Put("/api/v1/workflows/default/flaky/retry", retry.dump(), "application/json");
  ASSERT_TRUE(retried && retried->status == 200) << (retried ? retried->body : "no answer");
  Kill();
  Start();
  WaitUntilServing();
  Json done = WaitCompleted("flaky");
  ASSERT_EQ(done["status"].value("phase", ""), "Succeeded") << done["status"].dump(2);
  std::map<int, int> runs = Runs();
  for (int i = 0; i < kItems; ++i) {
    EXPECT_EQ(runs[i], i == 7 ? 2 : 1) << "step " << i << " ran " << runs[i] << " times";
  }
}

}  // namespace
}  // namespace loom::server
