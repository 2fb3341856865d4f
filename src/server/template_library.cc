// Resolving a workflow's references to stored templates; see template_library.h.
#include "server/template_library.h"

#include <set>
#include <utility>

#include "server/workflow_template.h"
#include "spec/parser.h"

namespace loom::server {

namespace {

// Bounds the library of one workflow, whatever the stored templates do.
constexpr size_t kMaxStoredTemplates = 100;

spec::Diagnostic Problem(const std::string& file, spec::SourcePos pos, std::string message) {
  return spec::Diagnostic{file, pos, std::move(message)};
}

// The template a workflowTemplateRef names, as JSON: from the documents of
// the workflow's file, else looked up.
Result<std::optional<Json>> FindJoinedTemplate(const RunDocuments& run,
                                               const spec::TemplateDocumentRef& ref,
                                               const TemplateLookup& lookup) {
  if (const spec::Workflow* document = spec::FindTemplateDocument(run.documents, ref)) {
    size_t i = static_cast<size_t>(document - run.documents.data());
    if (i < run.json.size()) return std::optional<Json>(run.json[i]);
  }
  if (!lookup.find) return std::optional<Json>();
  return lookup.find(ref);
}

// Problems of a joined workflow have no place in any file but the
// workflowTemplateRef that made it: those found in the joined text
// (`joined_file`) are reported there, the others as they are.
struct Relocation {
  std::string file;
  spec::SourcePos pos;  // of the workflowTemplateRef
  std::string joined_file;
  std::string prefix;

  spec::Diagnostic operator()(spec::Diagnostic d) const {
    if (joined_file.empty() || d.file != joined_file) return d;
    return Problem(file, pos, prefix + d.message);
  }
};

// Replaces run.documents[run.index] by the Workflow joined with the
// template `ref` names; false, with the problems in `out`, when it cannot.
bool Join(RunDocuments& run, const spec::TemplateDocumentRef& ref, const TemplateLookup& lookup,
          const Relocation& relocate, spec::Diagnostics* out) {
  auto found = FindJoinedTemplate(run, ref, lookup);
  std::string problem;
  if (!found.ok()) {
    problem = "cannot look up " + spec::Describe(ref) + ": " + found.error();
  } else if (!found->has_value()) {
    problem = spec::Describe(ref) + " not found " +
              (lookup.find ? "(neither in this file nor in " + lookup.where + ")" : "in this file");
  } else if (run.index >= run.json.size()) {
    problem = "the workflow cannot be read";
  }
  if (!problem.empty()) {
    out->push_back(Problem(relocate.file, relocate.pos, "workflowTemplateRef: " + problem));
    return false;
  }
  Json document = run.json[run.index];
  Json joined = JoinWorkflowSpec(document.value("spec", Json::object()),
                                 (**found).value("spec", Json::object()));
  run.stored_template_spec = joined;
  joined.erase("workflowTemplateRef");  // else it would be checked as a bare reference again
  document["spec"] = std::move(joined);
  spec::ParseResult parsed = spec::ParseText(document.dump(2), relocate.joined_file);
  for (spec::Diagnostic& d : parsed.diagnostics) out->push_back(relocate(std::move(d)));
  if (!out->empty()) return false;
  run.documents[run.index] = std::move(parsed.documents.at(0));
  return true;
}

}  // namespace

TemplateLookup StoredTemplates(store::Store& store, const std::string& namespace_,
                               const std::string& store_name) {
  TemplateLookup lookup;
  lookup.where = "namespace \"" + namespace_ + "\" of " + store_name;
  lookup.find = [&store,
                 namespace_](const spec::TemplateDocumentRef& ref) -> Result<std::optional<Json>> {
    auto found = store.GetObject(TemplateKind(ref.cluster_scope),
                                 ref.cluster_scope ? "" : namespace_, ref.name);
    if (!found.ok()) return found.status();
    if (!found->has_value()) return std::optional<Json>();
    return std::optional<Json>(TemplateObject(**found));
  };
  return lookup;
}

void AddReferencedTemplates(std::vector<spec::Workflow>& documents, size_t from,
                            const TemplateLookup& lookup, spec::Diagnostics* diagnostics) {
  const std::string file = documents[from].file;
  std::set<spec::TemplateDocumentRef> seen;
  std::vector<size_t> pending = {from};
  size_t added = 0;
  while (!pending.empty()) {
    size_t i = pending.back();
    pending.pop_back();
    // A copy: appending to `documents` moves them.
    const std::set<spec::TemplateDocumentRef> refs = spec::ReferencedDocuments(documents[i]);
    for (const spec::TemplateDocumentRef& ref : refs) {
      if (!seen.insert(ref).second) continue;
      if (const spec::Workflow* there = spec::FindTemplateDocument(documents, ref)) {
        pending.push_back(static_cast<size_t>(there - documents.data()));
        continue;
      }
      if (added == kMaxStoredTemplates) {
        diagnostics->push_back(Problem(file, {},
                                       "the workflow references more than " +
                                           std::to_string(kMaxStoredTemplates) +
                                           " stored templates, counting those they reference"));
        return;
      }
      if (!lookup.find) continue;
      auto found = lookup.find(ref);
      if (!found.ok()) {
        diagnostics->push_back(
            Problem(file, {}, "cannot look up " + spec::Describe(ref) + ": " + found.error()));
        continue;
      }
      if (!found->has_value()) continue;
      spec::ParseResult parsed =
          spec::ParseText((**found).dump(2), "stored " + spec::Describe(ref));
      if (!parsed.ok() || parsed.documents.size() != 1 || parsed.documents[0].kind != ref.kind()) {
        std::string why = parsed.ok() ? "it is not one document of that kind"
                                      : parsed.diagnostics.front().ToString();
        diagnostics->push_back(
            Problem(file, {}, "stored " + spec::Describe(ref) + " cannot be used: " + why));
        continue;
      }
      documents.push_back(std::move(parsed.documents[0]));
      pending.push_back(documents.size() - 1);
      ++added;
    }
  }
}

spec::Diagnostics PrepareToRun(RunDocuments& run, const TemplateLookup& lookup,
                               spec::ValidateOptions options) {
  spec::Diagnostics out;
  const spec::Workflow& workflow = run.documents[run.index];
  Relocation relocate{workflow.file, workflow.spec.workflow_template_ref_pos, "", ""};
  if (workflow.spec.workflow_template_ref) {
    spec::TemplateDocumentRef ref{*workflow.spec.workflow_template_ref,
                                  workflow.spec.workflow_template_ref_cluster_scope};
    relocate.joined_file = workflow.file + " joined with " + spec::Describe(ref);
    relocate.prefix = "with " + spec::Describe(ref) + ": ";
    if (!Join(run, ref, lookup, relocate, &out)) return out;
  }
  AddReferencedTemplates(run.documents, run.index, lookup, &out);
  if (!out.empty()) return out;
  options.library = &run.documents;
  for (spec::Diagnostic& d : spec::Validate(run.documents[run.index], options)) {
    out.push_back(relocate(std::move(d)));
  }
  if (!out.empty()) return out;
  for (size_t i = 0; i < run.documents.size(); ++i) {
    spec::Kind kind = run.documents[i].kind;
    if (i != run.index &&
        (kind == spec::Kind::kWorkflowTemplate || kind == spec::Kind::kClusterWorkflowTemplate)) {
      spec::QualifyLocalReferences(run.documents[i]);
    }
  }
  return out;
}

spec::Diagnostics ValidateWithTemplates(const std::vector<spec::Workflow>& documents,
                                        const TemplateLookup& lookup, bool local_run) {
  spec::Diagnostics problems;
  std::vector<spec::Workflow> library = documents;
  for (size_t i = 0; i < documents.size(); ++i) {
    AddReferencedTemplates(library, i, lookup, &problems);
  }
  spec::ValidateOptions options;
  options.library = &library;
  options.local_run = local_run;
  for (const spec::Workflow& document : documents) {
    for (spec::Diagnostic& d : spec::Validate(document, options)) problems.push_back(std::move(d));
  }
  return problems;
}

ApiResult<Json> CheckStoredDocument(Json object, spec::Kind kind, const std::string& what,
                                    const TemplateLookup& lookup) {
  const std::string kind_name = spec::KindName(kind);
  if (!object.is_object()) return BadRequest(what + " must be a " + kind_name + " object");
  if (!object.contains("apiVersion")) object["apiVersion"] = "argoproj.io/v1alpha1";
  if (!object.contains("kind")) object["kind"] = kind_name;
  spec::ParseResult parsed = spec::ParseText(object.dump(2), what);
  spec::Diagnostics problems = parsed.diagnostics;
  if (parsed.ok()) {
    if (parsed.documents.size() != 1 || parsed.documents[0].kind != kind) {
      return BadRequest(what + " must be one document of kind " + kind_name);
    }
    problems = ValidateWithTemplates(parsed.documents, lookup, true);
  }
  if (problems.empty()) return object;
  std::string message;
  for (const spec::Diagnostic& d : problems) {
    message += (message.empty() ? "" : "\n") + d.ToString();
  }
  return BadRequest(message);
}

}  // namespace loom::server
