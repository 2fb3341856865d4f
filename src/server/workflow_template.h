// WorkflowTemplates and ClusterWorkflowTemplates as the server and the CLI
// handle them: their kinds and labels, the object the API serves from what
// the store keeps, and Argo's joining of a Workflow with the WorkflowTemplate
// its workflowTemplateRef names (util.JoinWorkflowSpec).
#pragma once

#include <string>

#include "base/json.h"
#include "store/store.h"

namespace loom::server {

inline constexpr char kWorkflowTemplateKind[] = "WorkflowTemplate";
inline constexpr char kClusterWorkflowTemplateKind[] = "ClusterWorkflowTemplate";
// On a Workflow submitted from a (Cluster)WorkflowTemplate: the template's name.
inline constexpr char kWorkflowTemplateLabel[] = "workflows.argoproj.io/workflow-template";
inline constexpr char kClusterWorkflowTemplateLabel[] =
    "workflows.argoproj.io/cluster-workflow-template";
// Workflow.status field: the spec a workflow with workflowTemplateRef runs,
// joined once at submit, so that a later change of the template does not
// change a workflow already running (a restarted server continues it).
inline constexpr char kStoredTemplateSpecField[] = "storedWorkflowTemplateSpec";

inline const char* TemplateKind(bool cluster_scope) {
  return cluster_scope ? kClusterWorkflowTemplateKind : kWorkflowTemplateKind;
}

// Argo's (Cluster)WorkflowTemplate object for a stored one: the document,
// with metadata.name, namespace (none for a cluster-scoped one), uid,
// creationTimestamp and resourceVersion (the object's version).
Json TemplateObject(const store::StoredObject& object);

// The spec a Workflow with workflowTemplateRef runs: the template's spec
// with the workflow's own fields laid over it, as Kubernetes' strategic
// merge does for Argo. Objects merge key by key (the workflow's values
// win); `templates`, `arguments.parameters`, `arguments.artifacts` and
// `volumes` merge item by item on `name`; the template's `hooks` are added
// where the workflow has none of that name; `suspend` is the workflow's;
// any other list is the workflow's when it has one.
Json JoinWorkflowSpec(const Json& workflow_spec, const Json& template_spec);

}  // namespace loom::server
