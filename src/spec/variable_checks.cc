// `{{...}}` references, checked the way Argo's resolveAllVariables does: each
// simple tag under item, steps., tasks., inputs., outputs., pod. or workflow.
// must name something in scope where it is written. Other tags (retries,
// lastRetry.*, node.name, ...) are left to run time, as Argo leaves them.
// Expression tags ({{=...}}) get a syntax check.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "expr/depends.h"
#include "expr/expr_lang.h"
#include "spec/suggest.h"
#include "spec/validation_context.h"

namespace loom::spec {
namespace {

bool StartsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// The names a template's tags may use. A scope extends its parent without
// copying it: a DAG of 10,000 tasks gives each task a scope of its own
// ancestors' outputs over one shared scope.
struct Scope {
  const Scope* parent = nullptr;
  std::set<std::string> names;
  std::set<std::string> open_prefixes;  // "steps.X." whose template cannot be looked up
  bool any_item = false;

  bool Knows(const std::string& tag) const {
    for (const Scope* s = this; s != nullptr; s = s->parent) {
      if (s->names.count(tag)) return true;
      for (const std::string& prefix : s->open_prefixes) {
        if (StartsWith(tag, prefix)) return true;
      }
    }
    return false;
  }
  bool AnyItem() const {
    for (const Scope* s = this; s != nullptr; s = s->parent) {
      if (s->any_item) return true;
    }
    return false;
  }
};

// Names of the steps/tasks of the template being checked, for messages.
struct Siblings {
  const char* kind = nullptr;  // "step" or "task"
  std::vector<std::string> all;
};

class VariableChecker {
 public:
  VariableChecker(const ValidationContext& ctx, const Template& tmpl) : ctx_(ctx), tmpl_(tmpl) {}

  void Run();

 private:
  Scope BaseScope() const;
  void AddOutputs(Scope& scope, const std::string& prefix, const Invocation& inv, bool aggregate,
                  bool ancestor) const;
  void AddItems(Scope& scope, const Invocation& inv) const {
    if (inv.with_items || inv.with_param || inv.with_sequence) scope.any_item = true;
  }
  void Check(const Scope& scope, const std::string& text, SourcePos pos) const;
  void CheckTag(const Scope& scope, const std::string& tag, SourcePos pos) const;
  void CheckInvocation(const Scope& scope, const Invocation& inv) const;
  void CheckArguments(const Scope& scope, const Arguments& args) const;
  void CheckHooks(const Scope& scope, const std::string& prefix, const Invocation& inv) const;
  void CheckLeaf(const Scope& scope) const;
  void CheckOutputs(const Scope& scope) const;
  void RunSteps(Scope scope);
  void RunDag(Scope scope);

  const ValidationContext& ctx_;
  const Template& tmpl_;
  Siblings siblings_;
};

Scope VariableChecker::BaseScope() const {
  Scope scope;
  for (const char* name : {"name", "namespace", "uid", "serviceAccountName", "mainEntrypoint",
                           "priority", "duration", "status", "failures", "scheduledTime",
                           "parameters", "annotations", "labels", "creationTimestamp"}) {
    scope.names.insert(fmt::format("workflow.{}", name));
  }
  for (const char* prefix : {"workflow.annotations.", "workflow.labels.",
                             "workflow.creationTimestamp", "outputs.", "pod."}) {
    scope.open_prefixes.insert(prefix);
  }
  const Workflow& wf = ctx_.workflow;
  // A WorkflowTemplate's parameters may come from the workflow that uses it.
  if (wf.kind == Kind::kWorkflowTemplate || wf.kind == Kind::kClusterWorkflowTemplate) {
    scope.open_prefixes.insert("workflow.parameters.");
  }
  for (const Parameter& p : wf.spec.arguments.parameters)
    scope.names.insert("workflow.parameters." + p.name);
  for (const auto& [name, value] : ctx_.options.parameters)
    scope.names.insert("workflow.parameters." + name);
  for (const Template& t : wf.spec.templates) {
    for (const Parameter& p : t.outputs.parameters) {
      if (HasTag(p.global_name)) scope.open_prefixes.insert("workflow.outputs.parameters.");
      if (!p.global_name.empty())
        scope.names.insert("workflow.outputs.parameters." + p.global_name);
    }
    for (const Artifact& a : t.outputs.artifacts) {
      if (HasTag(a.global_name)) scope.open_prefixes.insert("workflow.outputs.artifacts.");
      if (!a.global_name.empty()) scope.names.insert("workflow.outputs.artifacts." + a.global_name);
    }
  }
  for (const Parameter& p : tmpl_.inputs.parameters)
    scope.names.insert("inputs.parameters." + p.name);
  if (!tmpl_.inputs.parameters.empty()) scope.names.insert("inputs.parameters");
  for (const Artifact& a : tmpl_.inputs.artifacts) {
    scope.names.insert("inputs.artifacts." + a.name);
    scope.names.insert("inputs.artifacts." + a.name + ".path");
  }
  return scope;
}

void VariableChecker::AddOutputs(Scope& scope, const std::string& prefix, const Invocation& inv,
                                 bool aggregate, bool ancestor) const {
  for (const char* always : {"id", "startedAt", "finishedAt", "ip", "hostNodeName"}) {
    scope.names.insert(fmt::format("{}.{}", prefix, always));
  }
  if (ancestor) scope.names.insert(prefix + ".status");
  if (!ctx_.CanResolve(inv) || (inv.template_ref_name && ctx_.Resolve(inv) == nullptr)) {
    scope.open_prefixes.insert(prefix + ".");
    return;
  }
  const Template* callee = ctx_.Resolve(inv);
  if (callee == nullptr) return;  // reported as an unknown template
  if (callee->kind == TemplateKind::kContainer || callee->kind == TemplateKind::kScript) {
    scope.names.insert(prefix + ".outputs.result");
    scope.names.insert(prefix + ".exitCode");
  }
  for (const Parameter& p : callee->outputs.parameters)
    scope.names.insert(prefix + ".outputs.parameters." + p.name);
  for (const Artifact& a : callee->outputs.artifacts)
    scope.names.insert(prefix + ".outputs.artifacts." + a.name);
  if (aggregate) scope.names.insert(prefix + ".outputs.parameters");
}

void VariableChecker::CheckTag(const Scope& scope, const std::string& tag, SourcePos pos) const {
  static constexpr std::string_view kChecked[] = {"item", "steps.",    "inputs.", "outputs.",
                                                  "pod.", "workflow.", "tasks."};
  if (std::none_of(std::begin(kChecked), std::end(kChecked),
                   [&](std::string_view p) { return StartsWith(tag, p); })) {
    return;
  }
  if (scope.Knows(tag)) return;
  std::string where = fmt::format("template '{}'", tmpl_.name);
  if (tag == "item" || StartsWith(tag, "item.") || StartsWith(tag, "item[")) {
    if (!scope.AnyItem()) {
      ctx_.Error(
          pos,
          fmt::format("{}: '{{{{{}}}}}' is used outside a withItems/withParam/withSequence loop",
                      where, tag));
    }
    return;
  }
  if (StartsWith(tag, "item"))
    return;  // Argo's prefix check skips other names starting with "item"
  if (StartsWith(tag, "inputs.parameters.")) {
    std::string name = tag.substr(18);
    std::vector<std::string> known;
    for (const Parameter& p : tmpl_.inputs.parameters) known.push_back(p.name);
    ctx_.Error(
        pos, fmt::format("{} has no input parameter '{}'{}", where, name, DidYouMean(name, known)));
    return;
  }
  if (StartsWith(tag, "workflow.parameters.")) {
    ctx_.Error(pos, fmt::format("{}: workflow parameter '{}' is not defined in spec.arguments",
                                where, tag.substr(20)));
    return;
  }
  bool steps = StartsWith(tag, "steps.");
  if (steps || StartsWith(tag, "tasks.")) {
    const char* kind = steps ? "step" : "task";
    std::string rest = tag.substr(6);
    std::string name = rest.substr(0, rest.find('.'));
    std::string scope_kind = siblings_.kind ? siblings_.kind : "";
    if (scope_kind != kind ||
        std::find(siblings_.all.begin(), siblings_.all.end(), name) == siblings_.all.end()) {
      ctx_.Error(pos, fmt::format("{}: '{{{{{}}}}}' refers to unknown {} '{}'{}", where, tag, kind,
                                  name, scope_kind == kind ? DidYouMean(name, siblings_.all) : ""));
    } else if (!scope.Knows(fmt::format("{}s.{}.id", kind, name))) {
      ctx_.Error(
          pos,
          fmt::format("{}: '{{{{{}}}}}' refers to step '{}', which does not run before this step",
                      where, tag, name));
    } else if (tag.size() > 7 && tag.substr(tag.size() - 7) == ".status") {
      ctx_.Error(pos, fmt::format("{}: '{{{{{}}}}}' needs task '{}' to be a dependency", where, tag,
                                  name));
    } else {
      ctx_.Error(pos, fmt::format("{}: '{{{{{}}}}}' cannot resolve: {} '{}' has no such output",
                                  where, tag, kind, name));
    }
    return;
  }
  ctx_.Error(pos, fmt::format("{}: cannot resolve '{{{{{}}}}}'", where, tag));
}

void VariableChecker::Check(const Scope& scope, const std::string& text, SourcePos pos) const {
  size_t start = 0;
  while ((start = text.find("{{", start)) != std::string::npos) {
    size_t end = text.find("}}", start + 2);
    if (end == std::string::npos) return;
    std::string tag = text.substr(start + 2, end - start - 2);
    start = end + 2;
    size_t first = tag.find_first_not_of(" \t");
    size_t last = tag.find_last_not_of(" \t");
    if (first == std::string::npos) continue;
    tag = tag.substr(first, last - first + 1);
    if (tag[0] == '=') {
      Status syntax = expr::CheckSyntax(tag.substr(1));
      if (!syntax.ok())
        ctx_.Error(pos, fmt::format("template '{}': invalid expression '{}': {}", tmpl_.name,
                                    tag.substr(1), syntax.message()));
      continue;
    }
    CheckTag(scope, tag, pos);
  }
}

void VariableChecker::CheckInvocation(const Scope& scope, const Invocation& inv) const {
  auto check = [&](const std::optional<std::string>& text) {
    if (text) Check(scope, *text, inv.pos);
  };
  check(inv.when);
  check(inv.with_param);
  if (inv.with_sequence) {
    check(inv.with_sequence->count);
    check(inv.with_sequence->start);
    check(inv.with_sequence->end);
  }
  CheckArguments(scope, inv.arguments);
}

void VariableChecker::CheckArguments(const Scope& scope, const Arguments& args) const {
  for (const Parameter& p : args.parameters) {
    if (p.value) Check(scope, *p.value, p.pos);
  }
  for (const Artifact& a : args.artifacts) {
    Check(scope, a.from, a.pos);
    Check(scope, a.from_expression.empty() ? "" : "{{=" + a.from_expression + "}}", a.pos);
  }
}

void VariableChecker::CheckHooks(const Scope& scope, const std::string& prefix,
                                 const Invocation& inv) const {
  if (inv.hooks.empty()) return;
  // Hooks run after their step, so they may read its outputs.
  Scope hook_scope{&scope};
  AddOutputs(hook_scope, prefix, inv, inv.with_items || inv.with_param, true);
  for (const Hook& hook : inv.hooks) CheckArguments(hook_scope, hook.arguments);
}

void VariableChecker::CheckLeaf(const Scope& scope) const {
  const Container& c = tmpl_.container;
  for (const std::string* text : {&c.image, &c.working_dir}) Check(scope, *text, c.pos);
  for (const std::string& text : c.command) Check(scope, text, c.pos);
  for (const std::string& text : c.args) Check(scope, text, c.pos);
  for (const EnvVar& env : c.env) Check(scope, env.value, env.pos);
  if (c.source) Check(scope, *c.source, c.pos);
  for (const auto& [name, value] : c.resources.requests) Check(scope, value, c.resources.pos);
  for (const auto& [name, value] : c.resources.limits) Check(scope, value, c.resources.pos);
  for (const Artifact& a : tmpl_.outputs.artifacts) Check(scope, a.path, a.pos);
  if (tmpl_.timeout) Check(scope, *tmpl_.timeout, tmpl_.pos);
  if (tmpl_.suspend.duration) Check(scope, *tmpl_.suspend.duration, tmpl_.suspend.pos);
}

void VariableChecker::CheckOutputs(const Scope& scope) const {
  for (const Parameter& p : tmpl_.outputs.parameters) {
    if (p.value) Check(scope, *p.value, p.pos);
    if (p.value_from && p.value_from->parameter) Check(scope, *p.value_from->parameter, p.pos);
    if (p.value_from && p.value_from->path) Check(scope, *p.value_from->path, p.pos);
  }
  for (const Artifact& a : tmpl_.outputs.artifacts) Check(scope, a.from, a.pos);
}

void VariableChecker::RunSteps(Scope scope) {
  siblings_.kind = "step";
  for (const auto& group : tmpl_.steps) {
    for (const Invocation& step : group) siblings_.all.push_back(step.name);
  }
  for (const auto& group : tmpl_.steps) {
    // Argo puts a group's statuses and loop items in scope before checking it.
    for (const Invocation& step : group) {
      scope.names.insert("steps." + step.name + ".status");
      AddItems(scope, step);
    }
    for (const Invocation& step : group) {
      CheckInvocation(scope, step);
      CheckHooks(scope, "steps." + step.name, step);
    }
    for (const Invocation& step : group) {
      AddOutputs(scope, "steps." + step.name, step, step.with_items || step.with_param, false);
    }
  }
  CheckOutputs(scope);
}

void VariableChecker::RunDag(Scope scope) {
  siblings_.kind = "task";
  std::map<std::string, const Invocation*> tasks;
  for (const Invocation& task : tmpl_.dag.tasks) {
    siblings_.all.push_back(task.name);
    tasks[task.name] = &task;
  }
  for (const Invocation& task : tmpl_.dag.tasks)
    AddOutputs(scope, "tasks." + task.name, task, false, false);
  Scope everything = scope;
  for (const Invocation& task : tmpl_.dag.tasks) {
    Scope task_scope{&scope};
    std::set<std::string> ancestors;
    std::function<void(const std::string&)> collect = [&](const std::string& name) {
      auto it = tasks.find(name);
      if (it == tasks.end()) return;
      for (const std::string& dep : DependencyNames(*it->second)) {
        if (ancestors.insert(dep).second) collect(dep);
      }
    };
    collect(task.name);
    for (const std::string& name : ancestors) {
      auto it = tasks.find(name);
      if (it == tasks.end()) continue;
      const Invocation& ancestor = *it->second;
      AddOutputs(task_scope, "tasks." + name, ancestor, ancestor.with_items || ancestor.with_param,
                 true);
    }
    AddItems(task_scope, task);
    CheckInvocation(task_scope, task);
    CheckHooks(task_scope, "tasks." + task.name, task);
    AddOutputs(everything, "tasks." + task.name, task, task.with_items || task.with_param, true);
  }
  if (tmpl_.dag.target) Check(scope, *tmpl_.dag.target, tmpl_.dag.pos);
  CheckOutputs(everything);
}

void VariableChecker::Run() {
  Scope scope = BaseScope();
  switch (tmpl_.kind) {
    case TemplateKind::kSteps:
      RunSteps(scope);
      return;
    case TemplateKind::kDag:
      RunDag(scope);
      return;
    case TemplateKind::kUnknown:
      return;
    default:
      CheckLeaf(scope);
      CheckOutputs(scope);
  }
}

}  // namespace

void ValidateVariables(const ValidationContext& ctx, const Template& tmpl) {
  // Arguments of a workflow built on a WorkflowTemplate are not known here.
  if (ctx.workflow.spec.workflow_template_ref) return;
  VariableChecker(ctx, tmpl).Run();
}

}  // namespace loom::spec
