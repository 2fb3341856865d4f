// Store rows to Workflow objects.
#include "server/stored_workflow.h"

#include "engine/status_json.h"

namespace loom::server {

ApiResult<Json> LoadWorkflow(store::Store& store, const std::string& namespace_,
                             const std::string& name) {
  auto stored = store.Get(namespace_, name);
  if (!stored.ok()) return Internal("store: " + stored.error());
  if (!stored->has_value()) return NotFound(NotFoundMessage(namespace_, name));
  Json nodes = Json::object();
  for (auto& [id, node] : (*stored)->nodes) nodes[id] = std::move(node);
  return engine::AssembleWorkflow((*stored)->header.document, (*stored)->header.status,
                                  std::move(nodes));
}

Json HeaderToWorkflow(const store::WorkflowHeader& header) {
  return engine::AssembleWorkflow(header.document, header.status, Json::object());
}

std::string NotFoundMessage(const std::string& namespace_, const std::string& name) {
  return "workflow \"" + name + "\" not found in namespace \"" + namespace_ + "\"";
}

}  // namespace loom::server
