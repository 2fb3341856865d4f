// Loop expansion and the launch of one step or task instance.
#include "engine/launch.h"

#include <cstdio>

#include "engine/bindings.h"
#include "expr/govaluate.h"
#include "expr/template.h"

namespace loom::engine {

namespace {

// Substitutes tags in every string inside a withItems item.
Json SubstituteItem(const Json& item, const expr::Scope& scope) {
  if (item.is_string()) {
    auto text = expr::Substitute(item.get<std::string>(), scope, expr::Unresolved::kKeep);
    return text.ok() ? Json(*text) : item;
  }
  if (item.is_array() || item.is_object()) {
    Json copy = item;
    for (auto& element : copy) element = SubstituteItem(element, scope);
    return copy;
  }
  return item;
}

Result<long long> SequenceNumber(const std::optional<std::string>& text, long long fallback,
                                 const char* field, const expr::Scope& scope) {
  if (!text) return fallback;
  auto resolved = expr::Substitute(*text, scope);
  if (!resolved.ok()) return Result<long long>::Error(resolved.error());
  try {
    size_t used = 0;
    long long value = std::stoll(*resolved, &used);
    if (used == resolved->size()) return value;
  } catch (const std::exception&) {
  }
  return Result<long long>::Error(std::string("withSequence.") + field + " '" + *resolved +
                                  "' is not an integer");
}

// Go's Sprintf for one integer verb (%d, %02X, %x, %o), as withSequence.format uses.
Result<std::string> FormatSequenceItem(const std::string& format, long long value) {
  size_t percent = std::string::npos;
  std::string c_format;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      c_format += format[i];
      continue;
    }
    if (i + 1 < format.size() && format[i + 1] == '%') {
      c_format += "%%";
      ++i;
      continue;
    }
    if (percent != std::string::npos) {
      return Result<std::string>::Error("withSequence.format '" + format +
                                        "' has more than one verb");
    }
    percent = i;
    size_t j = i + 1;
    while (j < format.size() &&
           std::string_view("-+ #0123456789").find(format[j]) != std::string_view::npos)
      ++j;
    if (j >= format.size() || std::string_view("dxXo").find(format[j]) == std::string_view::npos) {
      return Result<std::string>::Error("withSequence.format '" + format +
                                        "' needs an integer verb");
    }
    c_format += format.substr(i, j - i) + "ll" + format[j];
    i = j;
  }
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, c_format.c_str(), value);
  return std::string(buffer);
}

Result<std::vector<Json>> ExpandSequence(const spec::Sequence& seq, const expr::Scope& scope) {
  auto start = SequenceNumber(seq.start, 0, "start", scope);
  if (!start.ok()) return Result<std::vector<Json>>::Error(start.error());
  long long first = *start, last = 0;
  if (seq.count) {
    auto count = SequenceNumber(seq.count, 0, "count", scope);
    if (!count.ok()) return Result<std::vector<Json>>::Error(count.error());
    if (*count <= 0) return std::vector<Json>{};
    last = first + *count - 1;
  } else if (seq.end) {
    auto end = SequenceNumber(seq.end, 0, "end", scope);
    if (!end.ok()) return Result<std::vector<Json>>::Error(end.error());
    last = *end;
  } else {
    return Result<std::vector<Json>>::Error("withSequence needs count or end");
  }
  std::string format = "%d";
  if (seq.format) {
    auto resolved = expr::Substitute(*seq.format, scope);
    if (!resolved.ok()) return Result<std::vector<Json>>::Error(resolved.error());
    format = *resolved;
  }
  std::vector<Json> items;
  long long step = first <= last ? 1 : -1;
  items.reserve(static_cast<size_t>((last - first) * step + 1));
  for (long long i = first;; i += step) {
    auto text = FormatSequenceItem(format, i);
    if (!text.ok()) return Result<std::vector<Json>>::Error(text.error());
    items.emplace_back(std::move(*text));
    if (i == last) break;
  }
  return items;
}

}  // namespace

bool IsLoop(const spec::Invocation& step) {
  return step.with_items.has_value() || step.with_param.has_value() ||
         step.with_sequence.has_value();
}

Result<std::vector<Json>> ExpandItems(const spec::Invocation& step, const expr::Scope& scope) {
  std::vector<Json> items;
  if (step.with_items) {
    for (const Json& item : *step.with_items) items.push_back(SubstituteItem(item, scope));
    return items;
  }
  if (step.with_param) {
    auto text = expr::Substitute(*step.with_param, scope);
    if (!text.ok()) return Result<std::vector<Json>>::Error("withParam: " + text.error());
    Json parsed = Json::parse(*text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_array()) {
      return Result<std::vector<Json>>::Error(
          "withParam value could not be parsed as a JSON list: " + *text);
    }
    for (Json& item : parsed) items.push_back(std::move(item));
    return items;
  }
  return ExpandSequence(*step.with_sequence, scope);
}

std::string LaunchInstance(WorkflowRun& run, const spec::Invocation& step, const expr::Scope& scope,
                           const std::optional<Json>& item, Invocation base) {
  expr::Scope instance_scope(&scope);
  if (item) instance_scope.Set("item", *item);
  std::string error;
  base.tmpl = run.ResolveTemplate(step, &error);
  if (base.tmpl == nullptr) {
    return run.CreateFinishedNode(base, NodeType::kSkipped, NodePhase::kError, error);
  }
  if (step.when) {
    auto text = expr::Substitute(*step.when, instance_scope);
    if (!text.ok()) {
      return run.CreateFinishedNode(base, NodeType::kSkipped, NodePhase::kError, text.error());
    }
    auto proceed = expr::EvaluateWhen(*text);
    if (!proceed.ok()) {
      return run.CreateFinishedNode(base, NodeType::kSkipped, NodePhase::kError, proceed.error());
    }
    if (!*proceed) {
      return run.CreateFinishedNode(base, NodeType::kSkipped, NodePhase::kSkipped,
                                    "when '" + *text + "' evaluated false");
    }
  }
  auto arguments = ResolveArguments(step.arguments, instance_scope);
  if (!arguments.ok()) {
    return run.CreateFinishedNode(base, NodeType::kSkipped, NodePhase::kError, arguments.error());
  }
  base.arguments = std::move(*arguments);
  return run.Invoke(std::move(base));
}

std::optional<ExitHook> FindExitHook(const spec::Invocation& step) {
  for (const spec::Hook& hook : step.hooks) {
    if (hook.name == "exit") return ExitHook{hook.template_name, &hook.arguments};
  }
  if (!step.on_exit.empty()) return ExitHook{step.on_exit, nullptr};
  return std::nullopt;
}

std::string LaunchExitHook(WorkflowRun& run, const ExitHook& hook, const expr::Scope& scope,
                           const Node& step_node, const std::string& boundary_id,
                           const std::string& parent_id, int slot, int depth, bool on_exit) {
  Invocation invocation;
  invocation.node_name = step_node.name + ".onExit";
  invocation.display_name = step_node.display_name + ".onExit";
  invocation.boundary_id = boundary_id;
  invocation.parent_id = parent_id;
  invocation.slot = slot;
  invocation.depth = depth + 1;
  invocation.on_exit = on_exit;
  invocation.tmpl = run.workflow().FindTemplate(hook.template_name);
  if (invocation.tmpl == nullptr) {
    return run.CreateFinishedNode(invocation, NodeType::kSkipped, NodePhase::kError,
                                  "template '" + hook.template_name + "' not found");
  }
  if (hook.arguments != nullptr) {
    auto arguments = ResolveArguments(*hook.arguments, scope);
    if (!arguments.ok()) {
      return run.CreateFinishedNode(invocation, NodeType::kSkipped, NodePhase::kError,
                                    arguments.error());
    }
    invocation.arguments = std::move(*arguments);
  }
  std::string id = run.Invoke(std::move(invocation));
  run.AddChild(step_node.id, id);
  return id;
}

}  // namespace loom::engine
