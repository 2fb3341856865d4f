// Engine semantics, driven without processes through the harness of
// engine_test_harness.h (scripted executor, fake clock).
#include "engine/engine_test_harness.h"

namespace loom::engine {
namespace {

const char* kSteps = R"yaml(
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: steps-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: hello1
        template: echo
        arguments: {parameters: [{name: m, value: one}]}
    - - name: hello2a
        template: echo
        arguments: {parameters: [{name: m, value: two}]}
      - name: hello2b
        template: echo
        arguments: {parameters: [{name: m, value: "{{steps.hello1.outputs.result}}!"}]}
  - name: echo
    inputs: {parameters: [{name: m}]}
    container: {image: alpine, command: [echo, "{{inputs.parameters.m}}"]}
)yaml";

TEST(Engine, StepsRunInGroupsAndPassResults) {
  Harness h(kSteps);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.CountType(NodeType::kPod), 3);
  EXPECT_EQ(h.CountType(NodeType::kStepGroup), 2);
  const Node& root = h.status().nodes.at("wf");
  EXPECT_EQ(root.type, NodeType::kSteps);
  EXPECT_EQ(h.One("hello2b").inputs.parameters.at(0).value, "one!");
  EXPECT_EQ(h.One("hello1").name, "wf[0].hello1");
  EXPECT_EQ(h.One("[1]").name, "wf[1]");
  EXPECT_EQ(h.One("hello1").boundary_id, "wf");
  // hello1 runs alone before the second group starts.
  ASSERT_EQ(h.started.size(), 3u);
  EXPECT_EQ(h.started[0].name, "wf[0].hello1");
  EXPECT_EQ(h.status().Progress(), "3/3");
}

const char* kDiamond = R"yaml(
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: d}
spec:
  entrypoint: diamond
  templates:
  - name: diamond
    dag:
      tasks:
      - {name: A, template: pass}
      - {name: B, depends: A, template: pass}
      - {name: C, depends: A, template: fail}
      - {name: should-execute-1, depends: "A && (C.Succeeded || C.Failed)", template: pass}
      - {name: should-execute-2, depends: B || C, template: pass}
      - {name: should-not-execute, depends: B && C, template: pass}
      - {name: should-execute-3, depends: should-execute-2.Succeeded || should-not-execute, template: pass}
  - name: pass
    container: {image: busybox, command: [sh, -c, "exit 0"]}
  - name: fail
    container: {image: busybox, command: [sh, -c, "exit 1"]}
)yaml";

TEST(Engine, EnhancedDependsConsumesAFailure) {
  Harness h(kDiamond);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.One("C").phase, NodePhase::kFailed);
  EXPECT_EQ(h.One("C").message, "Error (exit code 1)");
}

TEST(Engine, AStepsNoteIsItsMessageUntilItEnds) {
  Harness h(R"yaml(
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: noted}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: alpine, command: [sh, -c, hang]}
)yaml");
  h.engine().Start();
  h.TakeCommands();
  ASSERT_EQ(h.started.size(), 1u);
  const std::string id = h.started[0].id;
  h.engine().TakeChangedNodes();
  h.engine().StepNoted(id, "Slurm job 3 is queued: Resources");
  EXPECT_EQ(h.ById(id).message, "Slurm job 3 is queued: Resources");
  EXPECT_EQ(h.ById(id).phase, NodePhase::kRunning);
  EXPECT_EQ(h.engine().TakeChangedNodes(), std::vector<std::string>{id});
  h.engine().StepNoted(id, "Slurm job 3 is queued: Resources");
  EXPECT_TRUE(h.engine().TakeChangedNodes().empty()) << "the same note is no change";

  StepResult done;
  done.id = id;
  done.started = true;
  done.exit_code = 0;
  h.engine().StepFinished(done);
  EXPECT_EQ(h.ById(id).phase, NodePhase::kSucceeded);
  EXPECT_EQ(h.ById(id).message, "");
  h.engine().StepNoted(id, "Slurm job 3 is queued: Priority");
  EXPECT_EQ(h.ById(id).message, "") << "a note after the end is too late";
}

TEST(Engine, FailedStepMessageEndsWithItsLastStderrLine) {
  Harness h(kDiamond);
  h.behave = [](const StepRequest& r, StepResult& result) {
    bool fails = r.command.back() == "exit 1";
    result.exit_code = fails ? 1 : 0;
    if (fails) result.stderr_last_line = "ValueError: no usable rows";
  };
  h.Run();
  EXPECT_EQ(h.One("C").message, "Error (exit code 1): ValueError: no usable rows");
  EXPECT_EQ(h.One("should-not-execute").phase, NodePhase::kOmitted);
  EXPECT_EQ(h.One("should-not-execute").type, NodeType::kSkipped);
  EXPECT_EQ(h.One("should-execute-3").phase, NodePhase::kSucceeded);
  EXPECT_EQ(h.CountType(NodeType::kPod), 6);
}

const char* kContinueOnFail = R"yaml(
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: c}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: pass}
      - {name: B, depends: A, template: fail}
      - {name: C, depends: A, template: pass}
      - {name: D, depends: B.Failed && C, template: pass}
      - {name: E, depends: A, template: fail}
      - {name: F, depends: A, template: pass}
      - {name: G, depends: E && F, template: pass}
  - name: pass
    container: {image: busybox, command: [sh, -c, "exit 0"]}
  - name: fail
    container: {image: busybox, command: [sh, -c, "exit 1"]}
)yaml";

TEST(Engine, OmittedTargetInheritsItsBranchFailure) {
  Harness h(kContinueOnFail);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  EXPECT_EQ(h.One("D").phase, NodePhase::kSucceeded);
  EXPECT_EQ(h.One("G").phase, NodePhase::kOmitted);
}

const char* kRetry = R"yaml(
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: r}
spec:
  entrypoint: main
  templates:
  - name: main
    retryStrategy:
      limit: "3"
      backoff: {duration: "1", factor: "2"}
    container: {image: busybox, command: [sh, -c, "exit 1 {{retries}}"]}
)yaml";

TEST(Engine, RetriesUntilTheLimitWithBackoff) {
  Harness h(kRetry);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  const Node& root = h.status().nodes.at("wf");
  EXPECT_EQ(root.type, NodeType::kRetry);
  EXPECT_EQ(root.children.size(), 4u);
  EXPECT_EQ(root.message, "No more retries left");
  EXPECT_EQ(h.One("wf(3)").phase, NodePhase::kFailed);
  EXPECT_EQ(h.started.back().command.back(), "exit 1 3");
}

TEST(Engine, RetrySucceedsOnALaterAttempt) {
  Harness h(kRetry);
  h.behave = [](const StepRequest& r, StepResult& result) {
    result.exit_code = r.command.back() == "exit 1 2" ? 0 : 1;
  };
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.CountType(NodeType::kPod), 3);
}

const char* kLoops = R"yaml(
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: l}
spec:
  entrypoint: main
  parallelism: 2
  templates:
  - name: main
    dag:
      tasks:
      - name: gen
        template: echo
        arguments: {parameters: [{name: m, value: "{{item.os}}-{{item.v}}"}]}
        withItems: [{os: debian, v: 9}, {os: ubuntu, v: 18}, {os: alpine, v: 3}]
      - name: seq
        template: echo
        arguments: {parameters: [{name: m, value: "{{item}}"}]}
        withSequence: {start: "5", end: "3", format: "n%02d"}
      - name: sum
        depends: gen && seq
        template: echo
        arguments: {parameters: [{name: m, value: "{{tasks.gen.outputs.result}}"}]}
  - name: echo
    inputs: {parameters: [{name: m}]}
    container: {image: alpine, command: [echo, "{{inputs.parameters.m}}"]}
)yaml";

TEST(Engine, LoopsNameItemsAndAggregateResults) {
  Harness h(kLoops);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.One("gen").type, NodeType::kTaskGroup);
  EXPECT_EQ(h.Named("gen(0:os:debian,v:9)").size(), 1u);
  EXPECT_EQ(h.Named("seq(2:n03)").size(), 1u);
  EXPECT_EQ(h.One("sum").inputs.parameters.at(0).value, R"(["debian-9","ubuntu-18","alpine-3"])");
  EXPECT_LE(h.max_running, 2u);
}

const char* kOutputs = R"yaml(
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: o}
spec:
  entrypoint: main
  onExit: bye
  templates:
  - name: main
    steps:
    - - name: make
        template: make
    - - name: use
        template: use
        arguments:
          parameters: [{name: p, value: "{{steps.make.outputs.parameters.p}}"}]
          artifacts: [{name: a, from: "{{steps.make.outputs.artifacts.a}}"}]
    outputs:
      parameters:
      - name: final
        valueFrom: {parameter: "{{steps.make.outputs.parameters.p}}"}
  - name: make
    container: {image: alpine, command: [sh, -c, "echo hi > /tmp/p"]}
    outputs:
      parameters:
      - {name: p, globalName: gp, valueFrom: {path: /tmp/p}}
      artifacts:
      - {name: a, path: /tmp/a}
  - name: use
    inputs:
      parameters: [{name: p}]
      artifacts: [{name: a, path: /in/a}]
    container: {image: alpine, command: [cat, /in/a]}
  - name: bye
    container: {image: alpine, command: [echo, "{{workflow.status}} {{workflow.outputs.parameters.gp}}"]}
)yaml";

TEST(Engine, OutputsFlowToLaterStepsGlobalsAndTheExitHandler) {
  Harness h(kOutputs);
  h.outputs["/tmp/p"] = "hello";
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  const Node& use = h.One("use");
  EXPECT_EQ(use.inputs.parameters.at(0).value, "hello");
  ASSERT_EQ(use.inputs.artifacts.size(), 1u);
  EXPECT_EQ(use.inputs.artifacts[0].path, "/in/a");
  EXPECT_EQ(use.inputs.artifacts[0].location.rfind("/artifacts/wf-", 0), 0u);
  EXPECT_EQ(h.status().nodes.at("wf").outputs.parameters.at(0).value, "hello");
  ASSERT_EQ(h.status().output_parameters.size(), 1u);
  EXPECT_EQ(h.status().output_parameters[0].value, "hello");
  EXPECT_EQ(h.started.back().command.back(), "Succeeded hello");
  EXPECT_EQ(h.One("wf.onExit").phase, NodePhase::kSucceeded);
}

TEST(Engine, MissingOutputFileIsAnErrorAfterExitZero) {
  Harness h(kOutputs);
  h.Run();
  EXPECT_EQ(h.One("make").phase, NodePhase::kError);
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  EXPECT_EQ(h.Named("use").size(), 0u);
}

const char* kWhen = R"yaml(
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: w}
spec:
  entrypoint: main
  arguments: {parameters: [{name: side, value: heads}]}
  templates:
  - name: main
    steps:
    - - {name: heads, template: echo, when: "{{workflow.parameters.side}} == heads"}
      - {name: tails, template: echo, when: "{{workflow.parameters.side}} == tails"}
  - name: echo
    container: {image: alpine, command: [echo, hi]}
)yaml";

TEST(Engine, WhenSkipsSteps) {
  Harness h(kWhen, {{"side", "tails"}});
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.One("heads").phase, NodePhase::kSkipped);
  EXPECT_EQ(h.One("heads").message, "when 'tails == heads' evaluated false");
  EXPECT_EQ(h.One("tails").phase, NodePhase::kSucceeded);
}

const char* kSleeper = R"yaml(
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: s}
spec:
  entrypoint: main
  onExit: bye
  templates:
  - name: main
    steps:
    - - {name: a, template: sleep}
    - - {name: b, template: sleep}
  - name: sleep
    container: {image: alpine, command: [sleep, "100"]}
  - name: bye
    container: {image: alpine, command: [echo, "{{workflow.status}}"]}
)yaml";

TEST(Engine, StopKillsRunningStepsAndStillRunsTheExitHandler) {
  Harness h(kSleeper);
  h.engine().Start();
  auto commands = h.engine().TakeCommands();
  ASSERT_EQ(commands.size(), 1u);
  h.engine().Stop();
  auto kills = h.engine().TakeCommands();
  ASSERT_EQ(kills.size(), 1u);
  EXPECT_EQ(kills[0].type, Command::Type::kKill);
  StepResult killed;
  killed.id = kills[0].id;
  killed.started = true;
  killed.killed = true;
  killed.exit_code = 137;
  h.engine().StepFinished(killed);
  auto exit = h.engine().TakeCommands();
  ASSERT_EQ(exit.size(), 1u);
  EXPECT_EQ(exit[0].request.command.back(), "Failed");
  StepResult ok;
  ok.id = exit[0].request.id;
  ok.started = true;
  ok.exit_code = 0;
  h.engine().StepFinished(ok);
  EXPECT_TRUE(h.engine().Done());
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  EXPECT_EQ(h.status().message, "Stopped with strategy 'Stop'");
  EXPECT_EQ(h.Named("b").size(), 0u);
}

TEST(Engine, TerminateSkipsTheExitHandler) {
  Harness h(kSleeper);
  h.engine().Start();
  auto commands = h.engine().TakeCommands();
  h.engine().Terminate();
  auto kills = h.engine().TakeCommands();
  ASSERT_EQ(kills.size(), 1u);
  StepResult killed;
  killed.id = kills[0].id;
  killed.started = true;
  killed.killed = true;
  h.engine().StepFinished(killed);
  EXPECT_TRUE(h.engine().TakeCommands().empty());
  EXPECT_TRUE(h.engine().Done());
  EXPECT_EQ(h.Named("wf.onExit").size(), 0u);
}

const char* kFanOut = R"yaml(
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: f}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: n
        template: t
        withSequence: {count: "2000"}
  - name: t
    container: {image: alpine, command: ["true"]}
)yaml";

TEST(Engine, LargeFanOutCompletes) {
  Harness h(kFanOut);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.CountType(NodeType::kPod), 2000);
  EXPECT_EQ(h.status().Progress(), "2000/2000");
}

}  // namespace
}  // namespace loom::engine
