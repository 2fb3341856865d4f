// Checks the engine against Argo Workflows' own semantics. Each test pins one
// behaviour that Argo documents or that its controller source shows
// (argoproj/argo-workflows, workflow/controller/*.go, docs/*.md), cited above
// the test. The harness is engine_test_harness.h's.
#include "base/json.h"
#include "engine/engine_test_harness.h"

namespace loom::engine {
namespace {

std::string Workflow(const std::string& body) {
  return "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: wf}\nspec:\n" + body;
}

// Templates shared by most tests.
const char kLeaves[] = R"yaml(
  - name: pass
    container: {image: alpine, command: [sh, -c, "exit 0"]}
  - name: fail
    container: {image: alpine, command: [sh, -c, "exit 1"]}
  - name: hang
    container: {image: alpine, command: [sh, -c, "hang"]}
  - name: echo
    inputs: {parameters: [{name: m}]}
    container: {image: alpine, command: [echo, "{{inputs.parameters.m}}"]}
)yaml";

// ---------------------------------------------------------------------------
// Node tree: names, display names, types, boundaries, children, outbound nodes.

// steps.go executeSteps: group "<steps>[i]" is a child of the steps node for
// i == 0, else of every outbound node of the previous group's children; step
// nodes are "<group>.<step>"; initializeNode strips the boundary's name and a
// leading "[i]." to form the display name. updateOutboundNodes: a steps node's
// outbound nodes are those of the last group's children.
TEST(ArgoSemantics, StepsTreeLinksGroupsThroughOutboundNodes) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: a, template: pass}
    - - {name: b, template: pass}
      - {name: c, template: pass}
)yaml") + kLeaves);
  h.Run();
  ASSERT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  const Node& root = h.ById("wf");
  EXPECT_EQ(h.ChildNames(root), std::vector<std::string>{"[0]"});
  const Node& g0 = h.One("[0]");
  EXPECT_EQ(g0.name, "wf[0]");
  EXPECT_EQ(g0.type, NodeType::kStepGroup);
  EXPECT_EQ(g0.boundary_id, "wf");
  EXPECT_EQ(h.ChildNames(g0), std::vector<std::string>{"a"});
  const Node& a = h.One("a");
  EXPECT_EQ(a.name, "wf[0].a");
  EXPECT_EQ(a.boundary_id, "wf");
  EXPECT_EQ(h.ChildNames(a), std::vector<std::string>{"[1]"});
  EXPECT_EQ(h.ChildNames(h.One("[1]")), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(h.One("b").name, "wf[1].b");
  EXPECT_EQ(h.OutboundNames(root), (std::vector<std::string>{"b", "c"}));
}

// dag.go executeDAGTask/connectDependencies: a task without dependencies is a
// child of the DAG node; otherwise a child of each outbound node of each
// dependency. Task nodes are "<dag>.<task>". updateOutboundNodesForTargetTasks:
// the DAG's outbound nodes are those of its target (leaf) tasks.
TEST(ArgoSemantics, DagTreeLinksTasksToTheirDependencies) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: pass}
      - {name: B, depends: A, template: pass}
      - {name: C, depends: A, template: pass}
      - {name: D, depends: B && C, template: pass}
)yaml") + kLeaves);
  h.Run();
  ASSERT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  const Node& root = h.ById("wf");
  EXPECT_EQ(root.type, NodeType::kDag);
  EXPECT_EQ(h.ChildNames(root), std::vector<std::string>{"A"});
  EXPECT_EQ(h.One("A").name, "wf.A");
  EXPECT_EQ(h.One("A").boundary_id, "wf");
  EXPECT_EQ(h.ChildNames(h.One("A")), (std::vector<std::string>{"B", "C"}));
  EXPECT_EQ(h.ChildNames(h.One("B")), std::vector<std::string>{"D"});
  EXPECT_EQ(h.ChildNames(h.One("C")), std::vector<std::string>{"D"});
  EXPECT_EQ(h.OutboundNames(root), std::vector<std::string>{"D"});
}

// steps.go expandStepGroup: a looped step expands into sibling steps named
// "<step>(<i>:<item>)" directly under the step group (no TaskGroup node).
TEST(ArgoSemantics, StepLoopExpandsIntoTheGroup) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: s
        template: echo
        arguments: {parameters: [{name: m, value: "{{item}}"}]}
        withItems: [p, q]
)yaml") + kLeaves);
  h.Run();
  ASSERT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.CountType(NodeType::kTaskGroup), 0);
  EXPECT_EQ(h.ChildNames(h.One("[0]")), (std::vector<std::string>{"s(0:p)", "s(1:q)"}));
  EXPECT_EQ(h.One("s(1:q)").name, "wf[0].s(1:q)");
  EXPECT_EQ(h.One("s(1:q)").inputs.parameters.at(0).value, "q");
}

// dag.go: a looped task gets a TaskGroup node "<dag>.<task>" whose children are
// "<task>(<i>:<item>)"; getOutboundNodes(TaskGroup) is its children's, so a
// dependent becomes a child of every item.
TEST(ArgoSemantics, DagLoopMakesATaskGroupAndDependentsHangOffEachItem) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: L
        template: echo
        arguments: {parameters: [{name: m, value: "{{item}}"}]}
        withItems: [1, 2]
      - {name: Z, depends: L, template: pass}
)yaml") + kLeaves);
  h.Run();
  ASSERT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  const Node& group = h.One("L");
  EXPECT_EQ(group.type, NodeType::kTaskGroup);
  EXPECT_EQ(group.phase, NodePhase::kSucceeded);
  EXPECT_EQ(h.ChildNames(group), (std::vector<std::string>{"L(0:1)", "L(1:2)"}));
  EXPECT_EQ(h.One("L(0:1)").name, "wf.L(0:1)");
  EXPECT_EQ(h.ChildNames(h.One("L(0:1)")), std::vector<std::string>{"Z"});
  EXPECT_EQ(h.ChildNames(h.One("L(1:2)")), std::vector<std::string>{"Z"});
}

// operator.go executeTemplate: a template with retryStrategy gets a Retry node
// named like the step; attempts are its children "<name>(<n>)". getOutboundNodes
// of a Retry node is its last child, so the next group hangs off the last attempt.
TEST(ArgoSemantics, RetryNodeWrapsAttempts) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: r, template: flaky}
    - - {name: after, template: pass}
  - name: flaky
    retryStrategy: {limit: "3"}
    container: {image: alpine, command: [sh, -c, "try {{retries}}"]}
)yaml") + kLeaves);
  h.behave = [](const StepRequest& r, StepResult& result) {
    const std::string& last = r.command.back();
    result.exit_code = last.rfind("try ", 0) == 0 && last != "try 2" ? 1 : 0;
  };
  h.Run();
  ASSERT_EQ(h.status().phase, WorkflowPhase::kSucceeded) << h.Dump();
  const Node& retry = h.One("r");
  EXPECT_EQ(retry.type, NodeType::kRetry);
  EXPECT_EQ(retry.phase, NodePhase::kSucceeded);
  EXPECT_EQ(h.ChildNames(retry), (std::vector<std::string>{"r(0)", "r(1)", "r(2)"}));
  EXPECT_EQ(h.One("r(1)").name, "wf[0].r(1)");
  EXPECT_EQ(h.One("r(1)").type, NodeType::kPod);
  EXPECT_EQ(h.One("r(1)").phase, NodePhase::kFailed);
  EXPECT_EQ(h.ChildNames(h.One("r(2)")), std::vector<std::string>{"[1]"});
  EXPECT_TRUE(h.ChildNames(h.One("r(0)")).empty());
}

// operator.go: the workflow exit handler runs as node "<wf>.onExit" (no
// boundary); a step's hooks.exit runs as "<step node>.onExit", a child of the
// step node (runOnExitNode: addChildNode(parentNode.Name, onExitNodeName)).
TEST(ArgoSemantics, ExitHandlerNodesAreNamedOnExit) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  onExit: pass
  templates:
  - name: main
    steps:
    - - name: a
        template: pass
        hooks: {exit: {template: pass}}
)yaml") + kLeaves);
  h.Run();
  ASSERT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  const Node& hook = h.One("a.onExit");
  EXPECT_EQ(hook.name, "wf[0].a.onExit");
  EXPECT_EQ(hook.boundary_id, "wf");
  EXPECT_EQ(h.ChildNames(h.One("a")), std::vector<std::string>{"a.onExit"});
  const Node& exit = h.One("wf.onExit");
  EXPECT_EQ(exit.name, "wf.onExit");
  EXPECT_EQ(exit.boundary_id, "");
  EXPECT_EQ(h.CountType(NodeType::kPod), 3);
}

// dag.go executeDAGTask runs a task's exit hook once the task completed and a
// dependent waits for it (evaluateDependsLogic checks CheckAllHooksFullfilled).
TEST(ArgoSemantics, DagTaskExitHookRunsBeforeDependents) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: A
        template: pass
        hooks: {exit: {template: echo, arguments: {parameters: [{name: m, value: hook}]}}}
      - {name: B, depends: A, template: pass}
)yaml") + kLeaves);
  h.Run();
  ASSERT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  ASSERT_EQ(h.started.size(), 3u);
  EXPECT_EQ(h.started[1].name, "wf.A.onExit");
  EXPECT_EQ(h.started[2].name, "wf.B");
}

// ---------------------------------------------------------------------------
// Phases and messages.

// steps.go executeStepGroup: "child '<id>' failed" on the group; executeSteps
// copies the group's message to the steps node; operate() makes it the
// workflow's message (workflowMessage = node.Message). Later groups never start.
TEST(ArgoSemantics, StepGroupFailureMessageNamesTheChild) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: bad, template: fail}
      - {name: good, template: pass}
    - - {name: never, template: pass}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  std::string expected = "child '" + h.One("bad").id + "' failed";
  EXPECT_EQ(h.One("[0]").phase, NodePhase::kFailed);
  EXPECT_EQ(h.One("[0]").message, expected);
  EXPECT_EQ(h.ById("wf").message, expected);
  EXPECT_EQ(h.status().message, expected);
  EXPECT_EQ(h.One("good").phase, NodePhase::kSucceeded);
  EXPECT_TRUE(h.Named("never").empty());
  EXPECT_TRUE(h.Named("[1]").empty());
}

// docs/fields.md ContinueOn: "failed: continue if the step fails"; steps.go
// skips children whose phase step.ContinuesOn(). A Failed step with
// continueOn.failed lets the workflow succeed and the next group run.
TEST(ArgoSemantics, StepContinueOnFailed) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: bad, template: fail, continueOn: {failed: true}}
    - - name: next
        template: echo
        arguments: {parameters: [{name: m, value: "{{steps.bad.exitCode}} {{steps.bad.status}}"}]}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.One("bad").phase, NodePhase::kFailed);
  EXPECT_EQ(h.One("next").inputs.parameters.at(0).value, "1 Failed");
}

// ContinueOn.failed does not cover Error (wfv1.ContinueOn.ContinuesOn checks the
// phase): a step that errors (here: its output file is missing) fails the workflow.
TEST(ArgoSemantics, ContinueOnFailedDoesNotCoverError) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: out, template: out, continueOn: {failed: true}}
    - - {name: next, template: pass}
  - name: out
    container: {image: alpine, command: [sh, -c, "true"]}
    outputs: {parameters: [{name: p, valueFrom: {path: /tmp/p}}]}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.One("out").phase, NodePhase::kError);
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  EXPECT_TRUE(h.Named("next").empty());
}

TEST(ArgoSemantics, ContinueOnErrorCoversError) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: out, template: out, continueOn: {error: true}}
    - - {name: next, template: pass}
  - name: out
    container: {image: alpine, command: [sh, -c, "true"]}
    outputs: {parameters: [{name: p, valueFrom: {path: /tmp/p}}]}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.One("out").phase, NodePhase::kError);
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.One("next").phase, NodePhase::kSucceeded);
}

// dag.go assessDAGPhase: a target task with continueOn for its phase does not
// fail the DAG; a dependent's `dependencies` gets "|| X.Failed" added
// (expandDependency), so it runs.
TEST(ArgoSemantics, DagContinueOnFailedTask) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: fail, continueOn: {failed: true}}
      - {name: B, dependencies: [A], template: pass}
      - {name: C, template: fail, continueOn: {failed: true}}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.One("B").phase, NodePhase::kSucceeded);
}

// dag.go assessDAGPhase returns Running while any node reachable from the DAG
// is unfulfilled ("if !node.Fulfilled() { return wfv1.NodeRunning }"), so with
// failFast a failed task fails the DAG only once the tasks still running have
// finished; the workflow's exit handler starts after that.
TEST(ArgoSemantics, FailFastDagWaitsForRunningTasks) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  onExit: pass
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: fail}
      - {name: B, template: pass}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  EXPECT_EQ(h.One("B").phase, NodePhase::kSucceeded);
  const Node& dag = h.ById("wf");
  ASSERT_TRUE(dag.finished_at && h.One("B").finished_at);
  EXPECT_GE(*dag.finished_at, *h.One("B").finished_at);
  EXPECT_GT(h.StartedAfter("wf.onExit"), h.StartedAfter("wf.B"));
  EXPECT_GE(h.start_times.at("wf.onExit"), *h.One("B").finished_at);
}

// dag.go: executeDAGTask starts every task whose dependencies have resolved
// before assessDAGPhase looks, and assessDAGPhase says Running while any
// node runs, so after A fails the dependent of the still-running B starts
// (examples/dag-continue-on-fail.yaml: D runs after B failed, whenever C
// ends). The DAG then fails.
TEST(ArgoSemantics, FailFastDagStillStartsTasksWhoseDependenciesResolve) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: fail}
      - {name: B, template: pass}
      - {name: C, depends: B, template: pass}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  EXPECT_EQ(h.One("C").phase, NodePhase::kSucceeded);
}

// operator.go checkParallelism: a template with its own `failFast: true`
// starts nothing new once a child failed, and fails when none is active
// (test/e2e/expectedfailures/parallelism-dag-fail-fast.yaml).
TEST(ArgoSemantics, TemplateFailFastStartsNothingNewAfterAFailure) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    failFast: true
    dag:
      tasks:
      - {name: A, template: fail}
      - {name: B, template: pass}
      - {name: C, depends: B, template: pass}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  EXPECT_TRUE(h.Named("C").empty());
}

// With failFast: false every branch runs to completion and the DAG then fails
// (examples/dag-disable-failFast.yaml: Failed, D and E still Succeeded).
TEST(ArgoSemantics, FailFastFalseRunsEveryBranch) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    dag:
      failFast: false
      tasks:
      - {name: A, template: fail}
      - {name: B, template: pass}
      - {name: C, depends: B, template: pass}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  EXPECT_EQ(h.One("C").phase, NodePhase::kSucceeded);
  EXPECT_EQ(h.ById("wf").phase, NodePhase::kFailed);
}

// dag.go executeDAG: with dag.target only the targets and their dependencies
// run (examples/dag-targets.yaml: B and D absent); outbound nodes = targets'.
TEST(ArgoSemantics, DagTargetRunsOnlyTargetsAndAncestors) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    dag:
      target: C
      tasks:
      - {name: A, template: pass}
      - {name: B, depends: A, template: pass}
      - {name: C, depends: A, template: pass}
      - {name: D, depends: C, template: pass}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_TRUE(h.Named("B").empty());
  EXPECT_TRUE(h.Named("D").empty());
  EXPECT_EQ(h.OutboundNames(h.ById("wf")), std::vector<std::string>{"C"});
}

// dag.go: `when` false -> Skipped node, message "when '<when>' evaluated
// false"; depends not met -> Omitted, "omitted: depends condition not met";
// both are of type Skipped.
TEST(ArgoSemantics, SkippedVersusOmitted) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: pass, when: "1 == 2"}
      - {name: B, template: pass}
      - {name: C, depends: B.Failed, template: pass}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.One("A").phase, NodePhase::kSkipped);
  EXPECT_EQ(h.One("A").type, NodeType::kSkipped);
  EXPECT_EQ(h.One("A").message, "when '1 == 2' evaluated false");
  EXPECT_EQ(h.One("C").phase, NodePhase::kOmitted);
  EXPECT_EQ(h.One("C").type, NodeType::kSkipped);
  EXPECT_EQ(h.One("C").message, "omitted: depends condition not met");
}

// dag.go evaluateDependsLogic: for a TaskGroup, AnySucceeded = some child
// Succeeded, AllFailed = every child Failed (and at least one). The group
// itself is Failed when any item failed.
TEST(ArgoSemantics, DependsAnySucceededAndAllFailedOnFanOut) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    dag:
      failFast: false
      tasks:
      - name: L
        template: exiter
        arguments: {parameters: [{name: c, value: "{{item}}"}]}
        withItems: ["0", "1"]
      - {name: any, depends: L.AnySucceeded, template: pass}
      - {name: all, depends: L.AllFailed, template: pass}
      - name: F
        template: exiter
        arguments: {parameters: [{name: c, value: "{{item}}"}]}
        withItems: ["1", "1"]
      - {name: allf, depends: F.AllFailed, template: pass}
  - name: exiter
    inputs: {parameters: [{name: c}]}
    container: {image: alpine, command: [sh, -c, "exit {{inputs.parameters.c}}"]}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.One("L").phase, NodePhase::kFailed);
  EXPECT_EQ(h.One("any").phase, NodePhase::kSucceeded);
  EXPECT_EQ(h.One("all").phase, NodePhase::kOmitted);
  EXPECT_EQ(h.One("allf").phase, NodePhase::kSucceeded);
  // `all` is an omitted target below a Failed branch: the DAG fails
  // (assessDAGPhase lets omitted targets inherit the branch phase).
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
}

// docs/conditionals (govaluate `when`): numeric and string comparisons and
// boolean operators on substituted values.
TEST(ArgoSemantics, WhenUsesGovaluate) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  arguments: {parameters: [{name: num, value: "7"}, {name: s, value: heads}]}
  templates:
  - name: main
    steps:
    - - {name: big, template: pass, when: "{{workflow.parameters.num}} > 5"}
      - {name: small, template: pass, when: "{{workflow.parameters.num}} < 5"}
      - {name: both, template: pass, when: "{{workflow.parameters.num}} >= 7 && {{workflow.parameters.s}} == heads"}
      - {name: either, template: pass, when: "{{workflow.parameters.s}} == tails || {{workflow.parameters.num}} != 7"}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded) << h.Dump();
  EXPECT_EQ(h.One("big").phase, NodePhase::kSucceeded);
  EXPECT_EQ(h.One("small").phase, NodePhase::kSkipped);
  EXPECT_EQ(h.One("both").phase, NodePhase::kSucceeded);
  EXPECT_EQ(h.One("either").phase, NodePhase::kSkipped);
}

// dag.go (v3.x+): a looped task whose withParam list is empty becomes a Skipped
// node: initializeNode(..., NodeTypeSkipped, ..., NodeSkipped, "Skipped, empty params").
TEST(ArgoSemantics, EmptyWithParamInDagIsSkipped) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: L
        template: echo
        arguments: {parameters: [{name: m, value: "{{item}}"}]}
        withParam: "[]"
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  const Node& l = h.One("L");
  EXPECT_EQ(l.type, NodeType::kSkipped);
  EXPECT_EQ(l.phase, NodePhase::kSkipped);
  EXPECT_EQ(l.message, "Skipped, empty params");
}

// steps.go expandStepGroup: a looped step whose list is empty becomes a Skipped
// node "<group>.<step>", message "Skipped, empty params"; the next group hangs
// off it (getOutboundNodes of a Skipped node is itself).
TEST(ArgoSemantics, EmptyLoopInStepsIsSkipped) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: L
        template: echo
        arguments: {parameters: [{name: m, value: "{{item}}"}]}
        withParam: "[]"
    - - {name: after, template: pass}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  const Node& l = h.One("L");
  EXPECT_EQ(l.name, "wf[0].L");
  EXPECT_EQ(l.type, NodeType::kSkipped);
  EXPECT_EQ(l.phase, NodePhase::kSkipped);
  EXPECT_EQ(l.message, "Skipped, empty params");
  EXPECT_EQ(h.ChildNames(l), std::vector<std::string>{"[1]"});
}

// steps.go executeStepGroup: a `when` that cannot be evaluated makes the step a
// Skipped node in Error and marks the step group itself Error
// (markNodeError(sgNodeName, err)); executeSteps then fails the steps node.
TEST(ArgoSemantics, InvalidWhenErrorsTheStepGroup) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: w, template: pass, when: "1 == == 2"}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.One("w").type, NodeType::kSkipped);
  EXPECT_EQ(h.One("w").phase, NodePhase::kError);
  EXPECT_EQ(h.One("[0]").phase, NodePhase::kError);
  EXPECT_EQ(h.ById("wf").phase, NodePhase::kFailed);
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
}

// ---------------------------------------------------------------------------
// retryStrategy.

// operator.go processNodeRetries: "No more retries left" once len(children) >
// limit, i.e. limit + 1 attempts; the Retry node takes the last attempt's phase.
TEST(ArgoSemantics, RetryLimitMeansLimitPlusOneAttempts) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    retryStrategy: {limit: 2}
    container: {image: alpine, command: [sh, -c, "exit 1"]}
)yaml"));
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  EXPECT_EQ(h.CountType(NodeType::kPod), 3);
  EXPECT_EQ(h.ById("wf").message, "No more retries left");
  EXPECT_EQ(h.status().message, "No more retries left");
}

// docs/retries.md: retryPolicy OnFailure (the default) retries Failed steps
// only; an Error ends the retry with the attempt's phase and message.
TEST(ArgoSemantics, RetryPolicyOnFailureDoesNotRetryErrors) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    retryStrategy: {limit: 3}
    container: {image: alpine, command: [sh, -c, "true"]}
    outputs: {parameters: [{name: p, valueFrom: {path: /tmp/p}}]}
)yaml"));
  h.Run();
  EXPECT_EQ(h.CountType(NodeType::kPod), 1);
  EXPECT_EQ(h.ById("wf").phase, NodePhase::kError);
  EXPECT_EQ(h.ById("wf").message, h.One("wf(0)").message);
  EXPECT_EQ(h.status().phase, WorkflowPhase::kError);
}

TEST(ArgoSemantics, RetryPolicyOnErrorDoesNotRetryFailures) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    retryStrategy: {limit: 3, retryPolicy: OnError}
    container: {image: alpine, command: [sh, -c, "exit 1"]}
)yaml"));
  h.Run();
  EXPECT_EQ(h.CountType(NodeType::kPod), 1);
  EXPECT_EQ(h.ById("wf").message, "Error (exit code 1)");
}

TEST(ArgoSemantics, RetryPolicyAlwaysRetriesErrors) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    retryStrategy: {limit: 2, retryPolicy: Always}
    container: {image: alpine, command: [sh, -c, "true"]}
    outputs: {parameters: [{name: p, valueFrom: {path: /tmp/p}}]}
)yaml"));
  h.Run();
  EXPECT_EQ(h.CountType(NodeType::kPod), 3);
  EXPECT_EQ(h.ById("wf").phase, NodePhase::kError);
}

// operator.go processNodeRetries: timeToWait = duration * factor^(attempts-1),
// capped by backoff.cap, counted from the last attempt's finish.
TEST(ArgoSemantics, BackoffDurationFactorAndCap) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    retryStrategy:
      limit: 3
      backoff: {duration: "10s", factor: 2, cap: "25s"}
    container: {image: alpine, command: [sh, -c, "exit 1"]}
)yaml"));
  h.Run();
  EXPECT_EQ(h.CountType(NodeType::kPod), 4);
  // Each attempt runs 1s: 0 -> fails at 1, waits 10; 11 -> 12, waits 20;
  // 32 -> 33, waits min(40, 25).
  EXPECT_EQ(h.StartedAfter("wf(0)"), 0);
  EXPECT_EQ(h.StartedAfter("wf(1)"), 11);
  EXPECT_EQ(h.StartedAfter("wf(2)"), 32);
  EXPECT_EQ(h.StartedAfter("wf(3)"), 58);
}

// operator.go: maxDurationDeadline = first attempt's start + maxDuration; when
// the next wait would end after it: "Max duration limit exceeded", with the
// last attempt's phase.
TEST(ArgoSemantics, BackoffMaxDurationStopsRetrying) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    retryStrategy:
      limit: 10
      backoff: {duration: "10s", factor: 2, maxDuration: "15s"}
    container: {image: alpine, command: [sh, -c, "exit 1"]}
)yaml"));
  h.Run();
  EXPECT_EQ(h.CountType(NodeType::kPod), 2);
  EXPECT_EQ(h.ById("wf").phase, NodePhase::kFailed);
  EXPECT_EQ(h.ById("wf").message, "Max duration limit exceeded");
}

// docs/retries.md (conditional retries): retryStrategy.expression sees
// lastRetry.exitCode/status; a false expression stops retrying
// (examples/retry-conditional.yaml: retries only while exit code is 2).
TEST(ArgoSemantics, RetryExpressionOnLastExitCode) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    retryStrategy:
      limit: 10
      expression: asInt(lastRetry.exitCode) == 2 && lastRetry.status == "Failed"
    container: {image: alpine, command: [sh, -c, "run {{retries}}"]}
)yaml"));
  h.behave = [](const StepRequest& r, StepResult& result) {
    result.exit_code = r.command.back() == "run 2" ? 1 : 2;
  };
  h.Run();
  EXPECT_EQ(h.CountType(NodeType::kPod), 3);
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  EXPECT_EQ(h.One("wf(2)").outputs.exit_code, "1");
}

// docs/variables.md: `retries` is the attempt number inside a retried template.
TEST(ArgoSemantics, RetriesVariableCountsAttempts) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    retryStrategy: {limit: 2}
    container: {image: alpine, command: [sh, -c, "exit 1", "n={{retries}}"]}
)yaml"));
  h.Run();
  EXPECT_EQ(h.LastArgOf("wf(0)"), "n=0");
  EXPECT_EQ(h.LastArgOf("wf(1)"), "n=1");
  EXPECT_EQ(h.LastArgOf("wf(2)"), "n=2");
}

// ---------------------------------------------------------------------------
// Parameters and outputs.

// docs: an input parameter's `default` applies when no argument is passed;
// an argument wins over it.
TEST(ArgoSemantics, InputDefaultsAndArguments) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: d, template: greet}
      - {name: g, template: greet, arguments: {parameters: [{name: who, value: bob}]}}
  - name: greet
    inputs: {parameters: [{name: who, default: world}]}
    container: {image: alpine, command: [echo, "hi {{inputs.parameters.who}}"]}
)yaml"));
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.LastArgOf("wf[0].d"), "hi world");
  EXPECT_EQ(h.LastArgOf("wf[0].g"), "hi bob");
}

// docs/fields.md ValueFrom.default: "Default specifies a value to be used if
// retrieving the value from the specified source fails" - a missing file is
// not an error when there is a default.
TEST(ArgoSemantics, OutputDefaultWhenFileMissing) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    container: {image: alpine, command: [sh, -c, "true"]}
    outputs: {parameters: [{name: p, valueFrom: {path: /tmp/none, default: fallback}}]}
)yaml"));
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  ASSERT_EQ(h.ById("wf").outputs.parameters.size(), 1u);
  EXPECT_EQ(h.ById("wf").outputs.parameters[0].value, "fallback");
}

// examples/global-outputs.yaml: globalName publishes to
// workflow.outputs.parameters.<name>, usable by later steps and listed in
// status.outputs.
TEST(ArgoSemantics, GlobalNameOutputsAreVisibleToLaterSteps) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: make, template: make}
    - - name: use
        template: echo
        arguments: {parameters: [{name: m, value: "{{workflow.outputs.parameters.g}}"}]}
  - name: make
    container: {image: alpine, command: [sh, -c, "echo x > /tmp/p"]}
    outputs: {parameters: [{name: p, globalName: g, valueFrom: {path: /tmp/p}}]}
)yaml") + kLeaves);
  h.outputs["/tmp/p"] = "shared";
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.LastArgOf("wf[1].use"), "shared");
  ASSERT_EQ(h.status().output_parameters.size(), 1u);
  EXPECT_EQ(h.status().output_parameters[0].name, "g");
  EXPECT_EQ(h.status().output_parameters[0].value, "shared");
}

// docs/fields.md ValueFrom: a steps/dag template's outputs come from
// valueFrom.parameter (a template string) or valueFrom.expression (expr).
TEST(ArgoSemantics, DagTemplateOutputsFromParameterAndExpression) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: A
        template: echo
        arguments: {parameters: [{name: m, value: "5"}]}
    outputs:
      parameters:
      - name: copy
        valueFrom: {parameter: "{{tasks.A.outputs.result}}"}
      - name: computed
        valueFrom: {expression: "asInt(tasks.A.outputs.result) * 2"}
)yaml") + kLeaves);
  h.Run();
  ASSERT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  const auto& out = h.ById("wf").outputs.parameters;
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].value, "5");
  EXPECT_EQ(out[1].value, "10");
}

// operator.go processAggregateNodeOutputs: `<task>.outputs.parameters` is a JSON
// list of {name: value} maps (Go's json.Marshal: compact, keys sorted), and
// `<task>.outputs.parameters.<name>` comes from aggregatedJSONValueList, whose
// unit test (operator_aggregation_test.go) pins {"1","2"} -> `["1","2"]`:
// values stay strings unless every one is a JSON list or object.
TEST(ArgoSemantics, AggregatedLoopOutputParametersStayStrings) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: L
        template: make
        arguments: {parameters: [{name: v, value: "{{item}}"}]}
        withItems: ["1", "2"]
      - name: all
        depends: L
        template: echo
        arguments: {parameters: [{name: m, value: "{{tasks.L.outputs.parameters}}"}]}
      - name: one
        depends: L
        template: echo
        arguments: {parameters: [{name: m, value: "{{tasks.L.outputs.parameters.p}}"}]}
  - name: make
    inputs: {parameters: [{name: v}]}
    container: {image: alpine, command: [sh, -c, "write {{inputs.parameters.v}}"]}
    outputs: {parameters: [{name: p, valueFrom: {path: "/tmp/{{inputs.parameters.v}}"}}]}
)yaml") + kLeaves);
  h.outputs["/tmp/1"] = "1";
  h.outputs["/tmp/2"] = "2";
  h.Run();
  ASSERT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.LastArgOf("wf.all"), R"([{"p":"1"},{"p":"2"}])");
  EXPECT_EQ(h.LastArgOf("wf.one"), R"(["1","2"])");
}

// executor.go saveParameters: an output parameter read from a file loses one
// trailing newline, no more (examples/expression-tag-template-workflow.yaml
// writes "hello ...\n\n" and gets "hello ...\n").
TEST(ArgoSemantics, OutputParameterFromFileLosesOneTrailingNewline) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    container: {image: alpine, command: [sh, -c, "write"]}
    outputs: {parameters: [{name: p, valueFrom: {path: /tmp/p}}]}
)yaml"));
  h.outputs["/tmp/p"] = "two\n\n";
  h.Run();
  ASSERT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  const Node& root = h.ById("wf");
  ASSERT_EQ(root.outputs.parameters.size(), 1u);
  EXPECT_EQ(root.outputs.parameters[0].value, "two\n");
}

// A looped step whose items each write output parameter p from /tmp/<item>;
// step `one` receives the aggregated steps.L.outputs.parameters.p.
const char kAggregatedStepsLoop[] = R"yaml(
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: L
        template: make
        arguments: {parameters: [{name: v, value: "{{item}}"}]}
        withItems: ["1", "2"]
    - - name: one
        template: echo
        arguments: {parameters: [{name: m, value: "{{steps.L.outputs.parameters.p}}"}]}
  - name: make
    inputs: {parameters: [{name: v}]}
    container: {image: alpine, command: [sh, -c, "write {{inputs.parameters.v}}"]}
    outputs: {parameters: [{name: p, valueFrom: {path: "/tmp/{{inputs.parameters.v}}"}}]}
)yaml";

// aggregatedJSONValueList: when every value is a JSON list or object they are
// embedded as JSON (`[["1"],["2"]]`).
TEST(ArgoSemantics, AggregatedLoopOutputParametersEmbedJsonLists) {
  Harness h(Workflow(kAggregatedStepsLoop) + kLeaves);
  h.outputs["/tmp/1"] = R"(["1"])";
  h.outputs["/tmp/2"] = R"( ["2"] )";
  h.Run();
  ASSERT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.LastArgOf("wf[1].one"), R"([["1"],["2"]])");
}

// aggregatedJSONValueList's unit test: {`["1"]`, "2"} -> `["[\"1\"]","2"]`; one
// value that is not a JSON list or object turns every value into a string.
TEST(ArgoSemantics, AggregatedLoopOutputParametersMixedStayStrings) {
  Harness h(Workflow(kAggregatedStepsLoop) + kLeaves);
  h.outputs["/tmp/1"] = R"(["1"])";
  h.outputs["/tmp/2"] = "2";
  h.Run();
  ASSERT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.LastArgOf("wf[1].one"), R"(["[\"1\"]","2"])");
}

// processAggregateNodeOutputs: `.outputs.result` of a loop is a JSON list of
// the items' results in loop-index order, strings quoted.
TEST(ArgoSemantics, AggregatedLoopResultIsAJsonList) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: L
        template: echo
        arguments: {parameters: [{name: m, value: "{{item}}"}]}
        withItems: [b, a, c]
    - - name: sum
        template: echo
        arguments: {parameters: [{name: m, value: "{{steps.L.outputs.result}}"}]}
)yaml") + kLeaves);
  h.Run();
  ASSERT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.LastArgOf("wf[1].sum"), R"(["b","a","c"])");
}

// examples/exit-code-output-variable.yaml: a failed step's exitCode is
// available to later steps (continueOn), and so is its result.
TEST(ArgoSemantics, FailedStepExposesExitCodeAndResult) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: f, template: f, continueOn: {failed: true}}
    - - name: show
        template: echo
        arguments: {parameters: [{name: m, value: "{{steps.f.exitCode}}/{{steps.f.outputs.result}}"}]}
  - name: f
    container: {image: alpine, command: [sh, -c, "exit 123", "said"]}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.LastArgOf("wf[1].show"), "123/said");
}

// ---------------------------------------------------------------------------
// Exit handlers: workflow.status and workflow.failures.

// operator.go operate(): workflow.status is the entrypoint node's phase mapped
// to a workflow phase; workflow.failures lists EVERY node in Failed or Error
// (no filter on node type) as json.Marshal of failedNodeStatus, whose fields
// come in struct order: displayName, message, templateName, phase, podName,
// finishedAt.
TEST(ArgoSemantics, WorkflowFailuresListsEveryFailedNode) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  onExit: report
  templates:
  - name: main
    steps:
    - - {name: bad, template: fail}
  - name: report
    container: {image: alpine, command: [echo, "{{workflow.status}}", "{{workflow.failures}}"]}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  const StepRequest& report = h.started.back();
  ASSERT_EQ(report.name, "wf.onExit");
  ASSERT_GE(report.command.size(), 3u);
  EXPECT_EQ(report.command[1], "Failed");
  const std::string& text = report.command.back();
  Json failures = Json::parse(text, nullptr, false);
  ASSERT_TRUE(failures.is_array()) << text;
  std::vector<std::string> names;
  for (const Json& f : failures) names.push_back(f.value("displayName", ""));
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"[0]", "bad", "wf"}));
  size_t display = text.find("\"displayName\""), message = text.find("\"message\"");
  size_t tmpl = text.find("\"templateName\""), phase = text.find("\"phase\"");
  size_t pod = text.find("\"podName\""), finished = text.find("\"finishedAt\"");
  EXPECT_TRUE(display < message && message < tmpl && tmpl < phase && phase < pod && pod < finished)
      << text;
}

// operator.go operate(): a workflow whose entrypoint succeeded but whose exit
// handler failed is Failed, with the exit node's message.
TEST(ArgoSemantics, FailingExitHandlerFailsASucceededWorkflow) {
  Harness h(Workflow(R"yaml(
  entrypoint: pass
  onExit: fail
  templates:
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.ById("wf").phase, NodePhase::kSucceeded);
  EXPECT_EQ(h.One("wf.onExit").phase, NodePhase::kFailed);
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  EXPECT_EQ(h.status().message, h.One("wf.onExit").message);
}

// docs/variables.md: in an exit handler `workflow.status` is Succeeded when the
// entrypoint succeeded.
TEST(ArgoSemantics, WorkflowStatusInExitHandlerOnSuccess) {
  Harness h(Workflow(R"yaml(
  entrypoint: pass
  onExit: report
  templates:
  - name: report
    container: {image: alpine, command: [echo, "{{workflow.status}}"]}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.LastArgOf("wf.onExit"), "Succeeded");
}

// ---------------------------------------------------------------------------
// Parallelism.

// docs/parallelism: spec.parallelism limits the Pods running at once in the
// whole workflow.
TEST(ArgoSemantics, WorkflowParallelismLimitsRunningPods) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  parallelism: 2
  templates:
  - name: main
    steps:
    - - name: s
        template: pass
        withSequence: {count: "6"}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.CountType(NodeType::kPod), 6);
  EXPECT_EQ(h.max_running, 2u);
}

// examples/parallelism-nested.yaml: a steps/dag template's parallelism limits
// its children running at once.
TEST(ArgoSemantics, TemplateParallelismLimitsChildren) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    parallelism: 1
    dag:
      tasks:
      - {name: A, template: pass}
      - {name: B, template: pass}
      - {name: C, template: pass}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.max_running, 1u);
  EXPECT_EQ(h.StartedAfter("wf.C"), 2);
}

// ---------------------------------------------------------------------------
// Stop, terminate, deadlines, suspend, recursion.

// operator.go operate(): when shut down, a failed workflow's message is
// "Stopped with strategy '<Strategy>'"; Terminate skips exit handlers.
TEST(ArgoSemantics, TerminateMessageAndNoExitHandler) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  onExit: pass
  templates:
  - name: main
    steps:
    - - {name: h, template: hang}
)yaml") + kLeaves);
  h.engine().Start();
  h.TakeCommands();
  h.engine().Terminate();
  h.TakeCommands();
  EXPECT_TRUE(h.engine().Done());
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  EXPECT_EQ(h.status().message, "Stopped with strategy 'Terminate'");
  EXPECT_TRUE(h.Named("wf.onExit").empty());
  EXPECT_EQ(h.killed.size(), 1u);
}

// spec.activeDeadlineSeconds: once the workflow's deadline passes, running
// Pods are killed and the workflow fails; nothing new starts.
TEST(ArgoSemantics, ActiveDeadlineSecondsKillsTheWorkflow) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  activeDeadlineSeconds: 30
  templates:
  - name: main
    steps:
    - - {name: h, template: hang}
    - - {name: never, template: pass}
)yaml") + kLeaves);
  h.Run();
  EXPECT_TRUE(h.engine().Done());
  EXPECT_EQ(h.status().phase, WorkflowPhase::kFailed);
  ASSERT_EQ(h.killed.size(), 1u);
  EXPECT_TRUE(h.Named("never").empty());
  ASSERT_TRUE(h.status().finished_at);
  EXPECT_EQ(*h.status().finished_at - h.now(), seconds(0));
  EXPECT_EQ(h.now() - std::chrono::system_clock::from_time_t(1700000000), seconds(30));
}

// docs/fields.md Template.timeout: "Timeout allows to set the total node
// execution timeout duration counting from the node's start time"; it bounds
// the Pod (the executor enforces the deadline the engine hands it).
TEST(ArgoSemantics, TemplateTimeoutBecomesTheStepDeadline) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    timeout: 10s
    container: {image: alpine, command: [sh, -c, "true"]}
)yaml"));
  h.engine().Start();
  auto commands = h.engine().TakeCommands();
  ASSERT_EQ(commands.size(), 1u);
  ASSERT_TRUE(commands[0].request.deadline);
  EXPECT_EQ(*commands[0].request.deadline - h.now(), seconds(10));
}

// docs/fields.md SuspendTemplate.duration: the node resumes by itself after the
// duration; it is a Suspend node that then Succeeds.
TEST(ArgoSemantics, SuspendWithDurationResumesByItself) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: wait, template: wait}
    - - {name: after, template: pass}
  - name: wait
    suspend: {duration: "20s"}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.One("wait").type, NodeType::kSuspend);
  EXPECT_EQ(h.One("wait").phase, NodePhase::kSucceeded);
  EXPECT_EQ(h.StartedAfter("wf[1].after"), 20);
}

// operator.go: ErrMaxDepthExceeded "Maximum recursion depth exceeded. See
// https://argoproj.github.io/argo-workflows/scaling/#maximum-recursion-depth";
// unbounded recursion ends the workflow instead of running forever.
TEST(ArgoSemantics, RecursionIsCapped) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: again, template: main}
)yaml"));
  h.Run();
  EXPECT_TRUE(h.engine().Done());
  EXPECT_NE(h.status().phase, WorkflowPhase::kSucceeded);
  bool found = false;
  for (const auto& [id, n] : h.status().nodes) {
    found = found || n.message.find("Maximum recursion depth exceeded") != std::string::npos;
  }
  EXPECT_TRUE(found);
}

// Node ids are Argo's 32-bit FNV hashes of node names, and those collide in
// workflows of 100,000 nodes (a withSequence of 100,000 has three pairs). The
// two task names below hash alike in a workflow named "wf": both must run,
// each with a node of its own.
TEST(ArgoSemantics, NodesWhoseIdsCollideBothRun) {
  Harness h(Workflow(R"yaml(
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: t24254-24254, template: pass}
      - {name: t57895-57895, template: pass}
)yaml") + kLeaves);
  h.Run();
  EXPECT_EQ(h.status().phase, WorkflowPhase::kSucceeded);
  EXPECT_EQ(h.status().nodes.size(), 3u);
  EXPECT_EQ(h.One("t24254-24254").phase, NodePhase::kSucceeded);
  EXPECT_EQ(h.One("t57895-57895").phase, NodePhase::kSucceeded);
  EXPECT_NE(h.One("t24254-24254").id, h.One("t57895-57895").id);
}

}  // namespace
}  // namespace loom::engine
