// Looking up and rewriting references between documents; see template_ref.h.
#include "spec/template_ref.h"

namespace loom::spec {

namespace {

// Calls `visit` with every step and DAG task of `workflow`'s templates.
template <typename W, typename Visit>
void ForEachInvocation(W& workflow, Visit visit) {
  for (auto& tmpl : workflow.spec.templates) {
    for (auto& group : tmpl.steps) {
      for (auto& step : group) visit(step);
    }
    for (auto& task : tmpl.dag.tasks) visit(task);
  }
}

}  // namespace

std::string Describe(const TemplateDocumentRef& ref) {
  return std::string(KindName(ref.kind())) + " '" + ref.name + "'";
}

const Workflow* FindTemplateDocument(const std::vector<Workflow>& library,
                                     const TemplateDocumentRef& ref) {
  for (const Workflow& document : library) {
    if (document.kind == ref.kind() && document.metadata.name == ref.name) return &document;
  }
  return nullptr;
}

const Template* FindReferencedTemplate(const std::vector<Workflow>& library,
                                       const Invocation& invocation) {
  if (!invocation.template_ref_name) return nullptr;
  const Workflow* document = FindTemplateDocument(
      library, {*invocation.template_ref_name, invocation.template_ref_cluster_scope});
  if (document == nullptr) return nullptr;
  return document->FindTemplate(invocation.template_ref_template.value_or(""));
}

std::set<TemplateDocumentRef> ReferencedDocuments(const Workflow& workflow) {
  std::set<TemplateDocumentRef> refs;
  ForEachInvocation(workflow, [&](const Invocation& invocation) {
    if (invocation.template_ref_name) {
      refs.insert({*invocation.template_ref_name, invocation.template_ref_cluster_scope});
    }
  });
  if (workflow.spec.workflow_template_ref) {
    refs.insert(
        {*workflow.spec.workflow_template_ref, workflow.spec.workflow_template_ref_cluster_scope});
  }
  return refs;
}

void QualifyLocalReferences(Workflow& document) {
  bool cluster = document.kind == Kind::kClusterWorkflowTemplate;
  ForEachInvocation(document, [&](Invocation& invocation) {
    if (invocation.template_ref_name || invocation.template_name.empty()) return;
    invocation.template_ref_name = document.metadata.name;
    invocation.template_ref_template = invocation.template_name;
    invocation.template_ref_cluster_scope = cluster;
    invocation.template_name.clear();
  });
}

}  // namespace loom::spec
