// A real `loom server` on loopback for tests of the CLI verbs, on SQLite or
// on PostgreSQL (the test's parameter: "sqlite" or "postgres"; the ctest
// fixture `postgres` starts a throwaway server and writes its URL to the file
// LOOM_TEST_POSTGRES_URL_FILE, a path CMake compiles in). The CLI runs where
// the server's token file is not, with LOOM_TOKEN set, in a namespace of
// its own.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/json.h"
#include "tests/loom_process.h"
#include "tests/loom_server.h"

namespace loom {

namespace fs = std::filesystem;

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
    std::string error;
    std::vector<std::string> args = StoreArgs(GetParam(), "t" + std::to_string(getpid()), &error);
    ASSERT_EQ(error, "");
    args.insert(args.end(), {"--isolation", "none"});
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
  // Loom() with `input` on standard input.
  LoomResult LoomWithInput(std::vector<std::string> args, const std::string& input) {
    args.insert(args.begin() + 1, {"--server", server_->url(), "-n", namespace_});
    return RunLoomWithInput(client_home_, args, input, 120);
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

}  // namespace loom
