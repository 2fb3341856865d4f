// A workflow's library beyond its own file: the stored WorkflowTemplates and
// ClusterWorkflowTemplates that its templateRefs and workflowTemplateRef
// name, and getting a parsed workflow ready to run against them. `loom run`,
// `loom lint` and `loom submit` (through the embedded store or a server) and
// the server's submit, retry and restart all go through PrepareToRun(), so
// every path resolves references the same way: the documents of the same
// file first, then the stored templates of the workflow's namespace (the
// cluster's with clusterScope).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "server/api_result.h"
#include "spec/diagnostic.h"
#include "spec/template_ref.h"
#include "spec/validator.h"
#include "store/store.h"

namespace loom::server {

// Where stored templates are looked up for one namespace.
struct TemplateLookup {
  // The stored document `ref` names; nullopt when there is none. Unset:
  // there are no stored templates (only the workflow's file counts).
  std::function<Result<std::optional<Json>>(const spec::TemplateDocumentRef&)> find;
  // Where `find` looks, for messages: "namespace \"default\" of the store ...".
  std::string where;
};

// The templates `store` keeps for workflows of `namespace_` (and the
// cluster's). The store must outlive the lookup.
TemplateLookup StoredTemplates(store::Store& store, const std::string& namespace_,
                               const std::string& store_name = "the store");

// Appends to `documents` every stored template that documents[from]
// references and is not among `documents` already, and those they
// reference in turn, parsed. Problems (a lookup that failed, a stored
// template that no longer parses) go to `diagnostics`, in documents[from]'s
// file; a reference that finds nothing is left for validation to report.
void AddReferencedTemplates(std::vector<spec::Workflow>& documents, size_t from,
                            const TemplateLookup& lookup, spec::Diagnostics* diagnostics);

// The problems of every document of one file, each validated with the
// others and the stored templates they reference as its library: what
// `loom lint` reports, and what the API checks before it stores a template
// or a CronWorkflow (with `local_run`).
spec::Diagnostics ValidateWithTemplates(const std::vector<spec::Workflow>& documents,
                                        const TemplateLookup& lookup, bool local_run);

// `object` as the API stores it, with apiVersion and kind filled in when
// absent, if it is one valid document of `kind`; else a 400 naming every
// problem (`what` names the object in messages: "template", "cronWorkflow").
ApiResult<Json> CheckStoredDocument(Json object, spec::Kind kind, const std::string& what,
                                    const TemplateLookup& lookup);

// A parsed workflow on its way to running.
struct RunDocuments {
  std::vector<spec::Workflow> documents;  // as parsed; documents[index] is the Workflow
  std::vector<Json> json;                 // each document as JSON, in the same order
  size_t index = 0;
  // Set by PrepareToRun when the Workflow has a workflowTemplateRef: the
  // joined spec, which the stored Workflow keeps as
  // status.storedWorkflowTemplateSpec.
  Json stored_template_spec;
};

// Gets documents[index] ready to run, and returns its problems (none: ready):
//   - with workflowTemplateRef, it is replaced by the Workflow joined with
//     that template (JoinWorkflowSpec), found among the documents or looked up;
//   - the stored templates it references are added (AddReferencedTemplates);
//   - it is validated as spec::Validate does with `options`, the documents
//     being its library; problems of a joined workflow are reported at its
//     workflowTemplateRef ("file:line:col: error: with WorkflowTemplate 'x': ...");
//   - the WorkflowTemplates among the documents get their local template
//     references qualified (spec::QualifyLocalReferences) for the engine.
spec::Diagnostics PrepareToRun(RunDocuments& run, const TemplateLookup& lookup,
                               spec::ValidateOptions options);

}  // namespace loom::server
