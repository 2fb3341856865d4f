// WorkflowTemplates and ClusterWorkflowTemplates in the store (its objects
// of those kinds), created, replaced, listed and deleted the way Argo
// Server's WorkflowTemplateService and ClusterWorkflowTemplateService do,
// each checked first as `loom lint` checks it, its templateRefs resolved
// against the templates already stored. Used by the REST API and, without a
// server, by `loom template` and `loom cluster-template`.
//
// Thread safety: as the store; calls may come from any thread.
#pragma once

#include <string>
#include <vector>

#include "base/json.h"
#include "server/api_result.h"
#include "store/store.h"

namespace loom::server {

class TemplateStore {
 public:
  // `cluster_scope`: ClusterWorkflowTemplates, which have no namespace: the
  // namespace_ arguments below are ignored, and their templateRefs must have
  // clusterScope to pass the checks (there is no namespace to look in).
  TemplateStore(store::Store& store, bool cluster_scope);

  // Names it (metadata.name, else generateName plus 5 characters), gives it
  // uid and creationTimestamp and stores it. 400 if it does not pass the
  // checks, 409 if the name is taken.
  ApiResult<Json> Create(const std::string& namespace_, Json tmpl);
  // 404 if there is none.
  ApiResult<Json> Get(const std::string& namespace_, const std::string& name);
  // By name; namespace_ "" = every namespace; label_selector as `kubectl -l`.
  ApiResult<std::vector<Json>> List(const std::string& namespace_,
                                    const std::string& label_selector);
  // Replaces metadata and spec (keeping uid and creationTimestamp). A
  // metadata.resourceVersion in `tmpl` must be the stored one (409
  // otherwise), as in Kubernetes.
  ApiResult<Json> Update(const std::string& namespace_, const std::string& name, Json tmpl);
  // Removes it; returns it as it was (404 if there was none).
  ApiResult<Json> Delete(const std::string& namespace_, const std::string& name);
  // The checks of Create, nothing stored; returns the object as it would be.
  ApiResult<Json> Lint(const std::string& namespace_, Json tmpl);

  // `workflow template "x" not found in namespace "ns"` (or cluster ...).
  std::string Missing(const std::string& namespace_, const std::string& name) const;

 private:
  // The object after the checks, apiVersion and kind filled in.
  ApiResult<Json> Check(const std::string& namespace_, Json tmpl);
  ApiResult<store::StoredObject> Find(const std::string& namespace_, const std::string& name);
  std::string StoredNamespace(const std::string& namespace_) const;

  store::Store& store_;
  const bool cluster_scope_;
  const std::string kind_;
};

}  // namespace loom::server
