// Checks of one template on its own: kind, parameters and artifacts,
// retryStrategy, durations, deadlines and resource quantities.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdlib>
#include <set>

#include "spec/duration.h"
#include "spec/quantity.h"
#include "spec/validation_context.h"

namespace loom::spec {
namespace {

bool IsLeaf(const Template& t) {
  return t.kind != TemplateKind::kSteps && t.kind != TemplateKind::kDag &&
         t.kind != TemplateKind::kUnknown;
}

bool IsInteger(const std::string& text) {
  char* end = nullptr;
  std::strtoll(text.c_str(), &end, 10);
  return !text.empty() && *end == '\0';
}

void CheckDuration(const ValidationContext& ctx, const std::optional<std::string>& value,
                   SourcePos pos, const std::string& what) {
  if (!value || HasTag(*value)) return;
  Result<double> seconds = ParseDurationSeconds(*value);
  if (!seconds.ok()) ctx.Error(pos, fmt::format("{}: {}", what, seconds.error()));
}

void CheckNames(const ValidationContext& ctx, const Template& t,
                const std::vector<Parameter>& params, const char* where) {
  std::set<std::string> seen;
  for (const Parameter& p : params) {
    if (p.name.empty()) {
      ctx.Error(p.pos, fmt::format("template '{}': {} parameter needs a name", t.name, where));
    } else if (!IsValidParamName(p.name)) {
      ctx.Error(
          p.pos,
          fmt::format(
              "template '{}': {} parameter name '{}' is invalid: use letters, digits, '_' or '-'",
              t.name, where, p.name));
    } else if (!seen.insert(p.name).second) {
      ctx.Error(p.pos,
                fmt::format("template '{}': duplicate {} parameter '{}'", t.name, where, p.name));
    }
  }
}

void CheckKind(const ValidationContext& ctx, const Template& t) {
  if (t.declared_kinds.empty()) {
    ctx.Error(
        t.pos,
        fmt::format("template '{}' has no kind: set one of container, script, dag, steps, suspend, "
                    "resource, http, data",
                    t.name));
  } else if (t.declared_kinds.size() > 1) {
    ctx.Error(t.pos, fmt::format("template '{}' has more than one kind ({}): choose one", t.name,
                                 fmt::join(t.declared_kinds, ", ")));
  }
}

void CheckOutputs(const ValidationContext& ctx, const Template& t) {
  for (const Parameter& p : t.outputs.parameters) {
    if (p.value && p.value_from) {
      ctx.Error(p.pos,
                fmt::format("template '{}': output parameter '{}' has both value and valueFrom",
                            t.name, p.name));
    } else if (!p.value && !p.value_from) {
      ctx.Error(p.pos, fmt::format("template '{}': output parameter '{}' needs value or valueFrom",
                                   t.name, p.name));
    } else if (p.value_from &&
               (t.kind == TemplateKind::kContainer || t.kind == TemplateKind::kScript) &&
               !p.value_from->path && !p.value_from->expression && !p.value_from->supplied) {
      ctx.Error(p.pos, fmt::format("template '{}': output parameter '{}' needs valueFrom.path",
                                   t.name, p.name));
    } else if (p.value_from && (t.kind == TemplateKind::kSteps || t.kind == TemplateKind::kDag) &&
               !p.value_from->parameter && !p.value_from->expression) {
      ctx.Error(p.pos,
                fmt::format("template '{}': output parameter '{}' needs valueFrom.parameter or "
                            "valueFrom.expression",
                            t.name, p.name));
    }
  }
  for (const Artifact& a : t.outputs.artifacts) {
    if (IsLeaf(t) && a.path.empty()) {
      ctx.Error(a.pos,
                fmt::format("template '{}': output artifact '{}' needs a path", t.name, a.name));
    }
  }
  for (const Artifact& a : t.inputs.artifacts) {
    if (!a.from.empty() || !a.from_expression.empty()) {
      ctx.Error(a.pos,
                fmt::format(
                    "template '{}': input artifact '{}' cannot use from; pass it from the caller's "
                    "arguments",
                    t.name, a.name));
    }
    if (IsLeaf(t) && a.path.empty()) {
      ctx.Error(a.pos,
                fmt::format("template '{}': input artifact '{}' needs a path", t.name, a.name));
    }
  }
}

void CheckRetry(const ValidationContext& ctx, const Template& t, const RetryStrategy& r) {
  static const std::set<std::string> kPolicies = {"", "Always", "OnFailure", "OnError",
                                                  "OnTransientError"};
  if (!kPolicies.count(r.retry_policy)) {
    ctx.Error(
        r.pos,
        fmt::format("template '{}': retryPolicy '{}' is not one of Always, OnFailure, OnError, "
                    "OnTransientError",
                    t.name, r.retry_policy));
  }
  if (r.limit && !HasTag(*r.limit) && !IsInteger(*r.limit)) {
    ctx.Error(r.pos, fmt::format("template '{}': retryStrategy.limit '{}' must be an integer",
                                 t.name, *r.limit));
  }
  if (r.backoff) {
    const Backoff& b = *r.backoff;
    CheckDuration(ctx, b.duration, b.pos, fmt::format("template '{}': backoff.duration", t.name));
    CheckDuration(ctx, b.max_duration, b.pos,
                  fmt::format("template '{}': backoff.maxDuration", t.name));
    CheckDuration(ctx, b.cap, b.pos, fmt::format("template '{}': backoff.cap", t.name));
    if (b.factor && !HasTag(*b.factor) && std::strtod(b.factor->c_str(), nullptr) <= 0) {
      ctx.Error(b.pos, fmt::format("template '{}': backoff.factor '{}' must be a positive number",
                                   t.name, *b.factor));
    }
  }
}

void CheckQuantities(const ValidationContext& ctx, const Template& t,
                     const std::map<std::string, std::string>& values, const char* where) {
  for (const auto& [name, value] : values) {
    if (HasTag(value)) continue;  // Loom resolves templated requests at run time
    Result<int64_t> parsed = name == "cpu"                         ? ParseCpuMillis(value)
                             : name.find('/') != std::string::npos ? ParseCount(value)
                                                                   : ParseBytes(value);
    if (!parsed.ok()) {
      ctx.Error(t.container.resources.pos, fmt::format("template '{}': resources.{}.{}: {}", t.name,
                                                       where, name, parsed.error()));
    }
  }
}

}  // namespace

void ValidateTemplate(const ValidationContext& ctx, const Template& t) {
  CheckKind(ctx, t);
  CheckNames(ctx, t, t.inputs.parameters, "input");
  CheckNames(ctx, t, t.outputs.parameters, "output");
  CheckOutputs(ctx, t);
  if (t.retry_strategy) CheckRetry(ctx, t, *t.retry_strategy);
  CheckDuration(ctx, t.timeout, t.pos, fmt::format("template '{}': timeout", t.name));
  if (t.kind == TemplateKind::kSuspend) {
    CheckDuration(ctx, t.suspend.duration, t.suspend.pos,
                  fmt::format("template '{}': suspend.duration", t.name));
  }
  if (t.active_deadline_seconds) {
    if (!IsLeaf(t)) {
      ctx.Error(t.pos,
                fmt::format("template '{}': activeDeadlineSeconds is only valid for leaf templates",
                            t.name));
    } else if (!HasTag(*t.active_deadline_seconds) &&
               (!IsInteger(*t.active_deadline_seconds) ||
                std::atoll(t.active_deadline_seconds->c_str()) < 0)) {
      ctx.Error(t.pos,
                fmt::format(
                    "template '{}': activeDeadlineSeconds must be a positive integer or a variable",
                    t.name));
    }
  }
  if (t.parallelism && IsLeaf(t)) {
    ctx.Error(t.pos,
              fmt::format("template '{}': parallelism is only valid for steps and dag templates",
                          t.name));
  }
  if (t.kind == TemplateKind::kContainer || t.kind == TemplateKind::kScript) {
    CheckQuantities(ctx, t, t.container.resources.requests, "requests");
    CheckQuantities(ctx, t, t.container.resources.limits, "limits");
  }
  if (t.kind == TemplateKind::kDag && t.dag.tasks.empty()) {
    ctx.Error(t.dag.pos, fmt::format("template '{}' must have at least one task", t.name));
  }
}

}  // namespace loom::spec
