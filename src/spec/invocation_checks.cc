// Checks of steps and DAG tasks: names, the templates they run, the
// arguments they pass, loops, and (for DAGs) dependencies and cycles.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "expr/depends.h"
#include "spec/suggest.h"
#include "spec/validation_context.h"

namespace loom::spec {
namespace {

// What every step and task must satisfy; `kind` is "step" or "task".
void CheckInvocation(const ValidationContext& ctx, const Template& owner, const Invocation& inv,
                     const char* kind) {
  std::string who = fmt::format("{} '{}' of template '{}'", kind, inv.name, owner.name);
  if (inv.template_name.empty() && !inv.template_ref_name) {
    ctx.Error(inv.pos, fmt::format("{} needs template or templateRef", who));
  } else if (!inv.template_name.empty() && inv.template_ref_name) {
    ctx.Error(inv.pos, fmt::format("{} cannot have both template and templateRef", who));
  } else if (ctx.CanResolve(inv)) {
    const Template* callee = ctx.Resolve(inv);
    if (callee == nullptr && inv.template_ref_name) {
      ctx.Error(inv.template_pos,
                fmt::format("{} uses templateRef {}.{}, which was not found", who,
                            *inv.template_ref_name, inv.template_ref_template.value_or("")));
    } else if (callee == nullptr) {
      ctx.Error(inv.template_pos,
                fmt::format("{} uses unknown template '{}'{}", who, inv.template_name,
                            DidYouMean(inv.template_name, ctx.TemplateNames())));
    } else {
      ValidateCallArguments(ctx, *callee, inv.arguments, inv.pos, who);
    }
  }
  int loops = (inv.with_items ? 1 : 0) + (inv.with_param ? 1 : 0) + (inv.with_sequence ? 1 : 0);
  if (loops > 1)
    ctx.Error(
        inv.pos,
        fmt::format("{}: only one of withItems, withParam, withSequence can be specified", who));
  if (inv.with_sequence) {
    const Sequence& seq = *inv.with_sequence;
    if (seq.count && seq.end) {
      ctx.Error(seq.pos, fmt::format("{}: withSequence cannot have both count and end", who));
    } else if (!seq.count && !seq.end) {
      ctx.Error(seq.pos, fmt::format("{}: withSequence needs count or end", who));
    }
  }
  for (const Parameter& p : inv.arguments.parameters) {
    if (!p.value && !p.value_from)
      ctx.Error(p.pos, fmt::format("{}: argument '{}' needs a value", who, p.name));
  }
  for (const Artifact& a : inv.arguments.artifacts) {
    if (!a.from.empty() && !a.from_expression.empty()) {
      ctx.Error(a.pos,
                fmt::format("{}: artifact argument '{}' should have either from or fromExpression",
                            who, a.name));
    }
  }
  if (!inv.on_exit.empty() && ctx.workflow.FindTemplate(inv.on_exit) == nullptr) {
    ctx.Error(inv.pos, fmt::format("{}: onExit template '{}' not found{}", who, inv.on_exit,
                                   DidYouMean(inv.on_exit, ctx.TemplateNames())));
  }
  for (const Hook& hook : inv.hooks) {
    if (!hook.template_name.empty() && ctx.workflow.FindTemplate(hook.template_name) == nullptr) {
      ctx.Error(hook.pos, fmt::format("{}: hook '{}' uses unknown template '{}'{}", who, hook.name,
                                      hook.template_name,
                                      DidYouMean(hook.template_name, ctx.TemplateNames())));
    }
  }
}

void CheckName(const ValidationContext& ctx, const Template& owner, const Invocation& inv,
               const char* kind, std::map<std::string, const Invocation*>& seen) {
  if (inv.name.empty()) {
    ctx.Error(inv.pos, fmt::format("a {} of template '{}' has no name", kind, owner.name));
    return;
  }
  if (!IsValidFieldName(inv.name)) {
    ctx.Error(inv.pos,
              fmt::format(
                  "{} name '{}' is invalid: it must consist of alphanumeric characters or '-' and "
                  "start with an alphanumeric character",
                  kind, inv.name));
  }
  auto [it, inserted] = seen.emplace(inv.name, &inv);
  if (!inserted) {
    ctx.Error(inv.pos, fmt::format("duplicate {} name '{}' in template '{}' (first at line {})",
                                   kind, inv.name, owner.name, it->second->pos.line));
  }
}

void CheckCycles(const ValidationContext& ctx, const Template& t,
                 const std::map<std::string, const Invocation*>& tasks) {
  enum class Mark { kNew, kActive, kDone };
  std::map<std::string, Mark> marks;
  std::vector<std::string> path;
  bool reported = false;
  std::function<void(const std::string&)> visit = [&](const std::string& name) {
    auto task = tasks.find(name);
    if (task == tasks.end() || reported) return;
    Mark& mark = marks[name];
    if (mark == Mark::kDone) return;
    if (mark == Mark::kActive) {
      auto start = std::find(path.begin(), path.end(), name);
      std::vector<std::string> cycle(start, path.end());
      cycle.push_back(name);
      ctx.Error(tasks.at(*start)->depends_pos, fmt::format("template '{}': dependency cycle {}",
                                                           t.name, fmt::join(cycle, " -> ")));
      reported = true;
      return;
    }
    mark = Mark::kActive;
    path.push_back(name);
    for (const std::string& dep : DependencyNames(*task->second)) visit(dep);
    path.pop_back();
    marks[name] = Mark::kDone;
  };
  for (const Invocation& task : t.dag.tasks) visit(task.name);
}

}  // namespace

std::vector<std::string> DependencyNames(const Invocation& task) {
  if (!task.depends) return task.dependencies;
  auto parsed = expr::DependsExpression::Parse(*task.depends);
  return parsed.ok() ? parsed->tasks() : std::vector<std::string>{};
}

void ValidateCallArguments(const ValidationContext& ctx, const Template& callee,
                           const Arguments& arguments, SourcePos pos, const std::string& who) {
  for (const Parameter& input : callee.inputs.parameters) {
    auto arg = std::find_if(arguments.parameters.begin(), arguments.parameters.end(),
                            [&](const Parameter& p) { return p.name == input.name; });
    if (arg == arguments.parameters.end()) {
      if (!input.value && !input.default_value &&
          !(input.value_from && input.value_from->default_value)) {
        ctx.Error(
            pos,
            fmt::format(
                "{} does not supply input parameter '{}' of template '{}', which has no default",
                who, input.name, callee.name));
      }
      continue;
    }
    if (arg->value && !input.enum_values.empty() && !HasTag(*arg->value) &&
        std::find(input.enum_values.begin(), input.enum_values.end(), *arg->value) ==
            input.enum_values.end()) {
      ctx.Error(
          arg->pos.line ? arg->pos : pos,
          fmt::format(
              "{} passes '{}' for parameter '{}' of template '{}', which is not one of its enum "
              "values: {}",
              who, *arg->value, input.name, callee.name, fmt::join(input.enum_values, ", ")));
    }
  }
  for (const Artifact& input : callee.inputs.artifacts) {
    bool passed = std::any_of(arguments.artifacts.begin(), arguments.artifacts.end(),
                              [&](const Artifact& a) { return a.name == input.name; });
    if (!passed && !input.optional && !input.raw_data && !input.has_location) {
      ctx.Error(pos, fmt::format("{} does not supply input artifact '{}' of template '{}'", who,
                                 input.name, callee.name));
    }
  }
}

void ValidateSteps(const ValidationContext& ctx, const Template& t) {
  std::map<std::string, const Invocation*> seen;
  for (const std::vector<Invocation>& group : t.steps) {
    for (const Invocation& step : group) {
      CheckName(ctx, t, step, "step", seen);
      CheckInvocation(ctx, t, step, "step");
    }
  }
}

void ValidateDag(const ValidationContext& ctx, const Template& t) {
  std::map<std::string, const Invocation*> tasks;
  bool uses_depends = std::any_of(t.dag.tasks.begin(), t.dag.tasks.end(),
                                  [](const Invocation& task) { return task.depends.has_value(); });
  for (const Invocation& task : t.dag.tasks) {
    CheckName(ctx, t, task, "task", tasks);
    CheckInvocation(ctx, t, task, "task");
    if (!task.name.empty() && std::isdigit(static_cast<unsigned char>(task.name[0]))) {
      ctx.Error(task.pos, fmt::format("task name '{}' cannot begin with a digit", task.name));
    }
    if (uses_depends && !task.dependencies.empty()) {
      ctx.Error(task.depends_pos,
                fmt::format("template '{}' cannot use both 'depends' and 'dependencies' "
                            "(task '{}')",
                            t.name, task.name));
    }
    if (uses_depends && task.continue_on) {
      ctx.Error(task.pos, fmt::format("task '{}': continueOn cannot be used with 'depends'; use "
                                      "'{}.Failed' or '{}.Errored' in the dependent task instead",
                                      task.name, task.name, task.name));
    }
    if (task.depends) {
      auto parsed = expr::DependsExpression::Parse(*task.depends);
      if (!parsed.ok())
        ctx.Error(task.depends_pos, fmt::format("task '{}': {}", task.name, parsed.error()));
    }
  }
  for (const Invocation& task : t.dag.tasks) {
    for (const std::string& dep : DependencyNames(task)) {
      if (tasks.count(dep)) continue;
      std::vector<std::string> names;
      for (const auto& [name, unused] : tasks) names.push_back(name);
      ctx.Error(task.depends_pos, fmt::format("task '{}' depends on unknown task '{}'{}", task.name,
                                              dep, DidYouMean(dep, names)));
    }
  }
  CheckCycles(ctx, t, tasks);
  if (t.dag.target && !HasTag(*t.dag.target)) {
    std::string target = *t.dag.target;
    size_t start = 0;
    while (start < target.size()) {
      size_t end = target.find(' ', start);
      if (end == std::string::npos) end = target.size();
      std::string name = target.substr(start, end - start);
      if (!name.empty() && !tasks.count(name)) {
        ctx.Error(t.dag.pos, fmt::format("template '{}': target '{}' is not a task", t.name, name));
      }
      start = end + 1;
    }
  }
}

}  // namespace loom::spec
