// Test helpers for the local executor: a fresh work folder per test and
// running steps to completion.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "executor/local_executor.h"

namespace loom::executor {

class ExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/loom-executor-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    executor_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  static bool IsRoot() { return geteuid() == 0; }

  LocalExecutor& Make(Isolation isolation, LocalExecutorOptions options = {}) {
    options.work_dir = dir_ + "/steps";
    options.isolation = isolation;
    executor_ = std::make_unique<LocalExecutor>(std::move(options));
    return *executor_;
  }

  static StepRequest Sh(const std::string& id, const std::string& script) {
    StepRequest r;
    r.id = id;
    r.name = "node-" + id;
    r.command = {"sh", "-c", script};
    return r;
  }

  // Waits until every one of `count` started steps has ended.
  std::vector<StepResult> WaitAll(size_t count,
                                  std::chrono::seconds limit = std::chrono::seconds(30)) {
    std::vector<StepResult> out;
    auto end = std::chrono::steady_clock::now() + limit;
    while (out.size() < count && std::chrono::steady_clock::now() < end) {
      for (StepResult& r : executor_->Wait(std::chrono::milliseconds(100)))
        out.push_back(std::move(r));
    }
    return out;
  }

  StepResult Run(StepRequest request) {
    executor_->Start(std::move(request));
    auto results = WaitAll(1);
    EXPECT_EQ(results.size(), 1u);
    return results.empty() ? StepResult{} : results[0];
  }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::string dir_;
  std::unique_ptr<LocalExecutor> executor_;
};

#define LOOM_REQUIRE_ROOT() \
  if (!IsRoot()) GTEST_SKIP() << "needs root (mount and PID namespaces, overlayfs)"

}  // namespace loom::executor
