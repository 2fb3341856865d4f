// State shared by the validator's passes: the document, options, the
// diagnostics being collected, and template lookup (local or library).
#pragma once

#include <set>
#include <string>

#include "spec/validator.h"

namespace loom::spec {

struct ValidationContext {
  const Workflow& workflow;
  const ValidateOptions& options;
  Diagnostics& out;

  void Error(SourcePos pos, std::string message) const {
    out.push_back({workflow.file, pos, std::move(message)});
  }

  // The template an invocation runs: local by name, or through templateRef in
  // options.library. nullptr when it cannot be found (or cannot be known).
  const Template* Resolve(const Invocation& invocation) const;

  // True when the referenced template can be looked up at all: a local name,
  // or a templateRef with a library to look in.
  bool CanResolve(const Invocation& invocation) const;

  std::vector<std::string> TemplateNames() const;
};

// The tasks a DAG task waits for, from `dependencies` or `depends` (none if unparsable).
std::vector<std::string> DependencyNames(const Invocation& task);

// Template-level checks: kind, names, retry, durations, quantities, outputs.
void ValidateTemplate(const ValidationContext& ctx, const Template& tmpl);

// Steps and DAG structure: names, references, loops, arguments, depends, cycles.
void ValidateSteps(const ValidationContext& ctx, const Template& tmpl);
void ValidateDag(const ValidationContext& ctx, const Template& tmpl);

// Checks that `invocation` passes every required input of the template it
// runs, with enum-valid literal values. `who` names the caller in messages.
void ValidateCallArguments(const ValidationContext& ctx, const Template& callee,
                           const Arguments& arguments, SourcePos pos, const std::string& who);

// Semaphores name a ConfigMap key, mutexes a name. `who` prefixes the field
// path in messages ("spec." or "template 'x': ").
void ValidateSynchronization(const ValidationContext& ctx, const Synchronization& sync,
                             const std::string& who);

// `{{...}}` references: every variable must resolve in the template's scope.
void ValidateVariables(const ValidationContext& ctx, const Template& tmpl);

// Argo's name rules.
bool IsValidFieldName(const std::string& name);  // templates, steps, tasks
bool IsValidParamName(const std::string& name);  // parameters, artifacts
bool HasTag(const std::string& text);            // contains "{{"

}  // namespace loom::spec
