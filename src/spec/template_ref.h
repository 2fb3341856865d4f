// References from one document to another: `templateRef` (a step or task
// runs one template of a WorkflowTemplate, or of a ClusterWorkflowTemplate
// with clusterScope) and `workflowTemplateRef` (a whole Workflow built on
// one). A workflow's library (ValidateOptions::library,
// engine::EngineOptions::library) holds the documents they may name: those of
// its own file and, where a store is at hand, the stored templates they
// reference (server/template_library.h).
#pragma once

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "spec/workflow.h"

namespace loom::spec {

// The document a reference names: a WorkflowTemplate of the workflow's
// namespace, or with cluster_scope a ClusterWorkflowTemplate.
struct TemplateDocumentRef {
  std::string name;
  bool cluster_scope = false;

  Kind kind() const {
    return cluster_scope ? Kind::kClusterWorkflowTemplate : Kind::kWorkflowTemplate;
  }
  bool operator<(const TemplateDocumentRef& other) const {
    return std::tie(cluster_scope, name) < std::tie(other.cluster_scope, other.name);
  }
};

// "WorkflowTemplate 'name'" or "ClusterWorkflowTemplate 'name'", for messages.
std::string Describe(const TemplateDocumentRef& ref);

// The document of `library` that `ref` names (its kind and name), or nullptr.
const Workflow* FindTemplateDocument(const std::vector<Workflow>& library,
                                     const TemplateDocumentRef& ref);

// The template a templateRef invocation runs, or nullptr.
const Template* FindReferencedTemplate(const std::vector<Workflow>& library,
                                       const Invocation& invocation);

// Every document `workflow` names: the templateRefs of its steps and tasks,
// and its workflowTemplateRef.
std::set<TemplateDocumentRef> ReferencedDocuments(const Workflow& workflow);

// Argo runs a template reached through templateRef in the context of the
// document that holds it: a `template: x` in its steps or tasks is that
// document's `x`, not the running workflow's. Rewrites each such local
// reference of `document` (a WorkflowTemplate or ClusterWorkflowTemplate of
// a library) as a templateRef to `document` itself, so that whoever
// resolves it against the library finds the right template. Call it after
// `document` is validated (its messages speak of local names).
void QualifyLocalReferences(Workflow& document);

}  // namespace loom::spec
