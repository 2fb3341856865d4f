// Fair feeding of the shared scheduler: priority first, then round robin,
// held workflows wait, and steps dropped before they reach the scheduler.
#include "server/step_dispatcher.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "executor/local_executor.h"

namespace loom::server {
namespace {

class StepDispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/loom-dispatch-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    executor_ = std::make_unique<executor::LocalExecutor>(
        executor::LocalExecutorOptions{dir_, executor::Isolation::kNone, nullptr});
    scheduler::Capacity capacity;
    capacity.cpu_millis = 1000;
    capacity.memory_bytes = 1 << 30;
    capacity.slots = 1;
    scheduler_ = std::make_unique<scheduler::Scheduler>(capacity, *executor_);
  }
  void TearDown() override {
    scheduler_.reset();
    executor_.reset();  // kills the sleeps
    std::filesystem::remove_all(dir_);
  }

  static executor::StepRequest Sleep(const std::string& id) {
    executor::StepRequest request;
    request.id = id;
    request.name = id;
    request.command = {"sleep", "30"};
    return request;
  }

  std::vector<std::string> Started() {
    std::vector<std::string> ids;
    for (const auto& [id, at] : scheduler_->TakeStarted()) ids.push_back(id);
    return ids;
  }

  std::string dir_;
  std::unique_ptr<executor::LocalExecutor> executor_;
  std::unique_ptr<scheduler::Scheduler> scheduler_;
  StepDispatcher dispatcher_;
};

TEST_F(StepDispatcherTest, HigherPriorityFirstThenRoundRobin) {
  dispatcher_.Add("a", 0, Sleep("a1"));
  dispatcher_.Add("a", 0, Sleep("a2"));
  dispatcher_.Add("b", 5, Sleep("b1"));
  EXPECT_TRUE(dispatcher_.Feed(*scheduler_).empty());
  EXPECT_EQ(Started(), std::vector<std::string>{"b1"});
  // One step may wait in the scheduler per slot; the rest wait here.
  EXPECT_EQ(scheduler_->queued(), 1u);
  EXPECT_EQ(dispatcher_.waiting(), 1u);
}

TEST_F(StepDispatcherTest, HeldWorkflowsWaitAndRemovedStepsAreKilled) {
  dispatcher_.Hold("a", true);
  dispatcher_.Add("a", 0, Sleep("a1"));
  dispatcher_.Add("a", 0, Sleep("a2"));
  dispatcher_.Feed(*scheduler_);
  EXPECT_TRUE(Started().empty());
  auto removed = dispatcher_.Remove("a", "a2");
  ASSERT_TRUE(removed.has_value());
  EXPECT_TRUE(removed->killed);
  EXPECT_FALSE(dispatcher_.Remove("a", "a2").has_value());
  dispatcher_.Hold("a", false);
  dispatcher_.Feed(*scheduler_);
  EXPECT_EQ(Started(), std::vector<std::string>{"a1"});
  dispatcher_.Forget("a");
  EXPECT_EQ(dispatcher_.waiting(), 0u);
}

}  // namespace
}  // namespace loom::server
