// The checks Argo's ValidateCronWorkflow makes of a CronWorkflow's own
// fields (its workflowSpec is checked as any workflow's spec): schedules that
// robfig/cron parses, a known timezone, a concurrencyPolicy of Allow, Forbid
// or Replace, a non-negative startingDeadlineSeconds, integer history limits,
// a boolean suspend, and a name short enough for the names of its runs.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "spec/diagnostic.h"

namespace loom::spec {

// `doc` is a shape-checked CronWorkflow document; problems go to `out`.
void CheckCronWorkflow(const YAML::Node& doc, const std::string& file, Diagnostics& out);

}  // namespace loom::spec
