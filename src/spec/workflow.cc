// Small helpers of the typed model: lookups and names for messages.
#include "spec/workflow.h"

namespace loom::spec {

const Template* Workflow::FindTemplate(const std::string& name) const {
  for (const Template& tmpl : spec.templates) {
    if (tmpl.name == name) return &tmpl;
  }
  return nullptr;
}

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kWorkflow:
      return "Workflow";
    case Kind::kWorkflowTemplate:
      return "WorkflowTemplate";
    case Kind::kClusterWorkflowTemplate:
      return "ClusterWorkflowTemplate";
    case Kind::kCronWorkflow:
      return "CronWorkflow";
  }
  return "Workflow";
}

const char* TemplateKindName(TemplateKind kind) {
  switch (kind) {
    case TemplateKind::kContainer:
      return "container";
    case TemplateKind::kScript:
      return "script";
    case TemplateKind::kDag:
      return "dag";
    case TemplateKind::kSteps:
      return "steps";
    case TemplateKind::kSuspend:
      return "suspend";
    case TemplateKind::kResource:
      return "resource";
    case TemplateKind::kHttp:
      return "http";
    case TemplateKind::kData:
      return "data";
    case TemplateKind::kUnknown:
      return "unknown";
  }
  return "unknown";
}

}  // namespace loom::spec
