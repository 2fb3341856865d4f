// Synchronization across workflows on a real server: a workflow-level mutex
// shared by two workflows lets one run at a time (the other waits Pending,
// listed in status.synchronization), a template semaphore's limit counts
// steps of every workflow, and a restarted server gives held locks back to
// their holders rather than to the first waiter.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "server/server_test_fixture.h"

namespace loom::server {
namespace {

using Interval = std::pair<int64_t, int64_t>;

// A step that prints when it started and ended (ns) around `seconds` of sleep.
constexpr char kTimedStep[] = "date +%s%N; sleep {}; date +%s%N";

const Json kSharedMutex = {{"mutexes", Json::array({{{"name", "fleet-lock"}}})}};

class SyncServerTest : public ServerTest {
 protected:
  static Json TimedWorkflow(const std::string& name, double seconds, const Json& synchronization) {
    std::string script = kTimedStep;
    script.replace(script.find("{}"), 2, std::to_string(seconds));
    Json wf = Sequence(name, {{"work", script}});
    if (!synchronization.is_null()) wf["spec"]["synchronization"] = synchronization;
    wf["spec"]["templates"][0]["retryStrategy"] = {{"limit", 2}};
    return wf;
  }

  // The [start, end] that the last attempt of step "work" printed.
  static Interval WorkInterval(const Json& workflow) {
    Json node = Node(workflow, "work");
    std::string result = node.is_null() ? "" : node["outputs"].value("result", "");
    std::istringstream printed(result);
    Interval interval{0, 0};
    printed >> interval.first >> interval.second;
    EXPECT_GT(interval.second, interval.first) << workflow.dump(2);
    return interval;
  }

  // The entries of status.synchronization.mutex.<list> ("holding" or "waiting").
  static std::vector<std::string> Listed(const Json& workflow, const char* list) {
    std::vector<std::string> out;
    const Json mutex =
        workflow["status"].value("synchronization", Json::object()).value("mutex", Json::object());
    for (const Json& entry : mutex.value(list, Json::array())) out.push_back(entry.dump());
    return out;
  }

  // Polls until `name` waits for a lock, Pending; returns the workflow.
  Json WaitUntilWaiting(const std::string& name) {
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    Json workflow;
    while (std::chrono::steady_clock::now() < end) {
      workflow = Call("GET", "/api/v1/workflows/default/" + name);
      if (!Listed(workflow, "waiting").empty()) return workflow;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << name << " never waited for its lock: " << workflow.dump(2);
    return workflow;
  }
};

TEST_F(SyncServerTest, AWorkflowMutexLetsOneWorkflowRunAtATime) {
  StartServer();
  int status = 0;
  Submit(TimedWorkflow("first", 0.6, kSharedMutex), &status);
  ASSERT_EQ(status, 200);
  WaitForPhase("first", "Running");
  Submit(TimedWorkflow("second", 0.2, kSharedMutex), &status);
  ASSERT_EQ(status, 200);

  Json waiting = WaitUntilWaiting("second");
  EXPECT_EQ(waiting["status"].value("phase", ""), "Pending");
  EXPECT_EQ(waiting["status"].value("message", "").rfind("Waiting for default/Mutex/fleet-lock", 0),
            0u)
      << waiting["status"].dump(2);

  Interval first = WorkInterval(WaitForPhase("first", "Succeeded"));
  Interval second = WorkInterval(WaitForPhase("second", "Succeeded"));
  EXPECT_LE(first.second, second.first) << "the second workflow ran while the first held the lock";
}

TEST_F(SyncServerTest, ATemplateSemaphoreCountsStepsOfEveryWorkflow) {
  auto config = spec::ParseSyncConfig(
      "kind: ConfigMap\nmetadata: {name: limits}\ndata: {train: \"1\"}\n", "limits.yaml");
  ASSERT_TRUE(config.ok()) << config.error();
  StartServer(4, *config);
  const Json semaphore = {
      {"semaphores", Json::array({{{"configMapKeyRef", {{"name", "limits"}, {"key", "train"}}}}})}};
  std::vector<std::string> names = {"a", "b", "c"};
  int status = 0;
  for (const std::string& name : names) {
    Json wf = TimedWorkflow(name, 0.3, nullptr);
    wf["spec"]["templates"][0]["synchronization"] = semaphore;
    Submit(wf, &status);
    ASSERT_EQ(status, 200);
  }
  std::vector<Interval> intervals;
  for (const std::string& name : names) {
    intervals.push_back(WorkInterval(WaitForPhase(name, "Succeeded")));
  }
  std::sort(intervals.begin(), intervals.end());
  for (size_t i = 1; i < intervals.size(); ++i) {
    EXPECT_LE(intervals[i - 1].second, intervals[i].first) << "two steps held one slot at once";
  }
}

TEST_F(SyncServerTest, ARestartedServerGivesTheMutexBackToItsHolder) {
  StartServer();
  int status = 0;
  Submit(TimedWorkflow("holder", 1.0, kSharedMutex), &status);
  ASSERT_EQ(status, 200);
  WaitForPhase("holder", "Running");
  // Higher priority: were the lock not given back, the waiter would be first.
  Json waiter_workflow = TimedWorkflow("waiter", 0.2, kSharedMutex);
  waiter_workflow["spec"]["priority"] = 10;
  Submit(waiter_workflow, &status);
  ASSERT_EQ(status, 200);
  WaitUntilWaiting("waiter");

  // Steps of an in-process server die with it; "work" retries, still holding.
  server_.reset();
  StartServer();
  Json holder = Call("GET", "/api/v1/workflows/default/holder");
  Json waiter = Call("GET", "/api/v1/workflows/default/waiter");
  EXPECT_EQ(waiter["status"].value("phase", ""), "Pending") << waiter["status"].dump(2);
  EXPECT_EQ(Listed(holder, "holding").size(), 1u) << holder["status"].dump(2);

  Interval held = WorkInterval(WaitForPhase("holder", "Succeeded"));
  Interval waited = WorkInterval(WaitForPhase("waiter", "Succeeded"));
  EXPECT_LE(held.second, waited.first)
      << "the waiter took the lock its holder had before the restart";
}

}  // namespace
}  // namespace loom::server
