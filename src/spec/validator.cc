// Workflow-level validation and the driver that runs every pass.
#include "spec/validator.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "spec/suggest.h"
#include "spec/template_ref.h"
#include "spec/validation_context.h"

namespace loom::spec {

// Hand-written rather than std::regex: g++ 12 warns inside <regex> under
// -fsanitize, and these run for every name.
bool IsValidFieldName(const std::string& name) {
  if (name.empty() || name.size() > 128 || !std::isalnum(static_cast<unsigned char>(name[0])))
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
  });
}

bool IsValidParamName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

bool HasTag(const std::string& text) { return text.find("{{") != std::string::npos; }

const Template* ValidationContext::Resolve(const Invocation& invocation) const {
  if (!invocation.template_ref_name) return workflow.FindTemplate(invocation.template_name);
  if (options.library == nullptr) return nullptr;
  return FindReferencedTemplate(*options.library, invocation);
}

bool ValidationContext::CanResolve(const Invocation& invocation) const {
  return !invocation.template_ref_name || options.library != nullptr;
}

std::vector<std::string> ValidationContext::TemplateNames() const {
  std::vector<std::string> names;
  for (const Template& t : workflow.spec.templates) names.push_back(t.name);
  return names;
}

namespace {

void CheckHookTemplates(const ValidationContext& ctx, const std::vector<Hook>& hooks,
                        const std::string& where) {
  for (const Hook& hook : hooks) {
    if (hook.template_name.empty() || ctx.workflow.FindTemplate(hook.template_name) != nullptr)
      continue;
    ctx.Error(hook.pos,
              fmt::format("{} hook '{}' uses unknown template '{}'{}", where, hook.name,
                          hook.template_name, DidYouMean(hook.template_name, ctx.TemplateNames())));
  }
}

// spec.arguments: names, values (or -p), enums.
void ValidateWorkflowArguments(const ValidationContext& ctx) {
  const Workflow& wf = ctx.workflow;
  bool values_required = wf.kind == Kind::kWorkflow || wf.kind == Kind::kCronWorkflow;
  std::set<std::string> seen;
  for (const Parameter& p : wf.spec.arguments.parameters) {
    if (!IsValidParamName(p.name)) {
      ctx.Error(
          p.pos,
          fmt::format("workflow parameter name '{}' is invalid: use letters, digits, '_' or '-'",
                      p.name));
    }
    if (!seen.insert(p.name).second)
      ctx.Error(p.pos, fmt::format("duplicate workflow parameter '{}'", p.name));
    auto given = ctx.options.parameters.find(p.name);
    std::optional<std::string> value =
        given != ctx.options.parameters.end() ? given->second : p.value;
    if (!value && !p.value_from) {
      if (values_required) {
        ctx.Error(p.pos, fmt::format("workflow parameter '{}' has no value: set spec.arguments "
                                     "value or pass -p {}=VALUE",
                                     p.name, p.name));
      }
      continue;
    }
    if (value && !p.enum_values.empty() && !HasTag(*value) &&
        std::find(p.enum_values.begin(), p.enum_values.end(), *value) == p.enum_values.end()) {
      ctx.Error(
          p.pos,
          fmt::format("value '{}' of workflow parameter '{}' is not one of its enum values: {}",
                      *value, p.name, fmt::join(p.enum_values, ", ")));
    }
  }
}

void ValidateEntrypoint(const ValidationContext& ctx) {
  const WorkflowSpec& spec = ctx.workflow.spec;
  std::string entrypoint =
      ctx.options.entrypoint_override.empty() ? spec.entrypoint : ctx.options.entrypoint_override;
  if (entrypoint.empty()) {
    if (ctx.workflow.kind == Kind::kWorkflow || ctx.workflow.kind == Kind::kCronWorkflow) {
      ctx.Error(spec.pos, "spec.entrypoint is required");
    }
    return;
  }
  const Template* tmpl = ctx.workflow.FindTemplate(entrypoint);
  if (tmpl == nullptr) {
    ctx.Error(spec.entrypoint_pos, fmt::format("entrypoint template '{}' not found{}", entrypoint,
                                               DidYouMean(entrypoint, ctx.TemplateNames())));
    return;
  }
  if (ctx.workflow.kind == Kind::kWorkflow || ctx.workflow.kind == Kind::kCronWorkflow) {
    Arguments args = spec.arguments;
    for (const auto& [name, value] : ctx.options.parameters)
      args.parameters.push_back({name, value});
    ValidateCallArguments(ctx, *tmpl, args, spec.entrypoint_pos, "spec.arguments");
  }
}

void ValidateTemplateNames(const ValidationContext& ctx) {
  std::map<std::string, const Template*> seen;
  for (const Template& t : ctx.workflow.spec.templates) {
    if (t.name.empty()) {
      ctx.Error(t.pos, "template name is required");
      continue;
    }
    if (!IsValidFieldName(t.name)) {
      ctx.Error(
          t.pos,
          fmt::format(
              "template name '{}' is invalid: it must consist of alphanumeric characters or '-', "
              "start with an alphanumeric character and be at most 128 characters",
              t.name));
    }
    auto [it, inserted] = seen.emplace(t.name, &t);
    if (!inserted) {
      ctx.Error(t.pos, fmt::format("duplicate template name '{}' (first defined at line {})",
                                   t.name, it->second->pos.line));
    }
  }
}

void ValidateLocalRun(const ValidationContext& ctx) {
  for (const KubernetesField& field : ctx.workflow.kubernetes_fields) {
    ctx.Error(field.pos, fmt::format("{} is not supported by the local executor", field.path));
  }
}

}  // namespace

Diagnostics Validate(const Workflow& workflow, const ValidateOptions& options) {
  Diagnostics out;
  ValidationContext ctx{workflow, options, out};
  const WorkflowSpec& spec = workflow.spec;
  if (workflow.kind == Kind::kCronWorkflow && spec.schedules.empty()) {
    ctx.Error(workflow.pos, "CronWorkflow needs spec.schedule or spec.schedules");
  }
  if (options.local_run) ValidateLocalRun(ctx);
  if (spec.synchronization) ValidateSynchronization(ctx, *spec.synchronization, "spec.");
  ValidateWorkflowArguments(ctx);
  // A workflow built on a WorkflowTemplate gets its templates from there.
  if (spec.workflow_template_ref) {
    TemplateDocumentRef ref{*spec.workflow_template_ref, spec.workflow_template_ref_cluster_scope};
    if (options.library && FindTemplateDocument(*options.library, ref) == nullptr) {
      ctx.Error(spec.workflow_template_ref_pos,
                "workflowTemplateRef: " + Describe(ref) +
                    " not found (neither in this file nor among the stored templates)");
    }
    return out;
  }
  ValidateTemplateNames(ctx);
  ValidateEntrypoint(ctx);
  if (!spec.on_exit.empty() && workflow.FindTemplate(spec.on_exit) == nullptr) {
    ctx.Error(spec.pos, fmt::format("onExit template '{}' not found{}", spec.on_exit,
                                    DidYouMean(spec.on_exit, ctx.TemplateNames())));
  }
  CheckHookTemplates(ctx, spec.hooks, "workflow");
  for (const Template& tmpl : spec.templates) {
    ValidateTemplate(ctx, tmpl);
    if (tmpl.synchronization) {
      ValidateSynchronization(ctx, *tmpl.synchronization, "template '" + tmpl.name + "': ");
    }
    if (tmpl.kind == TemplateKind::kSteps) ValidateSteps(ctx, tmpl);
    if (tmpl.kind == TemplateKind::kDag) ValidateDag(ctx, tmpl);
    ValidateVariables(ctx, tmpl);
  }
  return out;
}

}  // namespace loom::spec
