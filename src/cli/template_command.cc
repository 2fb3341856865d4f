// `loom template create|list|get|delete|lint` and the same verbs under
// `loom cluster-template`, as `argo template` and `argo cluster-template`.
// Files are checked here first, with `loom lint`'s file:line:col messages
// (exit 2, nothing created), their templateRefs resolved in the file and
// then among the stored templates; then the TemplateClient stores them, on
// a server or, without one, in the embedded store.
#include <algorithm>
#include <iostream>

#include "cli/template_client.h"
#include "cli/template_display.h"
#include "cli/verbs.h"
#include "cli/workflow_loader.h"
#include "cli/yaml_output.h"
#include "server/workflow_template.h"
#include "spec/parser.h"
#include "spec/yaml_util.h"

namespace loom::cli {

namespace {

struct TemplateOptions {
  ClientOptions client;
  bool cluster_scope = false;
  std::vector<std::string> args;  // files or names
  std::string output;
  std::string selector;
  bool all = false;  // list: every namespace; delete: every template
};

const char* Kind(const TemplateOptions& options) {
  return server::TemplateKind(options.cluster_scope);
}

std::string NamespaceName(const TemplateOptions& options) {
  return options.client.namespace_.empty() ? "default" : options.client.namespace_;
}

// The templates of `options.cluster_scope`'s kind in `file` as JSON, every
// document of the file checked as the server will check them (a local run).
// `problems` gets one file:line:col line per diagnostic.
Result<std::vector<Json>> LoadTemplates(const TemplateOptions& options, const std::string& file,
                                        const server::TemplateLookup& lookup,
                                        std::string* problems) {
  auto text = ReadFileText(file);
  if (!text.ok()) return text.status();
  spec::ParseResult parsed = spec::ParseText(*text, file);
  spec::Diagnostics diagnostics = parsed.diagnostics;
  std::vector<spec::Workflow> library = parsed.documents;
  for (size_t i = 0; i < parsed.documents.size(); ++i) {
    server::AddReferencedTemplates(library, i, lookup, &diagnostics);
  }
  for (const spec::Workflow& document : parsed.documents) {
    spec::ValidateOptions validate;
    validate.library = &library;
    validate.local_run = true;
    for (spec::Diagnostic& d : spec::Validate(document, validate)) diagnostics.push_back(d);
  }
  for (const spec::Diagnostic& d : diagnostics) *problems += d.ToString() + "\n";
  if (!diagnostics.empty()) return Status::Error("invalid");
  std::vector<Json> templates;
  for (const YAML::Node& node : YAML::LoadAll(*text)) {
    if (!spec::IsMap(node)) continue;
    Json document = spec::ToJson(node);
    if (document.value("kind", "") == Kind(options)) templates.push_back(std::move(document));
  }
  if (templates.empty())
    return Status::Error(file + ": no " + std::string(Kind(options)) + " found");
  return templates;
}

std::unique_ptr<TemplateClient> ConnectOrSay(const TemplateOptions& options) {
  auto client = ConnectTemplates(options.client, options.cluster_scope);
  if (!client.ok()) {
    Fail(client.error());
    return nullptr;
  }
  return std::move(*client);
}

void Print(const Json& tmpl, const std::string& output) {
  if (output == "name") {
    std::cout << tmpl["metadata"].value("name", "") << "\n";
  } else if (output == "json") {
    std::cout << tmpl.dump(2) << "\n";
  } else if (output == "yaml") {
    std::cout << JsonToYaml(tmpl);
  } else {
    PrintTemplateDetails(std::cout, tmpl, std::chrono::system_clock::now());
  }
}

int Create(const TemplateOptions& options) {
  server::TemplateLookup lookup = TemplateLookupFor(options.client);
  std::vector<Json> templates;
  for (const std::string& file : options.args) {
    std::string problems;
    auto loaded = LoadTemplates(options, file, lookup, &problems);
    if (!loaded.ok()) {
      std::cerr << (problems.empty() ? "loom: " + loaded.error() + "\n" : problems);
      return 2;
    }
    for (Json& tmpl : *loaded) templates.push_back(std::move(tmpl));
  }
  auto client = ConnectOrSay(options);
  if (!client) return 1;
  for (const Json& tmpl : templates) {
    auto created = client->Create(tmpl);
    if (!created.ok()) return Fail(created.error());
    Print(*created, options.output);
  }
  return 0;
}

int List(const TemplateOptions& options) {
  auto client = ConnectOrSay(options);
  if (!client) return 1;
  auto templates = client->List(options.selector, options.all);
  if (!templates.ok()) return Fail(templates.error());
  if (options.output == "name") {
    for (const Json& tmpl : *templates) std::cout << tmpl["metadata"].value("name", "") << "\n";
  } else if (options.output == "json") {
    std::cout << Json(*templates).dump(2) << "\n";
  } else if (templates->empty()) {
    std::cerr << "No " << Kind(options) << "s found\n";
  } else {
    PrintTemplateTable(std::cout, *templates, options.all && !options.cluster_scope,
                       options.output == "wide", std::chrono::system_clock::now());
  }
  return 0;
}

int Get(const TemplateOptions& options) {
  auto client = ConnectOrSay(options);
  if (!client) return 1;
  int code = 0;
  for (const std::string& name : options.args) {
    auto found = client->Find(name);
    if (!found.ok()) {
      code = Fail(found.error());
    } else if (!found->has_value()) {
      code = Fail(std::string(Kind(options)) + " " + name + " not found" +
                  (options.cluster_scope ? "" : " in namespace " + NamespaceName(options)) +
                  " of " + client->Where());
    } else {
      Print(**found, options.output);
    }
  }
  return code;
}

int Delete(const TemplateOptions& options) {
  if (options.all == !options.args.empty()) {
    std::cerr << "loom: name templates to delete, or give --all (not both)\n";
    return 2;
  }
  auto client = ConnectOrSay(options);
  if (!client) return 1;
  std::vector<std::string> names = options.args;
  if (options.all) {
    auto templates = client->List("", false);
    if (!templates.ok()) return Fail(templates.error());
    for (const Json& tmpl : *templates) names.push_back(tmpl["metadata"].value("name", ""));
  }
  int code = 0;
  for (const std::string& name : names) {
    if (Status deleted = client->Delete(name); !deleted.ok()) {
      code = Fail(deleted.message());
    } else {
      std::cout << Kind(options) << " '" << name << "' deleted\n";
    }
  }
  return code;
}

int Lint(const TemplateOptions& options) {
  server::TemplateLookup lookup = TemplateLookupFor(options.client, true);
  int problems = 0;
  for (const std::string& file : options.args) {
    std::string found;
    auto loaded = LoadTemplates(options, file, lookup, &found);
    if (loaded.ok()) continue;
    std::cerr << (found.empty() ? loaded.error() + "\n" : found);
    problems += found.empty() ? 1 : static_cast<int>(std::count(found.begin(), found.end(), '\n'));
  }
  if (problems == 0) {
    std::cout << "no problems found in " << options.args.size() << " file(s)\n";
    return 0;
  }
  std::cerr << problems << " problem(s) found\n";
  return 2;
}

void AddGroup(CLI::App& app, int* exit_code, bool cluster_scope) {
  auto options = std::make_shared<TemplateOptions>();
  options->cluster_scope = cluster_scope;
  CLI::App* group =
      cluster_scope
          ? app.add_subcommand("cluster-template",
                               "Manage ClusterWorkflowTemplates (templateRef with clusterScope)")
          : app.add_subcommand("template",
                               "Manage WorkflowTemplates (templateRef, "
                               "workflowTemplateRef, submit --from)");
  group->require_subcommand(1);
  auto run = [options, exit_code](int (*verb)(const TemplateOptions&)) {
    return [options, exit_code, verb] { *exit_code = verb(*options); };
  };
  auto verb = [&](const char* name, const char* about) {
    CLI::App* sub = group->add_subcommand(name, about);
    AddClientFlags(sub, &options->client);
    return sub;
  };

  CLI::App* create = verb("create", "Create templates from files");
  create->add_option("files", options->args, "YAML files ('-' for standard input)")->required();
  create->add_option("-o,--output", options->output, "name, json, yaml or wide")
      ->check(CLI::IsMember({"name", "json", "yaml", "wide"}));
  create->callback(run(Create));

  CLI::App* list = verb("list", "List templates");
  if (!cluster_scope) list->add_flag("-A,--all-namespaces", options->all, "Every namespace");
  list->add_option("-l,--selector", options->selector, "Label selector");
  list->add_option("-o,--output", options->output, "wide, name or json")
      ->check(CLI::IsMember({"wide", "name", "json"}));
  list->callback(run(List));

  CLI::App* get = verb("get", "Show templates");
  get->add_option("names", options->args, "Template names")->required();
  get->add_option("-o,--output", options->output, "json, yaml, name or wide")
      ->check(CLI::IsMember({"json", "yaml", "name", "wide"}));
  get->callback(run(Get));

  CLI::App* remove = verb("delete", "Delete templates");
  remove->add_option("names", options->args, "Template names");
  remove->add_flag("--all", options->all,
                   cluster_scope ? "Every ClusterWorkflowTemplate" : "Every one in the namespace");
  remove->callback(run(Delete));

  CLI::App* lint = verb("lint", "Validate template files");
  lint->add_option("files", options->args, "Files to check")->required();
  lint->callback(run(Lint));
}

}  // namespace

void AddTemplateVerbs(CLI::App& app, int* exit_code) {
  AddGroup(app, exit_code, false);
  AddGroup(app, exit_code, true);
}

}  // namespace loom::cli
