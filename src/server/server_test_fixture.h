// A real server for tests: a fresh $LOOM_HOME (so a fresh SQLite store) in
// a temp folder, the Server started in-process on a free port, and an HTTP
// client that sends the bearer token. Steps run as real processes (without
// the overlay view, which would make every test need root).
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "base/json.h"
#include "server/server.h"

namespace loom::server {

inline constexpr char kTestToken[] = "test-token-0123456789";

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/loom-server-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    home_ = pattern;
    setenv("LOOM_HOME", home_.c_str(), 1);
  }
  void TearDown() override {
    server_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(home_, ignored);
  }

  // `sync`: semaphore limits (none: only mutexes work).
  void StartServer(size_t slots = 4, spec::SyncConfig sync = {}) {
    ServerConfig config;
    config.sync_config = std::move(sync);
    config.token = kTestToken;
    config.capacity = scheduler::DetectCapacity();
    config.capacity.slots = slots;
    config.isolation = executor::Isolation::kNone;
    server_ = std::make_unique<Server>(config);
    Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.message();
  }

  std::unique_ptr<httplib::Client> Client(bool with_token = true) const {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client->set_read_timeout(std::chrono::seconds(60));
    if (with_token) client->set_bearer_token_auth(kTestToken);
    return client;
  }

  // GET/PUT/DELETE/POST that expect JSON back; `status` receives the HTTP status.
  Json Call(const std::string& method, const std::string& path, const Json& body = nullptr,
            int* status = nullptr) const {
    auto client = Client();
    httplib::Result result = method == "GET"   ? client->Get(path)
                             : method == "PUT" ? client->Put(path)
                             : method == "DELETE"
                                 ? client->Delete(path)
                                 : client->Post(path, body.dump(), "application/json");
    EXPECT_TRUE(result) << method << " " << path << ": " << httplib::to_string(result.error());
    if (!result) return nullptr;
    if (status) *status = result->status;
    return Json::parse(result->body, nullptr, false);
  }

  Json Submit(const Json& workflow, int* status = nullptr, const std::string& ns = "default") {
    return Call("POST", "/api/v1/workflows/" + ns, Json{{"workflow", workflow}}, status);
  }

  // Polls GET until the workflow's phase is `phase` (or `limit` passes).
  Json WaitForPhase(const std::string& name, const std::string& phase,
                    std::chrono::seconds limit = std::chrono::seconds(30)) {
    auto end = std::chrono::steady_clock::now() + limit;
    Json workflow;
    while (std::chrono::steady_clock::now() < end) {
      workflow = Call("GET", "/api/v1/workflows/default/" + name);
      if (workflow["status"].value("phase", "") == phase) return workflow;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << name << " did not reach " << phase << ": " << workflow.dump(2);
    return workflow;
  }

  // The node of `workflow` whose displayName is `name` (null if none).
  static Json Node(const Json& workflow, const std::string& name) {
    const Json nodes = workflow["status"].value("nodes", Json::object());
    for (const auto& [id, node] : nodes.items()) {
      if (node.value("displayName", "") == name) return node;
    }
    return nullptr;
  }

  // A workflow of steps run in sequence: each {name, shell script}.
  static Json Sequence(const std::string& name,
                       const std::vector<std::pair<std::string, std::string>>& steps) {
    Json groups = Json::array();
    Json templates = Json::array();
    for (const auto& [step, script] : steps) {
      groups.push_back(Json::array({{{"name", step}, {"template", step}}}));
      templates.push_back(
          {{"name", step},
           {"container", {{"image", "debian"}, {"command", {"sh", "-c", script}}}}});
    }
    templates.push_back({{"name", "main"}, {"steps", groups}});
    return {{"apiVersion", "argoproj.io/v1alpha1"},
            {"kind", "Workflow"},
            {"metadata", {{"name", name}}},
            {"spec", {{"entrypoint", "main"}, {"templates", templates}}}};
  }

  std::string home_;
  std::unique_ptr<Server> server_;
};

}  // namespace loom::server
