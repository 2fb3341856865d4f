// Admission tests with an in-memory executor that records what it was asked
// to start and finishes steps when told to.
#include "scheduler/scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace loom::scheduler {
namespace {

class RecordingExecutor : public executor::Executor {
 public:
  void Start(executor::StepRequest request) override { started.push_back(request.id); }
  void Kill(const std::string& id) override { killed.push_back(id); }
  std::vector<executor::StepResult> Wait(std::chrono::milliseconds) override {
    std::vector<executor::StepResult> out;
    for (const std::string& id : to_finish) {
      executor::StepResult r;
      r.id = id;
      r.started = true;
      r.exit_code = 0;
      out.push_back(r);
    }
    to_finish.clear();
    return out;
  }
  std::optional<executor::TimePoint> Adopt(const executor::StepRequest& request) override {
    if (!adoptable.count(request.id)) return std::nullopt;
    return adoptable[request.id];
  }
  void Wake() override {}
  size_t running() const override { return started.size(); }

  std::vector<std::string> started, killed, to_finish;
  std::map<std::string, executor::TimePoint> adoptable;
};

executor::StepRequest Step(const std::string& id, int64_t cpu_millis, int64_t memory = 0) {
  executor::StepRequest r;
  r.id = id;
  r.command = {"true"};
  r.resources.cpu_millis = cpu_millis;
  r.resources.memory_bytes = memory;
  return r;
}

Capacity TwoCores() { return Capacity{2000, int64_t{4} << 30, 0, 2}; }

TEST(Scheduler, StartsOnlyWhatFits) {
  RecordingExecutor exec;
  Scheduler s(TwoCores(), exec);
  EXPECT_FALSE(s.Submit(Step("a", 1500)));
  EXPECT_FALSE(s.Submit(Step("b", 1000)));
  EXPECT_EQ(exec.started, std::vector<std::string>{"a"});
  EXPECT_EQ(s.queued(), 1u);
  exec.to_finish = {"a"};
  s.Wait(std::chrono::milliseconds(0));
  EXPECT_EQ(exec.started, (std::vector<std::string>{"a", "b"}));
}

TEST(Scheduler, StepsWithoutRequestsStillTakeASlot) {
  RecordingExecutor exec;
  Scheduler s(TwoCores(), exec);
  for (int i = 0; i < 5; ++i) s.Submit(Step("s" + std::to_string(i), 0));
  EXPECT_EQ(exec.started.size(), 2u);
  EXPECT_EQ(s.queued(), 3u);
}

TEST(Scheduler, HalfCoresAddUpExactly) {
  RecordingExecutor exec;
  Scheduler s(Capacity{1000, int64_t{1} << 30, 0, 4}, exec);
  s.Submit(Step("a", 500));
  s.Submit(Step("b", 500));
  s.Submit(Step("c", 1));
  EXPECT_EQ(exec.started, (std::vector<std::string>{"a", "b"}));
}

TEST(Scheduler, SmallStepsBackfillBehindABigOne) {
  RecordingExecutor exec;
  Scheduler s(TwoCores(), exec);
  s.Submit(Step("small", 1000));
  s.Submit(Step("big", 2000));
  s.Submit(Step("small2", 1000));
  EXPECT_EQ(exec.started, (std::vector<std::string>{"small", "small2"}));
}

TEST(Scheduler, RefusesAStepLargerThanTheMachine) {
  RecordingExecutor exec;
  Scheduler s(TwoCores(), exec);
  auto refused = s.Submit(Step("huge", 90000));
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->started);
  EXPECT_NE(refused->message.find("requests cpu 90 but the capacity is 2"), std::string::npos)
      << refused->message;
  auto memory = s.Submit(Step("fat", 0, int64_t{500} << 30));
  ASSERT_TRUE(memory);
  EXPECT_NE(memory->message.find("--max-memory"), std::string::npos);
  EXPECT_TRUE(exec.started.empty());
}

TEST(Scheduler, KillDropsQueuedStepsAndForwardsRunningOnes) {
  RecordingExecutor exec;
  Scheduler s(Capacity{1000, int64_t{1} << 30, 0, 1}, exec);
  s.Submit(Step("run", 0));
  s.Submit(Step("wait", 0));
  auto dropped = s.Kill("wait");
  ASSERT_TRUE(dropped);
  EXPECT_TRUE(dropped->killed);
  EXPECT_EQ(s.queued(), 0u);
  EXPECT_FALSE(s.Kill("run"));
  EXPECT_EQ(exec.killed, std::vector<std::string>{"run"});
}

TEST(Scheduler, ReportsStartTimes) {
  RecordingExecutor exec;
  Scheduler s(TwoCores(), exec);
  s.Submit(Step("a", 0));
  auto started = s.TakeStarted();
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0].first, "a");
  EXPECT_TRUE(s.TakeStarted().empty());
}

// Adopted steps run already: they take their resources even beyond capacity,
// and what they take is owed back before anything new starts.
TEST(Scheduler, AdoptedStepsTakeResourcesEvenBeyondCapacity) {
  RecordingExecutor exec;
  Scheduler s(TwoCores(), exec);
  auto at = executor::Clock::now() - std::chrono::seconds(5);
  for (const char* id : {"a", "b", "c"}) exec.adoptable[id] = at;
  EXPECT_FALSE(s.Adopt(Step("unknown", 0)));
  for (const char* id : {"a", "b", "c"}) EXPECT_TRUE(s.Adopt(Step(id, 1000)));
  EXPECT_EQ(s.running(), 3u);
  EXPECT_TRUE(exec.started.empty());
  auto started = s.TakeStarted();
  ASSERT_EQ(started.size(), 3u);
  EXPECT_EQ(started[0].second, at);

  EXPECT_FALSE(s.Submit(Step("d", 0)));
  exec.to_finish = {"a"};
  s.Wait(std::chrono::milliseconds(0));
  EXPECT_TRUE(exec.started.empty());  // a's slot repaid what c took beyond capacity
  exec.to_finish = {"b"};
  s.Wait(std::chrono::milliseconds(0));
  EXPECT_EQ(exec.started, std::vector<std::string>{"d"});
}

}  // namespace
}  // namespace loom::scheduler
