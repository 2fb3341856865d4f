// Loading, linting, printing and deleting stored resources for the CLI.
#include "cli/resource_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <iostream>

#include "cli/verbs.h"
#include "cli/workflow_loader.h"
#include "cli/yaml_output.h"
#include "spec/parser.h"
#include "spec/yaml_util.h"

namespace loom::cli {

Result<std::vector<Json>> LoadResources(const std::string& file, const std::string& kind,
                                        const server::TemplateLookup& templates,
                                        std::string* problems) {
  auto text = ReadFileText(file);
  if (!text.ok()) return text.status();
  spec::Diagnostics diagnostics = LintDocuments(spec::ParseText(*text, file), templates, true);
  for (const spec::Diagnostic& d : diagnostics) *problems += d.ToString() + "\n";
  if (!diagnostics.empty()) return Status::Error("invalid");
  std::vector<Json> resources;
  for (const YAML::Node& node : YAML::LoadAll(*text)) {
    if (!spec::IsMap(node)) continue;
    Json document = spec::ToJson(node);
    if (document.value("kind", "") == kind) resources.push_back(std::move(document));
  }
  if (resources.empty()) return Status::Error(file + ": no " + kind + " found");
  return resources;
}

int LintResourceFiles(const std::vector<std::string>& files, const std::string& kind,
                      const server::TemplateLookup& templates) {
  int problems = 0;
  for (const std::string& file : files) {
    std::string found;
    auto loaded = LoadResources(file, kind, templates, &found);
    if (loaded.ok()) continue;
    std::cerr << (found.empty() ? loaded.error() + "\n" : found);
    problems += found.empty() ? 1 : static_cast<int>(std::count(found.begin(), found.end(), '\n'));
  }
  if (problems == 0) {
    std::cout << "no problems found in " << files.size() << " file(s)\n";
    return 0;
  }
  std::cerr << problems << " problem(s) found\n";
  return 2;
}

void PrintResource(const Json& resource, const std::string& output,
                   const std::function<void()>& details) {
  if (output == "name") {
    std::cout << resource["metadata"].value("name", "") << "\n";
  } else if (output == "json") {
    std::cout << resource.dump(2) << "\n";
  } else if (output == "yaml") {
    std::cout << JsonToYaml(resource);
  } else {
    details();
  }
}

bool PrintResourceList(const std::vector<Json>& resources, const std::string& output) {
  if (output == "name") {
    for (const Json& resource : resources) {
      std::cout << resource["metadata"].value("name", "") << "\n";
    }
    return true;
  }
  if (output == "json") {
    std::cout << Json(resources).dump(2) << "\n";
    return true;
  }
  return false;
}

int DeleteResources(const std::string& kind, std::vector<std::string> names, bool all,
                    const std::function<Result<std::vector<Json>>()>& list_all,
                    const std::function<Status(const std::string&)>& remove) {
  if (all) {
    auto resources = list_all();
    if (!resources.ok()) return Fail(resources.error());
    for (const Json& resource : *resources) names.push_back(resource["metadata"].value("name", ""));
  }
  int code = 0;
  for (const std::string& name : names) {
    if (Status deleted = remove(name); !deleted.ok()) {
      code = Fail(deleted.message());
    } else {
      std::cout << kind << " '" << name << "' deleted\n";
    }
  }
  return code;
}

}  // namespace loom::cli
