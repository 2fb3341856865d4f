// Where `loom template` and `loom cluster-template` find WorkflowTemplates
// and ClusterWorkflowTemplates: a Loom server's REST API when one is named
// (--server or LOOM_SERVER), else the embedded store, edited directly
// (through server::TemplateStore, the code the server's API uses). Both
// return Argo's objects. The workflows that `loom run`, `loom lint` and
// `loom submit` check find the templates they reference the same way
// (TemplateLookupFor).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cli/workflow_client.h"
#include "server/template_library.h"

namespace loom::cli {

class TemplateClient {
 public:
  virtual ~TemplateClient() = default;

  // Stores a template (checked first, as `loom lint` checks it); returns it as created.
  virtual Result<Json> Create(const Json& tmpl) = 0;
  // By name; `label_selector` as `loom list -l`.
  virtual Result<std::vector<Json>> List(const std::string& label_selector,
                                         bool all_namespaces) = 0;
  // nullopt when there is none of that name.
  virtual Result<std::optional<Json>> Find(const std::string& name) = 0;
  virtual Status Delete(const std::string& name) = 0;

  // "the server http://..." or "the store ~/.loom/loom.db", for messages.
  virtual std::string Where() const = 0;
};

// The server if options.server is set, else the embedded store; with
// `cluster_scope`, ClusterWorkflowTemplates.
Result<std::unique_ptr<TemplateClient>> ConnectTemplates(const ClientOptions& options,
                                                         bool cluster_scope);

// The templates a workflow of options.namespace_ may reference, where
// `options` point; connects when first asked. With `only_existing_store`, an
// embedded SQLite store that does not exist yet finds nothing instead of
// being created (`loom lint` creates no files).
server::TemplateLookup TemplateLookupFor(const ClientOptions& options,
                                         bool only_existing_store = false);

}  // namespace loom::cli
