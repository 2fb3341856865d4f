// Synchronization in the engine (Argo's docs/synchronization.md and
// workflow/sync): template-level semaphores and mutexes limit how many nodes
// run at once, a lock on a steps template is held for the node's whole life,
// a retry takes its locks again, a workflow-level lock keeps the workflow
// Pending; what status.synchronization and synchronizationStatus show.
#include "engine/engine_test_harness.h"
#include "engine/status_json.h"

namespace loom::engine {
namespace {

// Limits as a ConfigMap my-config would give them: template=2, one=1.
scheduler::LockTable Table() {
  return scheduler::LockTable([](const scheduler::LockName& lock) -> Result<int> {
    if (lock.name == "my-config" && lock.key == "template") return 2;
    if (lock.name == "my-config" && lock.key == "one") return 1;
    return Result<int>::Error("no key " + lock.key + " in ConfigMap " + lock.name);
  });
}

const char* kFanOut = R"yaml(
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: fan}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: work
        template: acquire-lock
        arguments: {parameters: [{name: num, value: "{{item}}"}]}
        withSequence: {count: "10"}
  - name: acquire-lock
    inputs: {parameters: [{name: num}]}
    synchronization:
      semaphores:
      - configMapKeyRef: {name: my-config, key: template}
    container: {image: alpine, command: [echo, "{{inputs.parameters.num}}"]}
)yaml";

TEST(Synchronization, TemplateSemaphoreLimitsAFanOutOfTenToTwoAtATime) {
  scheduler::LockTable table = Table();
  Harness h(kFanOut, &table, "fan");
  size_t most_holders = 0;
  size_t most_waiting = 0;
  std::string waiting_message;
  h.behave = [&](const executor::StepRequest&, executor::StepResult& result) {
    result.exit_code = 0;
    const SynchronizationStatus& sync = h.status().synchronization;
    if (!sync.semaphore_holding.empty()) {
      most_holders = std::max(most_holders, sync.semaphore_holding[0].holders.size());
    }
    size_t waiting = 0;
    for (const auto& [id, node] : h.status().nodes) {
      if (node.waiting_for_lock.empty()) continue;
      ++waiting;
      EXPECT_EQ(node.phase, NodePhase::kPending);
      waiting_message = node.message;
    }
    most_waiting = std::max(most_waiting, waiting);
  };
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded) << h.Dump();
  EXPECT_EQ(h.started.size(), 10u);
  EXPECT_EQ(h.max_running, 2u);
  EXPECT_EQ(most_holders, 2u);
  EXPECT_EQ(most_waiting, 8u);
  EXPECT_EQ(waiting_message,
            "Waiting for default/ConfigMap/my-config/template lock. Lock status: 0/2");
  // Released: nothing left held, nothing in the workflow's status.
  EXPECT_TRUE(h.status().synchronization.empty());
  EXPECT_TRUE(table.HeldBy("default/fan").empty());
  for (const auto& [id, node] : h.status().nodes) EXPECT_EQ(node.waiting_for_lock, "") << id;
}

TEST(Synchronization, WaitingNodesAndHoldersShowInArgosStatusShape) {
  scheduler::LockTable table = Table();
  Harness h(kFanOut, &table, "fan");
  h.engine().Start();
  h.TakeCommands();
  Json status = StatusHeaderToJson(h.status());
  const Json& holding = status["synchronization"]["semaphore"]["holding"];
  ASSERT_EQ(holding.size(), 1u) << status.dump();
  EXPECT_EQ(holding[0]["semaphore"], "default/ConfigMap/my-config/template");
  ASSERT_EQ(holding[0]["holders"].size(), 2u);
  EXPECT_EQ(holding[0]["holders"][0].get<std::string>().rfind("default/fan/fan-", 0), 0u);
  const Json& waiting = status["synchronization"]["semaphore"]["waiting"];
  ASSERT_EQ(waiting.size(), 1u) << status.dump();
  EXPECT_EQ(waiting[0]["holders"], holding[0]["holders"]);
  int waiting_nodes = 0;
  for (const auto& [id, node] : h.status().nodes) {
    Json json = NodeToJson(node);
    if (!json.contains("synchronizationStatus")) continue;
    ++waiting_nodes;
    EXPECT_EQ(json["synchronizationStatus"]["waiting"], "default/ConfigMap/my-config/template");
    EXPECT_EQ(NodeFromJson(json).value().waiting_for_lock, node.waiting_for_lock);
  }
  EXPECT_EQ(waiting_nodes, 8);
  SynchronizationStatus read = SynchronizationFromJson(status);
  ASSERT_EQ(read.semaphore_holding.size(), 1u);
  EXPECT_EQ(read.semaphore_holding[0].holders,
            h.status().synchronization.semaphore_holding[0].holders);
  EXPECT_EQ(read.semaphore_waiting.size(), 1u);
}

const char* kMutexOnSteps = R"yaml(
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: m}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: a, template: critical, arguments: {parameters: [{name: who, value: a}]}}
      - {name: b, template: critical, arguments: {parameters: [{name: who, value: b}]}}
  - name: critical
    inputs: {parameters: [{name: who}]}
    synchronization:
      mutex: {name: "section-{{workflow.name}}"}
    steps:
    - - {name: first, template: say, arguments: {parameters: [{name: m, value: "{{inputs.parameters.who}}1"}]}}
    - - {name: second, template: say, arguments: {parameters: [{name: m, value: "{{inputs.parameters.who}}2"}]}}
  - name: say
    inputs: {parameters: [{name: m}]}
    container: {image: alpine, command: [echo, "{{inputs.parameters.m}}"]}
)yaml";

TEST(Synchronization, MutexOnAStepsTemplateIsHeldForTheWholeNode) {
  Harness h(kMutexOnSteps);  // the engine's own table: mutexes need no limits
  std::string b_while_a_runs;
  h.behave = [&](const executor::StepRequest& r, executor::StepResult& result) {
    result.exit_code = 0;
    result.stdout_text = r.command.back();
    if (r.command.back() == "a1") {
      b_while_a_runs = std::string(NodePhaseName(h.One("b").phase)) + ": " + h.One("b").message;
    }
  };
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded) << h.Dump();
  std::vector<std::string> order;
  for (const executor::StepRequest& r : h.started) order.push_back(r.command.back());
  EXPECT_EQ(order, (std::vector<std::string>{"a1", "a2", "b1", "b2"}));
  EXPECT_EQ(h.max_running, 1u);
  EXPECT_EQ(b_while_a_runs, "Pending: Waiting for default/Mutex/section-wf lock. Lock status: 0/1");
  EXPECT_EQ(h.One("b").message, "");
}

const char* kRetry = R"yaml(
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: r}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: flaky, template: flaky}
      - {name: other, template: other}
  - name: flaky
    retryStrategy: {limit: 2}
    synchronization:
      mutexes: [{name: m}]
    container: {image: alpine, command: [sh, -c, "exit {{retries}}", "flaky-{{retries}}"]}
  - name: other
    synchronization:
      mutexes: [{name: m}]
    container: {image: alpine, command: [echo, other]}
)yaml";

TEST(Synchronization, ARetryTakesItsLocksAgain) {
  scheduler::LockTable table = Table();
  Harness h(kRetry, &table, "r");
  std::string second_attempt_while_other_runs;
  h.behave = [&](const executor::StepRequest& r, executor::StepResult& result) {
    result.exit_code = r.command.back() == "flaky-0" ? 1 : 0;
    if (r.command.back() == "other") {
      const Node& attempt = h.One("flaky(1)");
      second_attempt_while_other_runs =
          std::string(NodePhaseName(attempt.phase)) + " " + attempt.waiting_for_lock;
    }
  };
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded) << h.Dump();
  std::vector<std::string> order;
  for (const executor::StepRequest& r : h.started) order.push_back(r.command.back());
  // The failed attempt let go of the mutex: `other`, waiting already, ran
  // before the second attempt, which waited for it in turn.
  EXPECT_EQ(order, (std::vector<std::string>{"flaky-0", "other", "flaky-1"}));
  EXPECT_EQ(second_attempt_while_other_runs, "Pending default/Mutex/m");
  EXPECT_EQ(h.max_running, 1u);
}

const char* kWorkflowLevel = R"yaml(
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: wf-level-}
spec:
  entrypoint: main
  synchronization:
    semaphore: {configMapKeyRef: {name: my-config, key: one}}
  templates:
  - name: main
    container: {image: alpine, command: [echo, hi]}
)yaml";

TEST(Synchronization, AWorkflowLevelLockKeepsTheSecondWorkflowPending) {
  scheduler::LockTable table = Table();
  Harness first(kWorkflowLevel, &table, "first");
  Harness second(kWorkflowLevel, &table, "second");
  first.engine().Start();
  second.engine().Start();
  second.TakeCommands();
  EXPECT_EQ(second.status().phase, WorkflowPhase::kPending);
  EXPECT_EQ(second.status().message,
            "Waiting for default/ConfigMap/my-config/one lock. Lock status: 0/1");
  EXPECT_TRUE(second.status().nodes.empty());
  EXPECT_TRUE(second.started.empty());
  Json status = StatusHeaderToJson(second.status());
  EXPECT_EQ(status["synchronization"]["semaphore"]["waiting"][0]["holders"][0], "default/first")
      << status.dump();
  EXPECT_EQ(StatusHeaderToJson(
                first.status())["synchronization"]["semaphore"]["holding"][0]["holders"][0],
            "default/first");
  first.Continue();
  EXPECT_EQ(first.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_TRUE(second.started.empty());  // admitted, but not yet told
  second.Continue();
  EXPECT_EQ(second.status().phase, WorkflowPhase::kSucceeded) << second.Dump();
  EXPECT_EQ(second.status().message, "");
  EXPECT_EQ(second.started.size(), 1u);
}

TEST(Synchronization, AWorkflowStoppedWhileWaitingFailsAndLeavesTheQueue) {
  scheduler::LockTable table = Table();
  Harness first(kWorkflowLevel, &table, "first");
  Harness second(kWorkflowLevel, &table, "second");
  first.engine().Start();
  second.engine().Start();
  EXPECT_EQ(table.waiting(), 1u);
  second.engine().Stop();
  EXPECT_TRUE(second.engine().Done());
  EXPECT_EQ(second.status().phase, WorkflowPhase::kFailed);
  EXPECT_EQ(second.status().message, "Stopped with strategy 'Stop'");
  EXPECT_EQ(table.waiting(), 0u);
  first.Continue();
  EXPECT_TRUE(table.TakeGranted().empty());
}

TEST(Synchronization, ANodeStoppedWhileWaitingFails) {
  scheduler::LockTable table = Table();
  table.Restore({"default/other", "x"}, {scheduler::LockName::Kind::kMutex, "default", "m", ""});
  Harness h(kRetry, &table, "r");
  h.engine().Start();
  h.TakeCommands();
  EXPECT_EQ(table.waiting(), 2u);  // flaky(0) and other
  h.engine().Stop();
  h.Continue();
  EXPECT_TRUE(h.engine().Done());
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  EXPECT_EQ(h.One("other").phase, NodePhase::kFailed);
  EXPECT_EQ(h.One("other").message, "Stopped with strategy 'Stop'");
  EXPECT_EQ(h.One("other").waiting_for_lock, "");
  EXPECT_TRUE(h.started.empty());
  EXPECT_EQ(table.waiting(), 0u);
  EXPECT_EQ(table.Holders("default/Mutex/m"), std::vector<std::string>{"default/other/x"});
}

TEST(Synchronization, ASemaphoreWithoutLimitIsANodeErrorOrAFailedWorkflow) {
  std::string missing = std::string(kFanOut);
  missing.replace(missing.find("key: template"), 13, "key: nope");
  scheduler::LockTable table = Table();
  Harness h(missing, &table, "fan");
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  EXPECT_TRUE(h.started.empty());
  const Node& first = h.One("work(0:0)");
  EXPECT_EQ(first.phase, NodePhase::kError);
  EXPECT_EQ(first.message,
            "failed to initialize semaphore default/ConfigMap/my-config/nope with limit: no key "
            "nope in ConfigMap my-config");

  std::string level = std::string(kWorkflowLevel);
  level.replace(level.find("key: one"), 8, "key: nope");
  Harness w(level, &table, "w");
  w.Run();
  EXPECT_EQ(w.status().phase, WorkflowPhase::kFailed);
  EXPECT_EQ(w.status().message,
            "Failed to acquire the synchronization lock. failed to initialize semaphore "
            "default/ConfigMap/my-config/nope with limit: no key nope in ConfigMap my-config");
  EXPECT_TRUE(w.started.empty());
}

TEST(Synchronization, HoldsRestoredAfterARestartAreTheRunsUntilItEnds) {
  scheduler::LockTable table = Table();
  scheduler::LockName lock{scheduler::LockName::Kind::kSemaphore, "default", "my-config", "one"};
  table.Restore({"default/w", ""}, lock);
  table.Restore({"default/w", "gone-node"},
                {scheduler::LockName::Kind::kMutex, "default", "x", ""});
  Harness w(kWorkflowLevel, &table, "w");
  w.engine().Start();
  const SynchronizationStatus& sync = w.status().synchronization;
  ASSERT_EQ(sync.semaphore_holding.size(), 1u);
  EXPECT_EQ(sync.semaphore_holding[0].holders, std::vector<std::string>{"default/w"});
  ASSERT_EQ(sync.mutex_holding.size(), 1u);
  EXPECT_EQ(sync.mutex_holding[0].holders, std::vector<std::string>{"default/w/gone-node"});
  EXPECT_EQ(w.status().phase, WorkflowPhase::kRunning);
  w.Continue();
  EXPECT_EQ(w.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_TRUE(table.HeldBy("default/w").empty());
}

}  // namespace
}  // namespace loom::engine
