// Invoking a template: binding inputs, wrapping in a Retry node when the
// template has a retryStrategy, and starting the node of the template's kind.
#include <cmath>

#include "engine/bindings.h"
#include "engine/frames.h"
#include "engine/workflow_run.h"
#include "expr/expr_lang.h"
#include "expr/template.h"
#include "spec/duration.h"

namespace loom::engine {

namespace {

NodeType NodeTypeOf(const spec::Template& tmpl) {
  switch (tmpl.kind) {
    case spec::TemplateKind::kSteps:
      return NodeType::kSteps;
    case spec::TemplateKind::kDag:
      return NodeType::kDag;
    case spec::TemplateKind::kSuspend:
      return NodeType::kSuspend;
    default:
      return NodeType::kPod;
  }
}

// The display name a template's workflows.argoproj.io/display-name annotation gives.
std::string DisplayName(const spec::Template& tmpl, const expr::Scope& scope,
                        const std::string& fallback) {
  auto it = tmpl.metadata.annotations.find("workflows.argoproj.io/display-name");
  if (it == tmpl.metadata.annotations.end()) return fallback;
  auto text = expr::Substitute(it->second, scope, expr::Unresolved::kKeep);
  return text.ok() ? *text : fallback;
}

std::optional<double> Seconds(const std::optional<std::string>& text, const expr::Scope& scope) {
  if (!text) return std::nullopt;
  auto resolved = expr::Substitute(*text, scope);
  if (!resolved.ok()) return std::nullopt;
  auto seconds = spec::ParseDurationSeconds(*resolved);
  if (!seconds.ok()) return std::nullopt;
  return *seconds;
}

}  // namespace

std::string WorkflowRun::Invoke(Invocation invocation) {
  const spec::Template& tmpl = *invocation.tmpl;
  if (invocation.depth > options_.max_depth) {
    return CreateFinishedNode(
        invocation, NodeTypeOf(tmpl), NodePhase::kError,
        "Maximum recursion depth exceeded. See "
        "https://argoproj.github.io/argo-workflows/scaling/#maximum-recursion-depth");
  }
  if (!MayStart(invocation)) {
    return CreateFinishedNode(invocation, NodeTypeOf(tmpl), NodePhase::kFailed, ShutdownMessage());
  }
  auto inputs = BindInputs(tmpl, invocation.arguments, global_scope_);
  if (!inputs.ok()) {
    return CreateFinishedNode(invocation, NodeTypeOf(tmpl), NodePhase::kError, inputs.error());
  }
  auto scope = MakeTemplateScope(global_scope_, tmpl, *inputs, invocation.node_name, "");
  invocation.display_name = DisplayName(tmpl, *scope, invocation.display_name);

  if (!tmpl.retry_strategy) {
    Node& node = CreateNode(invocation.node_name, invocation.display_name, NodeTypeOf(tmpl),
                            tmpl.name, invocation.boundary_id);
    std::string id = node.id;
    scope->Set("pod.name", id);
    StartTemplate(*this, invocation, id, *inputs, std::move(scope));
    return id;
  }

  const spec::RetryStrategy& strategy = *tmpl.retry_strategy;
  Node& node = CreateNode(invocation.node_name, invocation.display_name, NodeType::kRetry,
                          tmpl.name, invocation.boundary_id);
  node.inputs = *inputs;
  LinkParent(node.id, invocation);
  auto frame = std::make_unique<RetryFrame>();
  frame->node_id = node.id;
  frame->invocation = invocation;
  frame->inputs = *inputs;
  frame->policy = strategy.retry_policy;
  frame->expression = strategy.expression;
  frame->first_started = Now();
  if (strategy.limit) {
    auto limit = expr::Substitute(*strategy.limit, *scope);
    try {
      if (limit.ok()) frame->limit = std::stoll(*limit);
    } catch (const std::exception&) {
    }
    if (!frame->limit) {
      std::string id = node.id;
      Complete(id, NodePhase::kError, "invalid retryStrategy.limit '" + *strategy.limit + "'");
      return id;
    }
  }
  if (strategy.backoff) {
    const spec::Backoff& backoff = *strategy.backoff;
    frame->backoff_seconds = Seconds(backoff.duration, *scope).value_or(0);
    if (backoff.factor) {
      auto factor = expr::Substitute(*backoff.factor, *scope);
      try {
        if (factor.ok()) frame->backoff_factor = std::stod(*factor);
      } catch (const std::exception&) {
      }
    }
    frame->backoff_cap = Seconds(backoff.cap, *scope);
    frame->max_duration = Seconds(backoff.max_duration, *scope);
  }
  RetryFrame* retry = frame.get();
  AddFrame(std::move(frame));
  retry->StartAttempt(*this);
  return retry->node_id;
}

void RetryFrame::OnShutdown(WorkflowRun& run) {
  if (backing_off_after.empty() || invocation.on_exit) return;
  run.Complete(node_id, run.node(backing_off_after).phase, run.ShutdownMessage());
}

void RetryFrame::StartAttempt(WorkflowRun& run) {
  backing_off_after.clear();
  Invocation attempt = invocation;
  attempt.node_name = invocation.node_name + "(" + std::to_string(attempts) + ")";
  attempt.display_name = run.node(node_id).display_name + "(" + std::to_string(attempts) + ")";
  attempt.parent_id = node_id;
  attempt.slot = attempts;
  attempt.retries = std::to_string(attempts);
  ++attempts;
  if (!run.MayStart(attempt)) {
    run.Complete(node_id, NodePhase::kFailed, run.ShutdownMessage());
    return;
  }
  const spec::Template& tmpl = *attempt.tmpl;
  Node& node = run.CreateNode(attempt.node_name, attempt.display_name, NodeTypeOf(tmpl), tmpl.name,
                              attempt.boundary_id);
  std::string id = node.id;
  run.AddChild(node_id, id);
  auto scope = MakeTemplateScope(run.global_scope(), tmpl, inputs, attempt.node_name, id);
  scope->Set("retries", attempt.retries);
  StartTemplate(run, attempt, id, inputs, std::move(scope));
}

void RetryFrame::OnChildDone(WorkflowRun& run, int, const std::string& child_id) {
  const Node& child = run.node(child_id);
  Node& self = run.node(node_id);
  if (child.phase == NodePhase::kSucceeded) {
    self.outputs = child.outputs;
    run.Complete(node_id, NodePhase::kSucceeded);
    return;
  }
  auto give_up = [&](const std::string& message) {
    self.outputs = child.outputs;
    run.Complete(node_id, child.phase, message);
  };
  if (run.shutdown() != Shutdown::kNone && !invocation.on_exit) {
    give_up(child.message);
    return;
  }
  bool policy_allows = false;
  if (policy.empty() || policy == "OnFailure") {
    policy_allows = child.phase == NodePhase::kFailed;
  } else if (policy == "OnError") {
    policy_allows = child.phase == NodePhase::kError;
  } else if (policy == "Always") {
    policy_allows = true;
  }
  if (!policy_allows) {
    give_up(child.message);
    return;
  }
  if (limit && attempts > *limit) {
    give_up("No more retries left");
    return;
  }
  if (expression) {
    expr::Scope scope(&run.global_scope());
    for (const ParameterValue& p : inputs.parameters) {
      scope.Set("inputs.parameters." + p.name, p.value.value_or(""));
    }
    scope.Set("lastRetry.exitCode", child.outputs.exit_code.value_or("-1"));
    scope.Set("lastRetry.status", NodePhaseName(child.phase));
    scope.Set("lastRetry.message", child.message);
    double duration = 0;
    if (child.started_at && child.finished_at) {
      duration = std::chrono::duration<double>(*child.finished_at - *child.started_at).count();
    }
    std::string duration_text = std::to_string(duration);
    while (duration_text.size() > 1 && duration_text.back() == '0') duration_text.pop_back();
    if (!duration_text.empty() && duration_text.back() == '.') duration_text.pop_back();
    scope.Set("lastRetry.duration", duration_text);
    auto text = expr::Substitute(*expression, scope);
    if (!text.ok()) {
      run.Complete(node_id, NodePhase::kError, text.error());
      return;
    }
    auto value = expr::Evaluate(*text, scope);
    if (!value.ok()) {
      run.Complete(node_id, NodePhase::kError, "retryStrategy.expression: " + value.error());
      return;
    }
    auto proceed = expr::AsBool(*value, *text);
    if (!proceed.ok()) {
      run.Complete(node_id, NodePhase::kError, proceed.error());
      return;
    }
    if (!*proceed) {
      give_up(child.message);
      return;
    }
  }
  double wait = backoff_seconds * std::pow(backoff_factor, attempts - 1);
  if (backoff_cap && wait > *backoff_cap) wait = *backoff_cap;
  auto wait_duration = std::chrono::milliseconds(static_cast<int64_t>(wait * 1000));
  if (max_duration && run.Now() + wait_duration - first_started >
                          std::chrono::milliseconds(static_cast<int64_t>(*max_duration * 1000))) {
    give_up("Max duration limit exceeded");
    return;
  }
  if (wait <= 0) {
    StartAttempt(run);
    return;
  }
  backing_off_after = child_id;
  std::string id = node_id;
  run.AddTimer(run.Now() + wait_duration, [&run, id] {
    if (auto* frame = dynamic_cast<RetryFrame*>(run.FindFrame(id))) frame->StartAttempt(run);
  });
}

}  // namespace loom::engine
