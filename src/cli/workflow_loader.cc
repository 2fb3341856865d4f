// Parse, choose, parameterize and validate a workflow file.
#include "cli/workflow_loader.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "spec/parser.h"
#include "spec/validator.h"
#include "spec/yaml_util.h"

namespace loom::cli {

namespace {

std::string ScalarOrJson(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  return spec::ToJson(node).dump();
}

spec::Diagnostic Usage(const std::string& file, const std::string& message) {
  return spec::Diagnostic{file, {}, message};
}

}  // namespace

Result<std::string> ReadFileText(const std::string& file) {
  std::ostringstream text;
  if (file == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(file);
  if (!in) return Result<std::string>::Error(file + ": cannot read file");
  text << in.rdbuf();
  return text.str();
}

Result<LoadedWorkflow> LoadWorkflow(const LoadRequest& request, spec::Diagnostics* diagnostics) {
  auto fail = [&](spec::Diagnostic d) {
    diagnostics->push_back(std::move(d));
    return Result<LoadedWorkflow>::Error(diagnostics->back().ToString());
  };
  auto text = request.text ? Result<std::string>(*request.text) : ReadFileText(request.file);
  if (!text.ok()) return fail(Usage(request.file, "cannot read file"));
  spec::ParseResult parsed = spec::ParseText(*text, request.file);
  if (!parsed.ok()) {
    *diagnostics = std::move(parsed.diagnostics);
    return Result<LoadedWorkflow>::Error("invalid workflow");
  }
  LoadedWorkflow loaded;
  loaded.documents = std::move(parsed.documents);
  bool found = false;
  for (size_t i = 0; i < loaded.documents.size(); ++i) {
    if (loaded.documents[i].kind == spec::Kind::kWorkflow) {
      loaded.index = i;
      found = true;
      break;
    }
  }
  if (!found) return fail(Usage(request.file, "the file holds no document of kind Workflow"));

  if (!request.parameter_file.empty()) {
    try {
      YAML::Node values = YAML::LoadFile(request.parameter_file);
      if (!values.IsMap()) {
        return fail(Usage(request.parameter_file, "a parameter file must be a map of name: value"));
      }
      for (const auto& kv : values) {
        loaded.parameters[kv.first.as<std::string>()] = ScalarOrJson(kv.second);
      }
    } catch (const YAML::Exception& e) {
      spec::Diagnostic d{request.parameter_file, {e.mark.line + 1, e.mark.column + 1}, e.msg};
      return fail(d);
    }
  }
  for (const std::string& p : request.parameters) {
    auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      return fail(Usage("-p", "parameter '" + p + "' must be NAME=VALUE"));
    }
    loaded.parameters[p.substr(0, eq)] = p.substr(eq + 1);
  }

  // The documents as JSON, in the parser's order (both take the maps of the
  // file): the one to run is recorded as written, and a workflowTemplateRef
  // joins it with another.
  std::vector<Json> json;
  try {
    for (const YAML::Node& node : YAML::LoadAll(*text)) {
      if (node.IsMap()) json.push_back(spec::ToJson(node));
    }
  } catch (const YAML::Exception&) {
    json.clear();
  }
  if (json.size() != loaded.documents.size()) json.clear();
  if (!json.empty()) loaded.document_json = json[loaded.index];

  // The other documents are checked as `loom lint` checks them: a file with
  // any invalid document runs nothing.
  spec::Diagnostics others;
  std::vector<spec::Workflow> library = loaded.documents;
  for (size_t i = 0; i < loaded.documents.size(); ++i) {
    if (i != loaded.index) server::AddReferencedTemplates(library, i, request.templates, &others);
  }
  for (size_t i = 0; i < loaded.documents.size(); ++i) {
    if (i == loaded.index) continue;
    spec::ValidateOptions plain;
    plain.library = &library;
    plain.local_run = request.local_run;
    for (spec::Diagnostic& d : spec::Validate(loaded.documents[i], plain)) {
      others.push_back(std::move(d));
    }
  }

  server::RunDocuments run;
  run.documents = std::move(loaded.documents);
  run.json = std::move(json);
  run.index = loaded.index;
  spec::ValidateOptions options;
  options.parameters = loaded.parameters;
  options.entrypoint_override = request.entrypoint;
  options.local_run = request.local_run;
  *diagnostics = server::PrepareToRun(run, request.templates, options);
  for (spec::Diagnostic& d : others) diagnostics->push_back(std::move(d));
  if (!diagnostics->empty()) return Result<LoadedWorkflow>::Error("invalid workflow");
  loaded.documents = std::move(run.documents);
  loaded.stored_template_spec = std::move(run.stored_template_spec);
  return loaded;
}

spec::Diagnostics LintDocuments(const spec::ParseResult& parsed,
                                const server::TemplateLookup& templates, bool local_run) {
  if (!parsed.ok()) return parsed.diagnostics;
  return server::ValidateWithTemplates(parsed.documents, templates, local_run);
}

spec::Diagnostics LintFile(const std::string& file, const server::TemplateLookup& templates) {
  return LintDocuments(spec::ParseFile(file), templates, false);
}

}  // namespace loom::cli
