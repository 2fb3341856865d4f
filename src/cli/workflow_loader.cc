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

Result<std::string> ReadText(const std::string& file) {
  std::ostringstream text;
  if (file == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(file);
  if (!in) return Result<std::string>::Error("cannot read file");
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<LoadedWorkflow> LoadWorkflow(const LoadRequest& request, spec::Diagnostics* diagnostics) {
  auto fail = [&](spec::Diagnostic d) {
    diagnostics->push_back(std::move(d));
    return Result<LoadedWorkflow>::Error(diagnostics->back().ToString());
  };
  auto text = request.text ? Result<std::string>(*request.text) : ReadText(request.file);
  if (!text.ok()) return fail(Usage(request.file, text.error()));
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

  spec::ValidateOptions options;
  options.parameters = loaded.parameters;
  options.entrypoint_override = request.entrypoint;
  options.library = &loaded.documents;
  options.local_run = request.local_run;
  *diagnostics = spec::Validate(loaded.workflow(), options);
  // The other documents are checked as `loom lint` checks them: a file with
  // any invalid document runs nothing.
  for (size_t i = 0; i < loaded.documents.size(); ++i) {
    if (i == loaded.index) continue;
    spec::ValidateOptions plain;
    plain.library = &loaded.documents;
    plain.local_run = request.local_run;
    for (spec::Diagnostic& d : spec::Validate(loaded.documents[i], plain)) {
      diagnostics->push_back(std::move(d));
    }
  }
  if (!diagnostics->empty()) return Result<LoadedWorkflow>::Error("invalid workflow");

  try {
    std::vector<YAML::Node> nodes = YAML::LoadAll(*text);
    size_t doc = 0;
    for (const auto& n : nodes) {
      if (!n.IsMap()) continue;
      if (doc++ == loaded.index) loaded.document_json = spec::ToJson(n);
    }
  } catch (const YAML::Exception&) {
  }
  return loaded;
}

spec::Diagnostics LintFile(const std::string& file) {
  spec::ParseResult parsed = spec::ParseFile(file);
  if (!parsed.ok()) return parsed.diagnostics;
  spec::Diagnostics all;
  for (const spec::Workflow& doc : parsed.documents) {
    spec::ValidateOptions options;
    options.library = &parsed.documents;
    for (spec::Diagnostic& d : spec::Validate(doc, options)) all.push_back(std::move(d));
  }
  return all;
}

}  // namespace loom::cli
